import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scopeKey } from '@flurfunk/protocol';
import type { ChatMessage, Conversation, FileMeta, SessionUser, SyncPage } from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import { type CacheDatabase, openCacheDatabase } from '../../../electron/core/cache/database.js';
import { Drafts } from '../../../electron/core/cache/drafts.js';
import { ChatReader } from '../../../electron/core/chat/chat-reader.js';
import { ChatWrites } from '../../../electron/core/chat/chat-writes.js';
import { KnownFiles } from '../../../electron/core/files/known-files.js';
import { applySyncPage } from '../../../electron/core/sync/apply-page.js';
import type { ChangeSet } from '../../../electron/core/sync/change-set.js';
import { readCursor } from '../../../electron/core/sync/sync-state.js';
import {
  type UnnumberedChange,
  anna,
  changesFor,
  jonas,
  lena,
  upsertAll,
  workshop,
} from './core-test-data.js';
import { syncStoresFor } from './sync-test-stores.js';

export const lenaUser: SessionUser = {
  id: lena.id,
  username: lena.username,
  displayName: lena.displayName,
  roles: ['employee'],
};

export const workshopScope = scopeKey('orgUnitTree', workshop.id);

/** A conversation as the server delivers it; direct and group ones live in their own scope. */
export function conversation(kind: Conversation['kind'], extra: Partial<Conversation> = {}): Conversation {
  const id = uuidv7();
  return {
    id,
    kind,
    title: kind === 'direct' ? '' : kind === 'group' ? 'Schichtübergabe' : 'Werkstatt',
    audience: kind === 'channel' ? workshopScope : `chat:${id}`,
    memberIds: kind === 'direct' ? [lena.id, jonas.id] : kind === 'group' ? [lena.id, jonas.id, anna.id] : [],
    adminIds: kind === 'group' ? [jonas.id] : [],
    readOnly: false,
    picture: null,
    createdAt: '2026-11-01T08:00:00.000000Z',
    ...extra,
  };
}

export interface ChatCache {
  db: CacheDatabase;
  stores: ReturnType<typeof syncStoresFor>;
  drafts: Drafts;
  files: KnownFiles;
  reader: ChatReader;
  writes: ChatWrites;
  /** Applies changes as one page of the main log; `withScopes` replaces the user's scopes. */
  sync(entries: UnnumberedChange[], withScopes?: string[]): ChangeSet;
  scopes(): string[];
  close(): Promise<void>;
}

let clock = Date.parse('2026-11-20T08:00:00.000Z');

/** A message a minute after the one made before it. */
export function message(c: Conversation, body: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  clock += 60_000;
  return {
    id: uuidv7(),
    conversationId: c.id,
    authorId: jonas.id,
    body,
    replyToId: null,
    forwarded: false,
    attachments: [],
    reactions: [],
    createdAt: new Date(clock).toISOString().replace('Z', '000Z'),
    editedAt: null,
    deletedAt: null,
    ...extra,
  };
}

export function fileMeta(name: string, extra: Partial<FileMeta> = {}): FileMeta {
  return {
    id: uuidv7(),
    name,
    mediaType: 'application/pdf',
    size: 1234,
    sha256: randomBytes(32).toString('hex'),
    width: null,
    height: null,
    ...extra,
  };
}

export const conversationChange = (c: Conversation): UnnumberedChange => ({
  type: 'conversation.upsert',
  id: c.id,
  scope: c.audience,
  data: c,
});

export const messageChange = (m: ChatMessage, c: Conversation): UnnumberedChange => ({
  type: 'message.upsert',
  id: m.id,
  scope: c.audience,
  data: m,
});

/** A real encrypted cache with the chat's stores, reader and writes for Lena. */
export async function openChatCache(): Promise<ChatCache> {
  const dir = await mkdtemp(join(tmpdir(), 'flurfunk-chat-'));
  const db: CacheDatabase = openCacheDatabase(join(dir, 'c.db'), randomBytes(32).toString('hex'));
  const stores = syncStoresFor(db, lena.id);
  const drafts = new Drafts(db);
  const files = new KnownFiles(db);
  const reader = new ChatReader(stores.chat, drafts);
  const writes = new ChatWrites(db, stores.chat, stores.outbox, stores.index, lenaUser, files, drafts);
  let scopes = ['company', workshopScope, scopeKey('user', lena.id)];

  /** Applies changes as one page of the main log; `withScopes` replaces the user's scopes. */
  const sync = (entries: UnnumberedChange[], withScopes?: string[]) => {
    if (withScopes) scopes = withScopes;
    const extra = entries.map((e) => e.scope).filter((s) => !scopes.includes(s));
    scopes = [...scopes, ...new Set(extra)];
    const after = readCursor(db);
    const changes = changesFor(entries, Number(after) + 1);
    const page: SyncPage = {
      epoch: 'e1',
      scopes,
      changes,
      cursor: changes.at(-1)?.seq ?? after,
      hasMore: false,
    };
    return applySyncPage(db, stores.stores, page, { kind: 'main', after }, null);
  };
  sync(upsertAll());

  return {
    db,
    stores,
    drafts,
    files,
    reader,
    writes,
    sync,
    scopes: () => scopes,
    close: async () => {
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
