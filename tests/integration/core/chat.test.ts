/**
 * The chat through the real core against the real server, cache and keychain: two people open a
 * direct conversation and exchange messages live, a reaction, an edit, a deletion and a read mark
 * reach the other side; messages written offline arrive once and in order; a file sent with a
 * message comes back byte for byte to a member and not at all to anyone else; a group is made,
 * changed and left, and leaving takes its messages and files from the device; older history
 * loads from the server. One demo server for the file.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { mentionOf } from '@flurfunk/protocol';
import type { ConversationSummary, DataChanged, MessageView, OutboxEntryView } from '@flurfunk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import {
  expectError,
  removeTempDirs,
  signIn,
  startDemoServer,
  startTestCore,
  tempDir,
  withStoppedCache,
} from '../support/core-harness.js';
import { type User, chat, createGroup, mutate, signInAs } from '../support/chat-support.js';
import { eventually } from '../support/feed-support.js';
import { downloadFile, makePdf, sha256 } from '../support/file-support.js';
import { type ApiClient, apiClient } from '../support/server-client.js';

const live = { backoff: { initialMs: 50, maxMs: 400 }, silenceTimeoutMs: 3_000 };
const waitMs = 10_000;

let server: DemoServer;
let api: ApiClient;
let lena: User;
let jonas: User;
let petra: User;
let lenaCore: TestCore;
let jonasCore: TestCore;
let petraCore: TestCore;
const cores: TestCore[] = [];

beforeAll(async () => {
  server = await startDemoServer({ liveHeartbeatMs: 200 });
  api = apiClient(server.url);
  [lena, jonas, petra] = await Promise.all([
    signInAs(api, 'lena.weber'),
    signInAs(api, 'jonas.becker'),
    signInAs(api, 'petra.koch'),
  ]);
  [lenaCore, jonasCore, petraCore] = await Promise.all([
    coreFor('lena.weber'),
    coreFor('jonas.becker'),
    coreFor('petra.koch'),
  ]);
});

afterAll(async () => {
  await Promise.all(cores.splice(0).map((test) => test.core.close()));
  await server?.stop();
  await removeTempDirs();
});

async function coreFor(username: string): Promise<TestCore> {
  const test = await startTestCore(await tempDir('core'), { live });
  cores.push(test);
  await signIn(test, server.url, username);
  return test;
}

const messagesOf = (test: TestCore, conversationId: string, limit = 200) =>
  test.call('listMessages', { conversationId, limit }) as Promise<MessageView[]>;
const messageAt = async (test: TestCore, conversationId: string, messageId: string) =>
  (await messagesOf(test, conversationId)).find((m) => m.id === messageId);
const conversationAt = (test: TestCore, conversationId: string) =>
  test.call('getConversation', { conversationId }) as Promise<ConversationSummary | null>;
const outboxOf = (test: TestCore) => test.call('listOutbox') as Promise<OutboxEntryView[]>;

describe('a direct conversation between two apps', () => {
  let direct: ConversationSummary;

  beforeAll(async () => {
    direct = await lenaCore.call('openDirectConversation', { personId: jonas.id });
  });

  it('is the same conversation on both sides and on every call', async () => {
    expect(direct.kind).toBe('direct');
    expect(new Set(direct.memberIds)).toEqual(new Set([lena.id, jonas.id]));
    expect((await lenaCore.call('openDirectConversation', { personId: jonas.id })).id).toBe(direct.id);
    expect((await jonasCore.call('openDirectConversation', { personId: lena.id })).id).toBe(direct.id);
  });

  it('is opened on the server with someone the user never wrote to, and found there by the other side', async () => {
    const partners = new Set(
      (await petraCore.call('listConversations'))
        .filter((c) => c.kind === 'direct')
        .flatMap((c) => c.memberIds),
    );
    const { people } = await petraCore.call('listPeople', { query: '', offset: 0, limit: 200 });
    const stranger = people.find((p) => p.id !== petra.id && !partners.has(p.id));
    if (!stranger) throw new Error('Petra has written to everyone');
    const opened = await petraCore.call('openDirectConversation', { personId: stranger.id });
    expect(opened).toMatchObject({ kind: 'direct', unreadCount: 0, lastMessage: null, draft: null });
    expect(new Set(opened.memberIds)).toEqual(new Set([petra.id, stranger.id]));
    expect((await petraCore.call('listConversations')).map((c) => c.id)).toContain(opened.id);
    // The other side opening it finds the same one.
    const other = await signInAs(api, stranger.username);
    const [result] = await mutate(api, other, [chat.openDirect(petra.id)]);
    expect(result).toMatchObject({ status: 'applied', entityId: opened.id });
  });

  it('brings a message, a reaction, an edit, a deletion and a read mark to the other side live', async () => {
    const before = (await conversationAt(jonasCore, direct.id))!;
    const sent = await lenaCore.call('sendMessage', {
      conversationId: direct.id,
      body: `Hallo ${mentionOf(jonas.id)}, die Prüfung ist um zehn.`,
    });
    expect(sent).toMatchObject({ delivery: 'pending', authorId: lena.id });

    const arrived = await eventually(
      'the message at Jonas',
      () => messageAt(jonasCore, direct.id, sent.id),
      waitMs,
    );
    expect(arrived).toMatchObject({ body: sent.body, delivery: 'synced' });
    expect(await conversationAt(jonasCore, direct.id)).toMatchObject({
      unreadCount: before.unreadCount + 1,
      mentionCount: before.mentionCount + 1,
      lastMessage: { id: sent.id },
    });
    const [hit] = await jonasCore.call('searchMessages', { query: 'prufung' });
    expect(hit).toMatchObject({ messageId: sent.id, conversationId: direct.id, authorId: lena.id });

    // Jonas reacts and reads; Lena edits.
    expect(
      (await jonasCore.call('reactToMessage', { messageId: sent.id, emoji: '👍', on: true })).reactions,
    ).toEqual([{ emoji: '👍', personIds: [jonas.id] }]);
    expect(
      await jonasCore.call('markConversationRead', { conversationId: direct.id, messageId: sent.id }),
    ).toBeNull();
    expect(await conversationAt(jonasCore, direct.id)).toMatchObject({
      unreadCount: 0,
      lastReadMessageId: sent.id,
    });
    await lenaCore.call('editMessage', { messageId: sent.id, body: 'Die Prüfung ist um elf.' });

    await eventually(
      'the reaction at Lena',
      async () => {
        const m = await messageAt(lenaCore, direct.id, sent.id);
        return m?.reactions.length === 1 && m.delivery === 'synced' ? m : undefined;
      },
      waitMs,
    );
    const edited = await eventually(
      'the edit at Jonas',
      async () => {
        const m = await messageAt(jonasCore, direct.id, sent.id);
        return m?.body === 'Die Prüfung ist um elf.' ? m : undefined;
      },
      waitMs,
    );
    expect(edited.editedAt).not.toBeNull();
    expect(edited.reactions).toEqual([{ emoji: '👍', personIds: [jonas.id] }]);
    await eventually(
      'Jonas’s read mark at Lena',
      async () => {
        const summary = await conversationAt(lenaCore, direct.id);
        return summary?.reads.readers.some((r) => r.personId === jonas.id && r.lastReadMessageId === sent.id)
          ? summary
          : undefined;
      },
      waitMs,
    );
    // Each change names what it touched, so the app re-reads only that.
    const named = (test: TestCore, entity: string) =>
      test.events.some(
        ({ event, payload }) =>
          event === 'dataChanged' &&
          (payload as DataChanged).changes.some((c) => c.entity === entity && c.ids?.includes(direct.id)),
      );
    expect(named(lenaCore, 'conversationReads')).toBe(true);
    expect(named(jonasCore, 'conversationSettings')).toBe(true);
    // A message that arrives names its conversation in the same change.
    const arrivalNamed = jonasCore.events.some(({ event, payload }) => {
      if (event !== 'dataChanged') return false;
      const { changes } = payload as DataChanged;
      const ids = (entity: string) => changes.find((c) => c.entity === entity)?.ids ?? [];
      return ids('message').includes(sent.id) && ids('conversation').includes(direct.id);
    });
    expect(arrivalNamed).toBe(true);

    const deleted = await lenaCore.call('deleteMessage', { messageId: sent.id });
    expect(deleted).toMatchObject({ body: '', delivery: 'pending' });
    const tombstone = await eventually(
      'the tombstone at Jonas',
      async () => {
        const m = await messageAt(jonasCore, direct.id, sent.id);
        return m?.deletedAt ? m : undefined;
      },
      waitMs,
    );
    expect(tombstone).toMatchObject({ body: '', attachments: [], reactions: [] });
    expect(await jonasCore.call('searchMessages', { query: 'prufung' })).toEqual([]);
  });

  it('delivers messages written offline once and in order when the server is back', async () => {
    await server.stop();
    for (const body of ['eins', 'zwei', 'drei'])
      await lenaCore.call('sendMessage', { conversationId: direct.id, body });
    // A conversation already on the device opens offline too.
    expect((await lenaCore.call('openDirectConversation', { personId: jonas.id })).id).toBe(direct.id);
    // What needs the server says so and changes nothing.
    await expectError(
      lenaCore.callRaw('createGroup', { title: 'Im Funkloch', memberIds: [jonas.id] }),
      'unreachable',
    );
    await expectError(lenaCore.callRaw('loadOlderMessages', { conversationId: direct.id }), 'unreachable');
    expect((await messagesOf(lenaCore, direct.id)).slice(-3).map((m) => [m.body, m.delivery])).toEqual([
      ['eins', 'pending'],
      ['zwei', 'pending'],
      ['drei', 'pending'],
    ]);
    expect((await lenaCore.call('listConversations')).some((c) => c.title === 'Im Funkloch')).toBe(false);

    await server.start();
    await lenaCore.call('syncNow');
    await jonasCore.call('syncNow');
    const atJonas = await eventually(
      'the three at Jonas',
      async () => {
        const bodies = (await messagesOf(jonasCore, direct.id)).map((m) => m.body);
        return bodies.includes('drei') ? bodies : undefined;
      },
      waitMs,
    );
    expect(atJonas.filter((b) => ['eins', 'zwei', 'drei'].includes(b))).toEqual(['eins', 'zwei', 'drei']);
    await expect.poll(() => outboxOf(lenaCore), { timeout: waitMs, interval: 50 }).toEqual([]);
    expect(
      (await messagesOf(lenaCore, direct.id)).filter((m) => ['eins', 'zwei', 'drei'].includes(m.body)),
    ).toHaveLength(3);
  });

  it('sends a file with a message that a member gets byte for byte and nobody else gets at all', async () => {
    const bytes = makePdf('Schichtplan KW 48');
    const upload = await lenaCore.core.uploadMedia({
      name: 'Schichtplan.pdf',
      mediaType: 'application/pdf',
      bytes,
    });
    if (!upload.ok) throw new Error(upload.error.message);
    const sent = await lenaCore.call('sendMessage', {
      conversationId: direct.id,
      body: 'Der Plan',
      attachments: [upload.value.id],
    });
    expect(sent.attachments).toEqual([upload.value]);

    await eventually('the file at Jonas', () => messageAt(jonasCore, direct.id, sent.id), waitMs);
    const read = await jonasCore.core.readMedia(upload.value.id);
    if (!read.ok) throw new Error(read.error.message);
    expect(sha256(Buffer.from(read.value.bytes))).toBe(sha256(bytes));
    expect(read.value.meta).toEqual(upload.value);
    expect(
      (await jonasCore.call('searchMessages', { query: '', hasFiles: true, conversationId: direct.id }))[0],
    ).toMatchObject({
      messageId: sent.id,
      hasFiles: true,
    });

    // Petra is no member: neither her app nor the server gives her the file.
    expect(await petraCore.core.readMedia(upload.value.id)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect((await downloadFile(server.url, petra, upload.value.id)).status).toBeGreaterThanOrEqual(400);

    // Deleted for everyone, the file leaves Jonas's app, and its kept bytes leave Lena's device.
    expect(await keptFileIds(lenaCore)).toContain(upload.value.id);
    await lenaCore.call('deleteMessage', { messageId: sent.id });
    await eventually('the tombstone at Jonas', async () =>
      (await messageAt(jonasCore, direct.id, sent.id))?.deletedAt ? true : undefined,
    );
    expect(await jonasCore.core.readMedia(upload.value.id)).toMatchObject({ ok: false });
    await eventually('the kept bytes gone from Lena’s device', async () =>
      (await keptFileIds(lenaCore)).includes(upload.value.id) ? undefined : true,
    );
  });
});

describe('a group made in the app', () => {
  it('is made, renamed, grown and left, and leaving takes its messages and files from the device', async () => {
    const group = await lenaCore.call('createGroup', { title: 'Sommerfest', memberIds: [jonas.id] });
    expect(group).toMatchObject({ kind: 'group', title: 'Sommerfest' });
    expect(group.adminIds).toContain(lena.id);
    expect(
      (await lenaCore.call('updateGroup', { conversationId: group.id, title: 'Sommerfest 2027' })).title,
    ).toBe('Sommerfest 2027');
    expect(
      (await lenaCore.call('addGroupMembers', { conversationId: group.id, personIds: [petra.id] })).memberIds,
    ).toContain(petra.id);
    expect(
      (await lenaCore.call('setGroupAdmin', { conversationId: group.id, personId: jonas.id, admin: true }))
        .adminIds,
    ).toContain(jonas.id);
    // Only admins change a group: Petra's app is told so, and nothing changes.
    await eventually(
      'the group at Petra',
      () => conversationAt(petraCore, group.id).then((c) => c ?? undefined),
      waitMs,
    );
    await expectError(
      petraCore.callRaw('updateGroup', { conversationId: group.id, title: 'Meins' }),
      'forbidden',
    );
    // The server's other refusals reach the app as typed errors too, and change nothing.
    const stranger = (await lenaCore.call('listPeople', { query: '', offset: 0, limit: 200 })).people.find(
      (p) => ![lena.id, jonas.id, petra.id].includes(p.id),
    )!;
    await expectError(
      lenaCore.callRaw('setGroupAdmin', { conversationId: group.id, personId: stranger.id, admin: true }),
      'not_found',
    );
    await expectError(
      lenaCore.callRaw('updateGroup', { conversationId: group.id, pictureId: stranger.id }),
      'invalid_args',
    );
    expect(await conversationAt(lenaCore, group.id)).toMatchObject({
      title: 'Sommerfest 2027',
      picture: null,
    });

    const bytes = makePdf('Grillplan');
    const upload = await jonasCore.core.uploadMedia({
      name: 'Grillplan.pdf',
      mediaType: 'application/pdf',
      bytes,
    });
    if (!upload.ok) throw new Error(upload.error.message);
    await eventually(
      'the group at Jonas',
      () => conversationAt(jonasCore, group.id).then((c) => c ?? undefined),
      waitMs,
    );
    const sent = await jonasCore.call('sendMessage', {
      conversationId: group.id,
      body: 'Grillen am Freitag',
      attachments: [upload.value.id],
    });
    await eventually('the message at Petra', () => messageAt(petraCore, group.id, sent.id), waitMs);
    expect((await petraCore.core.readMedia(upload.value.id)).ok).toBe(true);
    expect(await keptFileIds(petraCore)).toContain(upload.value.id);

    expect(
      await petraCore.call('removeGroupMember', { conversationId: group.id, personId: petra.id }),
    ).toBeNull();
    expect(await conversationAt(petraCore, group.id)).toBeNull();
    expect(await messagesOf(petraCore, group.id)).toEqual([]);
    expect(await petraCore.call('searchMessages', { query: 'grillen' })).toEqual([]);
    expect(await petraCore.core.readMedia(upload.value.id)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    // The others go on.
    await eventually(
      'Petra gone at Lena',
      async () => {
        const c = await conversationAt(lenaCore, group.id);
        return c && !c.memberIds.includes(petra.id) ? c : undefined;
      },
      waitMs,
    );
  });
});

describe('moderation in a group', () => {
  it('lets an admin delete a member’s message for everyone, and nobody else', async () => {
    const groupId = await createGroup(api, jonas, [lena, petra], 'Moderiert');
    await eventually('the group at Petra', () =>
      conversationAt(petraCore, groupId).then((c) => c ?? undefined),
    );
    const [sent] = await mutate(api, lena, [chat.sendMessage(groupId, 'Bitte löschen')]);
    const messageId = (sent as { entityId: string }).entityId;
    await eventually('the message at Jonas', () => messageAt(jonasCore, groupId, messageId));
    await eventually('the message at Petra', () => messageAt(petraCore, groupId, messageId));
    // Petra is a member, not an admin: her app refuses at once and changes nothing.
    await expectError(petraCore.callRaw('deleteMessage', { messageId }), 'forbidden');
    expect((await messageAt(petraCore, groupId, messageId))?.deletedAt).toBeNull();

    const deleted = await jonasCore.call('deleteMessage', { messageId });
    expect(deleted).toMatchObject({ body: '', delivery: 'pending' });
    expect(deleted.deletedAt).not.toBeNull();
    await eventually('the tombstone at Lena', async () => {
      const message = await messageAt(lenaCore, groupId, messageId);
      return message?.deletedAt ? message : undefined;
    });
  });
});

describe('older history', () => {
  it('loads what the cache does not hold from the server, page by page, and keeps it', async () => {
    const groupId = await createGroup(api, jonas, [lena], 'Archiv');
    const bodies = Array.from({ length: 70 }, (_, i) => `Alt ${i}`);
    await mutate(
      api,
      jonas,
      bodies.map((body) => chat.sendMessage(groupId, body)),
    );
    const dataDir = await tempDir('core');
    const first = await startTestCore(dataDir, { live });
    await signIn(first, server.url, 'lena.weber');
    expect(await messagesOf(first, groupId)).toHaveLength(70);
    await first.core.close();
    // A cache that holds only the newest ten, as after a history that was never scrolled back.
    await editCache(dataDir, (db) => {
      const older = db
        .prepare<[string], string>(
          'SELECT id FROM messages WHERE conversation_id = ? ORDER BY created_at, id LIMIT 60',
        )
        .pluck()
        .all(groupId);
      for (const id of older) {
        db.prepare('DELETE FROM messages WHERE id = ?').run(id);
        db.prepare(`DELETE FROM sync_index WHERE entity = 'message' AND id = ?`).run(id);
      }
    });
    const test = await startTestCore(dataDir, { live });
    cores.push(test);
    expect((await messagesOf(test, groupId)).map((m) => m.body)).toEqual(bodies.slice(60));

    expect(await test.call('loadOlderMessages', { conversationId: groupId })).toEqual({
      added: 50,
      hasMore: true,
    });
    expect(await test.call('loadOlderMessages', { conversationId: groupId })).toEqual({
      added: 10,
      hasMore: false,
    });
    expect((await messagesOf(test, groupId)).map((m) => m.body)).toEqual(bodies);
    expect(
      await test.call('searchMessages', { query: 'alt', conversationId: groupId, limit: 100 }),
    ).toHaveLength(70);
    await expectError(test.callRaw('loadOlderMessages', { conversationId: lena.id }), 'not_found');
  });
});

/** The ids of the files a core keeps on disk (encrypted, one file per id). */
async function keptFileIds(test: TestCore): Promise<string[]> {
  // Names only: a file the core removes meanwhile is simply not listed.
  const entries = await readdir(join(test.dataDir, 'cache'), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => basename(entry.name));
}

/** Changes the cache of a core that is not running. */
const editCache = (dataDir: string, edit: (db: CacheDatabase) => void) =>
  withStoppedCache(dataDir, server.url, 'lena.weber', edit);
