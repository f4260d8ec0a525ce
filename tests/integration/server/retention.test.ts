/**
 * Old tombstones are pruned from the change log. A client whose cursor is older may have missed
 * a deletion: it is told to resync from a snapshot, and after that it syncs normally again.
 */
import { ErrorBody, scopeKey } from '@flurfunk/protocol';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import {
  type User,
  apply,
  chat,
  createGroup,
  describeChanges,
  sendMessage,
  signInAs,
  sleep,
  syncAll,
  syncRequest,
} from '../support/chat-support.js';

describeEachStorage('change log retention', (backend) => {
  let api: ApiClient;
  let lena: User;
  let petra: User;

  beforeAll(async () => {
    // Every tombstone is old after a millisecond; maintenance looks ten times a second.
    const server = await backend.start({ demo: true, changeLogRetentionMs: 1, maintenanceIntervalMs: 100 });
    api = apiClient(server.url);
    [lena, petra] = (await Promise.all(['lena.weber', 'petra.koch'].map((name) => signInAs(api, name)))) as [
      User,
      User,
    ];
  });

  it('sends a client that may have missed a pruned deletion back to a snapshot, which then syncs on', async () => {
    const group = await createGroup(api, lena, [petra], 'Aufräumen');
    const kept = await sendMessage(api, lena, group, 'Bleibt');
    const stale = await syncAll(api, petra);
    const doomed = await sendMessage(api, lena, group, 'Wird gelöscht');
    const deletion = await apply(api, lena, chat.deleteMessage(doomed));

    // Once the tombstone is pruned, a cursor before it can no longer be served.
    let response = await syncRequest(api, petra, { after: stale.cursor });
    for (let tries = 0; response.status === 200 && tries < 50; tries++) {
      await sleep(100);
      response = await syncRequest(api, petra, { after: stale.cursor });
    }
    expect(response.status).toBe(410);
    expect(ErrorBody.parse(response.body).error.code).toBe('resync_required');
    expect((await syncRequest(api, petra, { after: '1' })).status).toBe(410);
    expect(
      (await syncRequest(api, petra, { after: stale.cursor, scope: scopeKey('chat', group) })).status,
    ).toBe(410);

    // The snapshot from "0" is the current state, without tombstones.
    const snapshot = await syncAll(api, petra, { snapshot: true });
    expect(snapshot.changes.filter((c) => c.type.endsWith('.delete'))).toEqual([]);
    const ids = snapshot.changes.map((c) => c.id);
    expect(ids).toContain(kept);
    expect(ids).not.toContain(doomed);
    // The tombstone is really gone, not just left out of the snapshot.
    const fromStart = await syncAll(api, petra);
    expect(describeChanges(fromStart.changes)).not.toContain(`message.delete:${doomed}`);

    // The client goes on from the snapshot's cursor, and so does one that had seen the deletion.
    const next = await sendMessage(api, lena, group, 'Nach dem Aufräumen');
    const onFromSnapshot = await syncAll(api, petra, { after: snapshot.cursor });
    expect(describeChanges(onFromSnapshot.changes)).toEqual([`message.upsert:${next}`]);
    expect(deletion.seq).not.toBeNull();
    const onFromDeletion = await syncAll(api, lena, { after: deletion.seq ?? '0' });
    expect(describeChanges(onFromDeletion.changes)).toEqual([`message.upsert:${next}`]);
  });

  it('lets a client that saw the newest, now pruned, deletion go on without a resync', async () => {
    const group = await createGroup(api, lena, [petra], 'Zuletzt gelöscht');
    const doomed = await sendMessage(api, lena, group, 'Letzte Änderung überhaupt');
    const deletion = await apply(api, lena, chat.deleteMessage(doomed));
    // Wait for the pruning: the deletion was the newest change in the whole log.
    let pruned = false;
    for (let tries = 0; !pruned && tries < 50; tries++) {
      await sleep(100);
      pruned = !describeChanges((await syncAll(api, lena)).changes).includes(`message.delete:${doomed}`);
    }
    expect(pruned).toBe(true);
    // A client that synced the deletion before it was pruned has its seq as cursor.
    const response = await syncRequest(api, petra, { after: deletion.seq ?? '' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);

    const snapshot = await syncAll(api, lena, { snapshot: true });
    const afterSnapshot = await syncRequest(api, lena, { after: snapshot.cursor });
    expect(afterSnapshot.status, JSON.stringify(afterSnapshot.body)).toBe(200);
  });
});
