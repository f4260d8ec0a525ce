/**
 * Old tombstones are pruned from the change log. A client whose cursor is older may have missed
 * a deletion: it is told to resync from a snapshot, and after that it syncs normally again.
 * (A deleted chat message stays as a tombstone message, an upsert; a deleted post is a deletion.)
 */
import { ErrorBody, companyScope } from '@flurfunk/protocol';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import {
  type User,
  apply,
  describeChanges,
  signInAs,
  sleep,
  syncAll,
  syncRequest,
} from '../support/chat-support.js';
import { feed, publishPost, putFeedChannel } from '../support/feed-support.js';

describeEachStorage('change log retention', (backend) => {
  let api: ApiClient;
  /** Editor: writes and deletes the posts. */
  let jonas: User;
  let petra: User;

  beforeAll(async () => {
    // Every tombstone is old after a millisecond; maintenance looks ten times a second.
    const server = await backend.start({ demo: true, changeLogRetentionMs: 1, maintenanceIntervalMs: 100 });
    api = apiClient(server.url);
    [jonas, petra] = (await Promise.all(
      ['jonas.becker', 'petra.koch'].map((name) => signInAs(api, name)),
    )) as [User, User];
  });

  it('sends a client that may have missed a pruned deletion back to a snapshot, which then syncs on', async () => {
    const channelId = await putFeedChannel(api, jonas, { name: 'Aufräumen', audience: companyScope });
    const kept = await publishPost(api, jonas, { channelId, title: 'Bleibt' });
    const stale = await syncAll(api, petra);
    const doomed = await publishPost(api, jonas, { channelId, title: 'Wird gelöscht' });
    const deletion = await apply(api, jonas, feed.deletePost(doomed));

    // Once the tombstone is pruned, a cursor before it can no longer be served.
    let response = await syncRequest(api, petra, { after: stale.cursor });
    for (let tries = 0; response.status === 200 && tries < 50; tries++) {
      await sleep(100);
      response = await syncRequest(api, petra, { after: stale.cursor });
    }
    expect(response.status).toBe(410);
    expect(ErrorBody.parse(response.body).error.code).toBe('resync_required');
    expect((await syncRequest(api, petra, { after: '1' })).status).toBe(410);
    expect((await syncRequest(api, petra, { after: stale.cursor, scope: companyScope })).status).toBe(410);

    // The snapshot from "0" is the current state, without tombstones.
    const snapshot = await syncAll(api, petra, { snapshot: true });
    expect(snapshot.changes.filter((c) => c.type.endsWith('.delete'))).toEqual([]);
    const ids = snapshot.changes.map((c) => c.id);
    expect(ids).toContain(kept);
    expect(ids).not.toContain(doomed);
    // The tombstone is really gone, not just left out of the snapshot.
    const fromStart = await syncAll(api, petra);
    expect(describeChanges(fromStart.changes)).not.toContain(`post.delete:${doomed}`);

    // The client goes on from the snapshot's cursor, and so does one that had seen the deletion.
    const next = await publishPost(api, jonas, { channelId, title: 'Nach dem Aufräumen' });
    const onFromSnapshot = await syncAll(api, petra, { after: snapshot.cursor });
    expect(describeChanges(onFromSnapshot.changes)).toEqual([
      `post.upsert:${next}`,
      `postStats.upsert:${next}`,
    ]);
    expect(deletion.seq).not.toBeNull();
    const onFromDeletion = await syncAll(api, jonas, { after: deletion.seq ?? '0' });
    expect(onFromDeletion.changes.length).toBeGreaterThan(0);
    expect(onFromDeletion.changes.filter((c) => c.id !== next)).toEqual([]);
  });

  it('lets a client that saw the newest, now pruned, deletion go on without a resync', async () => {
    const channelId = await putFeedChannel(api, jonas, { name: 'Zuletzt gelöscht', audience: companyScope });
    const doomed = await publishPost(api, jonas, { channelId, title: 'Letzte Änderung überhaupt' });
    const deletion = await apply(api, jonas, feed.deletePost(doomed));
    // Wait for the pruning: the deletion was the newest change in the whole log.
    let pruned = false;
    for (let tries = 0; !pruned && tries < 50; tries++) {
      await sleep(100);
      pruned = !describeChanges((await syncAll(api, jonas)).changes).includes(`post.delete:${doomed}`);
    }
    expect(pruned).toBe(true);
    // A client that synced the deletion before it was pruned has its seq as cursor.
    const response = await syncRequest(api, petra, { after: deletion.seq ?? '' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);

    const snapshot = await syncAll(api, jonas, { snapshot: true });
    const afterSnapshot = await syncRequest(api, jonas, { after: snapshot.cursor });
    expect(afterSnapshot.status, JSON.stringify(afterSnapshot.body)).toBe(200);
  });
});
