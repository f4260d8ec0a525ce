import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { channelMention, highlightStart, mentionOf } from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Drafts } from '../../../electron/core/cache/drafts.js';
import { prepareCacheSchema } from '../../../electron/core/cache/database.js';
import { latestVersion, migrations } from '../../../electron/core/cache/migrations.js';
import { ChatReader } from '../../../electron/core/chat/chat-reader.js';
import { ChatStore } from '../../../electron/core/chat/chat-store.js';
import { isResyncing, readCursor, readGeneration } from '../../../electron/core/sync/sync-state.js';
import { jonas, lena } from './core-test-data.js';

let dir: string;
let db: Database.Database;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flurfunk-chat-migration-'));
  // A cache as Flurfunk with schema version 5 left it (the cipher plays no part in the schema).
  db = new Database(join(dir, 'c.db'));
  for (const migration of migrations.filter((m) => m.version <= 5)) db.exec(migration.sql);
  db.pragma('user_version = 5');
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('cache migration 6 (chat with files, reactions, search)', () => {
  it('keeps every cached message readable, searchable and counted, and resyncs for the new fields', () => {
    const conversationId = uuidv7();
    const ids = [uuidv7(), uuidv7(), uuidv7()];
    db.prepare(
      `INSERT INTO meta (key, value) VALUES ('session.user', ?), ('sync.cursor', '42'), ('sync.epoch', 'e1')`,
    ).run(
      JSON.stringify({
        id: lena.id,
        username: lena.username,
        displayName: lena.displayName,
        roles: ['employee'],
      }),
    );
    db.prepare(
      `INSERT INTO conversations (id, kind, title, audience, member_ids, admin_ids, read_only, created_at)
       VALUES (?, 'group', 'Frühschicht', ?, ?, '[]', 0, '2026-11-01T08:00:00.000000Z')`,
    ).run(conversationId, `chat:${conversationId}`, JSON.stringify([lena.id, jonas.id]));
    const insert = db.prepare(
      `INSERT INTO messages (id, conversation_id, author_id, body, created_at, edited_at) VALUES (?, ?, ?, ?, ?, NULL)`,
    );
    insert.run(ids[0], conversationId, jonas.id, 'Übergabe um sechs', '2026-11-20T06:00:00.000000Z');
    insert.run(
      ids[1],
      conversationId,
      jonas.id,
      `${mentionOf(lena.id)} schaust du?`,
      '2026-11-20T06:01:00.000000Z',
    );
    insert.run(ids[2], conversationId, jonas.id, `${channelMention} Pause!`, '2026-11-20T06:02:00.000000Z');
    db.prepare(`INSERT INTO sync_backfills (scope, after, until) VALUES ('company', '0', '40')`).run();

    prepareCacheSchema(db);

    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    const reader = new ChatReader(new ChatStore(db, lena.id), new Drafts(db));
    expect(reader.getConversation(conversationId)).toMatchObject({
      title: 'Frühschicht',
      picture: null,
      unreadCount: 3,
      mentionCount: 2,
      reads: { readers: [], counts: [] },
    });
    expect(reader.listMessages({ conversationId, limit: 10 }).map((m) => m.id)).toEqual(ids);
    expect(reader.getMessage(ids[0]!)).toMatchObject({
      replyToId: null,
      forwarded: false,
      attachments: [],
      reactions: [],
      deletedAt: null,
    });
    const hits = reader.searchMessages({ query: 'ubergabe', limit: 10 });
    expect(hits.map((h) => h.messageId)).toEqual([ids[0]]);
    expect(hits[0]?.snippet).toContain(highlightStart);
    // The old rows lack replies, files and reactions: a full resync brings them, the cache stays readable.
    expect(readCursor(db)).toBe('0');
    expect(isResyncing(db)).toBe(true);
    expect(readGeneration(db)).toBe(1);
    expect(db.prepare('SELECT count(*) FROM sync_backfills').pluck().get()).toBe(0);
  });

  it('starts no resync for a cache that never synced', () => {
    prepareCacheSchema(db);
    expect(isResyncing(db)).toBe(false);
    expect(readGeneration(db)).toBe(0);
  });
});

describe('cache migration 7 (read receipts counted in large groups)', () => {
  it('keeps the named readers of small conversations, and no mention in a forwarded text', () => {
    for (const migration of migrations.filter((m) => m.version === 6)) db.exec(migration.sql);
    db.pragma('user_version = 6');
    const conversationId = uuidv7();
    const messageId = uuidv7();
    db.prepare(
      `INSERT INTO conversations (id, kind, title, audience, member_ids, admin_ids, read_only, created_at)
       VALUES (?, 'group', 'Frühschicht', ?, ?, '[]', 0, '2026-11-01T08:00:00.000000Z')`,
    ).run(conversationId, `chat:${conversationId}`, JSON.stringify([lena.id, jonas.id]));
    db.prepare(
      `INSERT INTO messages (id, conversation_id, author_id, body, created_at) VALUES (?, ?, ?, 'Hallo', ?)`,
    ).run(messageId, conversationId, lena.id, '2026-11-20T06:00:00.000000Z');
    const readers = [{ personId: jonas.id, lastReadMessageId: messageId }];
    db.prepare('INSERT INTO conversation_reads (id, readers) VALUES (?, ?)').run(
      conversationId,
      JSON.stringify(readers),
    );

    // A large group's readers are counted now: its long list goes until the next read mark.
    const large = uuidv7();
    db.prepare(
      `INSERT INTO conversations (id, kind, title, audience, member_ids, admin_ids, read_only, created_at)
       VALUES (?, 'group', 'Betriebsfest', ?, '[]', '[]', 0, '2026-11-01T08:00:00.000000Z')`,
    ).run(large, `chat:${large}`);
    db.prepare('INSERT INTO conversation_reads (id, readers) VALUES (?, ?)').run(
      large,
      JSON.stringify(
        Array.from({ length: 25 }, () => ({ personId: uuidv7(), lastReadMessageId: messageId })),
      ),
    );
    const forwarded = uuidv7();
    db.prepare(
      `INSERT INTO messages (id, conversation_id, author_id, body, forwarded, created_at, mentions_me)
       VALUES (?, ?, ?, ?, 1, ?, 1)`,
    ).run(forwarded, conversationId, jonas.id, `${channelMention} Termin`, '2026-11-20T06:01:00.000000Z');

    prepareCacheSchema(db);

    const reader = new ChatReader(new ChatStore(db, lena.id), new Drafts(db));
    expect(reader.getConversation(conversationId)).toMatchObject({
      reads: { readers, counts: [] },
      unreadCount: 1,
      mentionCount: 0,
    });
    expect(reader.getConversation(large)?.reads).toEqual({ readers: [], counts: [] });
  });
});
