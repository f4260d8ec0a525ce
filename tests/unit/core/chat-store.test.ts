import { channelMention, highlightEnd, highlightStart, mentionOf, scopeKey } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anna, jonas, lena } from './core-test-data.js';
import {
  type ChatCache,
  conversation,
  conversationChange,
  fileMeta,
  message,
  messageChange,
  openChatCache,
} from './chat-test-data.js';

let cache: ChatCache;

beforeEach(async () => {
  cache = await openChatCache();
});
afterEach(async () => {
  await cache.close();
});

describe('the cached conversations', () => {
  it('counts unread messages of others after the last read one, and the mentions among them', () => {
    const group = conversation('group');
    const read = message(group, 'Guten Morgen');
    const mine = message(group, 'Bin gleich da', { authorId: lena.id });
    const plain = message(group, 'Die Presse 3 steht');
    const forLena = message(group, `${mentionOf(lena.id)} kannst du schauen?`);
    const forAll = message(group, `${channelMention} Pause fällt aus`);
    const forAnna = message(group, `${mentionOf(anna.id)} bitte melden`);
    const deleted = message(group, '', { deletedAt: '2026-11-21T08:00:00.000000Z' });
    // A forwarded text's mentions were meant for another conversation.
    const forwarded = message(group, `${channelMention} ${mentionOf(lena.id)} Termin`, { forwarded: true });
    cache.sync([
      conversationChange(group),
      ...[read, mine, plain, forLena, forAll, forAnna, deleted, forwarded].map((m) =>
        messageChange(m, group),
      ),
    ]);
    expect(cache.reader.getConversation(group.id)).toMatchObject({ unreadCount: 6, mentionCount: 2 });

    cache.sync([
      {
        type: 'conversationSettings.upsert',
        id: group.id,
        scope: scopeKey('user', lena.id),
        data: { id: group.id, muted: true, pinned: false, lastReadMessageId: plain.id },
      },
    ]);
    expect(cache.reader.getConversation(group.id)).toMatchObject({
      muted: true,
      lastReadMessageId: plain.id,
      unreadCount: 4,
      mentionCount: 2,
    });
  });

  it('lists pinned conversations first, then by their newest message', () => {
    const quiet = conversation('group', { title: 'Ruhig', createdAt: '2026-11-02T08:00:00.000000Z' });
    const busy = conversation('group', { title: 'Viel los' });
    const pinned = conversation('channel', { title: 'Angeheftet' });
    const direct = conversation('direct');
    cache.sync([
      ...[quiet, busy, pinned, direct].map(conversationChange),
      messageChange(message(direct, 'Hallo'), direct),
      messageChange(message(busy, 'Neu'), busy),
      {
        type: 'conversationSettings.upsert',
        id: pinned.id,
        scope: scopeKey('user', lena.id),
        data: { id: pinned.id, muted: false, pinned: true, lastReadMessageId: null },
      },
    ]);
    const list = cache.reader.listConversations();
    expect(list.map((c) => c.id)).toEqual([pinned.id, busy.id, direct.id, quiet.id]);
    expect(list[1]?.lastMessage?.body).toBe('Neu');
    expect(list[3]?.lastMessage).toBeNull();
  });

  it('shows the members’ read positions of groups, and none for channels', () => {
    const group = conversation('group');
    const channel = conversation('channel');
    const m = message(group, 'Gelesen?');
    const readers = [{ personId: jonas.id, lastReadMessageId: m.id }];
    cache.sync([
      conversationChange(group),
      conversationChange(channel),
      messageChange(m, group),
      {
        type: 'conversationReads.upsert',
        id: group.id,
        scope: group.audience,
        data: { id: group.id, readers, counts: [] },
      },
    ]);
    expect(cache.reader.getConversation(group.id)?.reads).toEqual({ readers, counts: [] });
    expect(cache.reader.getConversation(channel.id)?.reads).toEqual({ readers: [], counts: [] });
  });

  it('keeps a group picture served while the group is cached', () => {
    const picture = fileMeta('team.png', { mediaType: 'image/png', width: 64, height: 64 });
    const group = conversation('group', { picture });
    cache.sync([conversationChange(group)]);
    expect(cache.reader.getConversation(group.id)?.picture).toEqual(picture);
    expect(cache.files.meta(picture.id)).toEqual(picture);
    cache.sync([conversationChange({ ...group, picture: null })]);
    expect(cache.files.meta(picture.id)).toBeNull();
  });

  it('purges a conversation whose scope the user lost: messages, files, reads, settings and draft', () => {
    const group = conversation('group');
    const file = fileMeta('Schichtplan.pdf');
    const m = message(group, 'Der Plan für nächste Woche', { attachments: [file] });
    cache.sync([
      conversationChange(group),
      messageChange(m, group),
      {
        type: 'conversationReads.upsert',
        id: group.id,
        scope: group.audience,
        data: { id: group.id, readers: [{ personId: jonas.id, lastReadMessageId: m.id }], counts: [] },
      },
    ]);
    cache.drafts.write(`chat:${group.id}`, { body: 'Halb geschrieben', replyToId: null });
    expect(cache.files.meta(file.id)).toEqual(file);
    expect(cache.reader.searchMessages({ query: 'plan', limit: 10 })).toHaveLength(1);

    cache.sync(
      [],
      cache.scopes().filter((s) => s !== group.audience),
    );
    expect(cache.reader.getConversation(group.id)).toBeNull();
    expect(cache.reader.getMessage(m.id)).toBeNull();
    expect(cache.files.meta(file.id)).toBeNull();
    expect(cache.reader.searchMessages({ query: 'plan', limit: 10 })).toEqual([]);
    expect(cache.db.prepare('SELECT count(*) FROM conversation_reads').pluck().get()).toBe(0);
    expect(cache.db.prepare('SELECT count(*) FROM drafts').pluck().get()).toBe(0);
  });
});

describe('the cached messages', () => {
  it('pages the newest, before and after a message, and around one to jump to it, oldest first', () => {
    const group = conversation('group');
    const messages = Array.from({ length: 30 }, (_, i) => message(group, `Nachricht ${i}`));
    cache.sync([conversationChange(group), ...messages.map((m) => messageChange(m, group))]);
    const bodies = (list: { body: string }[]) => list.map((m) => Number(m.body.split(' ')[1]));
    const list = (args: object) => cache.reader.listMessages({ conversationId: group.id, limit: 5, ...args });

    expect(bodies(list({}))).toEqual([25, 26, 27, 28, 29]);
    expect(bodies(list({ before: messages[25] }))).toEqual([20, 21, 22, 23, 24]);
    expect(bodies(list({ after: messages[25] }))).toEqual([26, 27, 28, 29]);
    expect(bodies(list({ around: messages[10]!.id }))).toEqual([8, 9, 10, 11, 12]);
    expect(bodies(list({ around: messages[1]!.id }))).toEqual([0, 1, 2, 3, 4]);
    expect(bodies(list({ around: messages[29]!.id }))).toEqual([25, 26, 27, 28, 29]);
    // A message of another conversation (or none) is nothing to jump to.
    expect(list({ around: lena.id })).toEqual([]);
  });

  it('keeps a deleted message as a tombstone in its place, without text, files or reactions', () => {
    const group = conversation('group');
    const file = fileMeta('Foto.jpg', { mediaType: 'image/jpeg' });
    const m = message(group, 'Seht euch das an', {
      attachments: [file],
      reactions: [{ emoji: '👍', personIds: [anna.id] }],
    });
    const after = message(group, 'Danke');
    cache.sync([conversationChange(group), messageChange(m, group), messageChange(after, group)]);
    expect(cache.reader.getMessage(m.id)).toMatchObject({
      attachments: [file],
      reactions: [{ emoji: '👍', personIds: [anna.id] }],
      delivery: 'synced',
      failure: null,
    });

    const deletedAt = '2026-11-22T08:00:00.000000Z';
    cache.sync([messageChange({ ...m, body: '', attachments: [], reactions: [], deletedAt }, group)]);
    const list = cache.reader.listMessages({ conversationId: group.id, limit: 10 });
    expect(list.map((x) => x.id)).toEqual([m.id, after.id]);
    expect(list[0]).toMatchObject({ body: '', attachments: [], reactions: [], deletedAt });
    expect(cache.files.meta(file.id)).toBeNull();
    expect(cache.reader.searchMessages({ query: 'seht', limit: 10 })).toEqual([]);
    expect(cache.reader.getConversation(group.id)?.unreadCount).toBe(1);
  });

  it('serves a forwarded file while any cached message still names it', () => {
    const group = conversation('group');
    const direct = conversation('direct');
    const file = fileMeta('Angebot.pdf');
    const original = message(group, 'Angebot', { attachments: [file] });
    const forwarded = message(direct, 'Angebot', { attachments: [file], forwarded: true });
    cache.sync([
      conversationChange(group),
      conversationChange(direct),
      messageChange(original, group),
      messageChange(forwarded, direct),
    ]);
    cache.sync([{ type: 'message.delete', id: forwarded.id, scope: direct.audience }]);
    expect(cache.files.meta(file.id)).toEqual(file);
    cache.sync([{ type: 'message.delete', id: original.id, scope: group.audience }]);
    expect(cache.files.meta(file.id)).toBeNull();
  });
});

describe('searching cached messages', () => {
  it('finds words by prefix with umlauts and case ignored, best first, with the matches marked', () => {
    const group = conversation('group');
    const channel = conversation('channel');
    const a = message(group, 'Die Prüfung der Hebebühne ist am Freitag.');
    const b = message(channel, 'Prüfung, Prüfung, Prüfung: bitte alle zur PRÜFUNG.', { authorId: anna.id });
    const c = message(group, 'Kaffeemaschine kaputt');
    cache.sync([
      conversationChange(group),
      conversationChange(channel),
      ...[a, b, c].map((m) => messageChange(m, m.conversationId === group.id ? group : channel)),
    ]);

    const hits = cache.reader.searchMessages({ query: 'prufung', limit: 10 });
    expect(hits.map((h) => h.messageId)).toEqual([b.id, a.id]);
    expect(hits[1]).toMatchObject({
      conversationId: group.id,
      authorId: jonas.id,
      createdAt: a.createdAt,
      hasFiles: false,
    });
    expect(hits[1]?.snippet).toContain(`${highlightStart}Prüfung${highlightEnd}`);
    expect(cache.reader.searchMessages({ query: 'HEBE frei', limit: 10 }).map((h) => h.messageId)).toEqual([
      a.id,
    ]);
    // What a user types is never FTS5 syntax.
    expect(cache.reader.searchMessages({ query: '"kaffee* -(:', limit: 10 }).map((h) => h.messageId)).toEqual(
      [c.id],
    );
    expect(cache.reader.searchMessages({ query: 'prüfung', limit: 1 })).toHaveLength(1);
  });

  it('narrows by conversation, person, files and time, and lists the newest by filter alone', () => {
    const group = conversation('group');
    const direct = conversation('direct');
    const withFile = message(group, 'Protokoll anbei', { attachments: [fileMeta('Protokoll.pdf')] });
    const byAnna = message(group, 'Protokoll folgt', { authorId: anna.id });
    const inDirect = message(direct, 'Protokoll gelesen?');
    cache.sync([
      conversationChange(group),
      conversationChange(direct),
      messageChange(withFile, group),
      messageChange(byAnna, group),
      messageChange(inDirect, direct),
    ]);
    const ids = (args: object) =>
      cache.reader
        .searchMessages({ query: 'protokoll', limit: 10, ...args })
        .map((h) => h.messageId)
        .sort();

    expect(ids({ conversationId: direct.id })).toEqual([inDirect.id]);
    expect(ids({ authorId: anna.id })).toEqual([byAnna.id]);
    expect(ids({ hasFiles: true })).toEqual([withFile.id]);
    expect(ids({ hasFiles: false })).toEqual([byAnna.id, inDirect.id].sort());
    expect(ids({ since: byAnna.createdAt })).toEqual([byAnna.id, inDirect.id].sort());
    expect(ids({ until: byAnna.createdAt.replace('000Z', '+00:00') })).toEqual([withFile.id]);

    const newest = cache.reader.searchMessages({ query: '  ', conversationId: group.id, limit: 10 });
    expect(newest.map((h) => h.messageId)).toEqual([byAnna.id, withFile.id]);
    expect(newest[0]?.snippet).toBe('Protokoll folgt');
    // Nothing to search for and nothing to narrow by: no list of everything.
    expect(cache.reader.searchMessages({ query: ' ', limit: 10 })).toEqual([]);
  });

  it('finds an edited message by its new words only', () => {
    const group = conversation('group');
    const m = message(group, 'Treffen um neun');
    cache.sync([conversationChange(group), messageChange(m, group)]);
    cache.sync([
      messageChange({ ...m, body: 'Treffen um zehn', editedAt: '2026-11-23T08:00:00.000000Z' }, group),
    ]);
    expect(cache.reader.searchMessages({ query: 'neun', limit: 10 })).toEqual([]);
    expect(cache.reader.searchMessages({ query: 'zehn', limit: 10 })).toHaveLength(1);
  });
});
