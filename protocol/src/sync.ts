import { z } from 'zod';
import { Branding } from './branding.js';
import { Canteen, CanteenWeek } from './canteen.js';
import { ChatMessage, Conversation, ConversationReads, ConversationSettings } from './chat.js';
import { Id, Location, OrgUnit, Person, PrivateContact } from './directory.js';
import {
  FeedChannel,
  FeedChannelSettings,
  Post,
  PostComment,
  PostReach,
  PostState,
  PostStats,
} from './feed.js';
import { ScopeKey } from './scope.js';

/** A cursor is the decimal sequence number of the last change the client has applied ("0" = nothing). */
export const Cursor = z.string().regex(/^(0|[1-9][0-9]{0,17})$/, 'cursor must be a decimal sequence number');

/** Changes asked for per request at most. */
export const maxSyncPageSize = 1000;

/**
 * The server ends a page early once its payloads reach this many bytes (a page holds at least one
 * change), so a page of long messages or large groups stays well below what a client reads.
 */
export const maxSyncPageBytes = 8 * 1024 * 1024;

const booleanFlag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const SyncQuery = z
  .object({
    after: Cursor.default('0'),
    limit: z.coerce.number().int().min(1).max(maxSyncPageSize).default(500),
    /**
     * Only the current state: no tombstones. For a cache that starts empty (first sync, full
     * resync) or fills one scope it just gained, deletes are noise. Never answered with
     * `resync_required`, however old `after` is.
     */
    snapshot: booleanFlag.default(false),
    /** Only this scope (one of the caller's): backfills a scope the client just gained. */
    scope: ScopeKey.optional(),
    /** Only changes up to this seq (with `scope`: where the main sync already covers the rest). */
    until: Cursor.optional(),
  })
  .strict();
export type SyncQuery = z.infer<typeof SyncQuery>;

export const SyncEntity = z.enum([
  'person',
  'orgUnit',
  'location',
  /**
   * A person's restricted contact data, one copy per reader in their `user:` scope: the person,
   * their manager and everyone with the `hr` role.
   */
  'privateContact',
  'conversation',
  'message',
  'conversationSettings',
  /** Members' read positions in a direct or group conversation (scope: the conversation). */
  'conversationReads',
  'feedChannel',
  'post',
  /** The author's own copy of each of their posts (scope `user:<author>`), scheduled ones included. */
  'authoredPost',
  'postState',
  'postReach',
  'postStats',
  'feedChannelSettings',
  'postComment',
  /** Each comment on an author's posts, for the author (scope `user:<author>`). */
  'authoredPostComment',
  'canteen',
  /** One canteen's plan for one week (scope: company). */
  'canteenWeek',
  /** The company's branding, one entity with the id `brandingEntityId` (scope: company). */
  'branding',
]);
export type SyncEntity = z.infer<typeof SyncEntity>;

/** `scope` is the one scope the entity is in; the client purges it with that scope. */
const base = { seq: Cursor, id: Id, scope: ScopeKey };

const upsert = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ ...base, type: z.literal(type), data }).strict();
const tombstone = <T extends string>(type: T) => z.object({ ...base, type: z.literal(type) }).strict();

export const SyncChange = z.discriminatedUnion('type', [
  upsert('person.upsert', Person),
  upsert('orgUnit.upsert', OrgUnit),
  upsert('location.upsert', Location),
  upsert('privateContact.upsert', PrivateContact),
  upsert('conversation.upsert', Conversation),
  upsert('message.upsert', ChatMessage),
  upsert('conversationSettings.upsert', ConversationSettings),
  upsert('conversationReads.upsert', ConversationReads),
  upsert('feedChannel.upsert', FeedChannel),
  upsert('post.upsert', Post),
  upsert('authoredPost.upsert', Post),
  upsert('postState.upsert', PostState),
  upsert('postReach.upsert', PostReach),
  upsert('postStats.upsert', PostStats),
  upsert('feedChannelSettings.upsert', FeedChannelSettings),
  upsert('postComment.upsert', PostComment),
  upsert('authoredPostComment.upsert', PostComment),
  upsert('canteen.upsert', Canteen),
  upsert('canteenWeek.upsert', CanteenWeek),
  upsert('branding.upsert', Branding),
  tombstone('person.delete'),
  tombstone('orgUnit.delete'),
  tombstone('location.delete'),
  tombstone('privateContact.delete'),
  tombstone('conversation.delete'),
  tombstone('message.delete'),
  tombstone('conversationSettings.delete'),
  tombstone('conversationReads.delete'),
  tombstone('feedChannel.delete'),
  tombstone('post.delete'),
  tombstone('authoredPost.delete'),
  tombstone('postState.delete'),
  tombstone('postReach.delete'),
  tombstone('postStats.delete'),
  tombstone('feedChannelSettings.delete'),
  tombstone('postComment.delete'),
  tombstone('authoredPostComment.delete'),
  tombstone('canteen.delete'),
  tombstone('canteenWeek.delete'),
]);
export type SyncChange = z.infer<typeof SyncChange>;

/** The entity a change is about: the part of its type before the dot. */
export function changeEntity(change: SyncChange): SyncEntity {
  return change.type.slice(0, change.type.indexOf('.')) as SyncEntity;
}

/** `GET /api/v1/sync?after=&limit=`: changes visible to the caller, ascending by seq. */
export const SyncPage = z
  .object({
    /**
     * Names this server's change log. When it differs from the one the client stored, the client's
     * data and cursor belong to another log (the server was reset or restored): it syncs again
     * from "0" and then drops whatever the new log did not deliver.
     */
    epoch: z.string().min(1).max(100),
    /**
     * Every scope the caller has, read in the same snapshot as the changes. A scope the client
     * held and that is missing here was lost: the client purges its data. A scope that is new
     * here was gained: this page covers its changes after the request's `after`; the client
     * backfills the rest with `scope` + `until`.
     */
    scopes: z.array(ScopeKey).max(100_000),
    changes: z.array(SyncChange).max(maxSyncPageSize),
    /**
     * Cursor to send as `after` next time: the last change's seq while more pages follow; on the
     * last page the end of the log as of this page (or `until`), since nothing in the caller's
     * scopes comes before it.
     */
    cursor: Cursor,
    hasMore: z.boolean(),
  })
  .strict();
export type SyncPage = z.infer<typeof SyncPage>;

/**
 * A sync page as it travels, before its changes are read: a newer server may send changes of
 * entity types this client does not know yet. They are set aside, not refused (see
 * `readSyncPage`), so an older app keeps syncing what it knows while the server is ahead.
 */
export const SyncPageEnvelope = SyncPage.extend({
  changes: z.array(z.looseObject({ type: z.string().max(100) })).max(maxSyncPageSize),
});

const knownChangeTypes: ReadonlySet<string> = new Set(
  SyncChange.options.map((option) => option.shape.type.value),
);

/** Whether this version of the app knows (and stores) changes of this type. */
export const isKnownChangeType = (type: string): boolean => knownChangeTypes.has(type);

/**
 * The page with the changes this client knows, and the types it does not. A known change that
 * does not fit its schema is malformed, and throws like a malformed page: that is never skipped.
 */
export function readSyncPage(envelope: z.infer<typeof SyncPageEnvelope>): {
  page: SyncPage;
  unknownTypes: string[];
} {
  const unknownTypes = new Set<string>();
  const known = envelope.changes.filter((change) => {
    if (isKnownChangeType(change.type)) return true;
    unknownTypes.add(change.type);
    return false;
  });
  return {
    page: SyncPage.parse({ ...envelope, changes: known }),
    unknownTypes: [...unknownTypes].sort(),
  };
}
