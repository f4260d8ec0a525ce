import { type ScopeKey, scopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { type PostRow, findPost, postScopes } from './post-rows.js';

/**
 * Who may post and manage posts in the newsfeed: the one place that decides it. Editors
 * (internal communications) post anywhere; the manager of an org unit posts in the channels of
 * that unit (with or without its sub-units); everybody else reads.
 */
export interface Poster {
  personId: string;
  /** The person's scopes now (`role:editor` among them makes an editor). */
  scopes: readonly ScopeKey[];
  /** The org units the person manages. */
  managedUnits: ReadonlySet<string>;
}

export const editorScope = scopeKey('role', 'editor');

/** The audiences of the channels the poster may post in: `'any'` for an editor. */
export function postableAudiences(poster: Poster): 'any' | ScopeKey[] {
  if (poster.scopes.includes(editorScope)) return 'any';
  return [...poster.managedUnits].flatMap((unit) => [
    scopeKey('orgUnit', unit),
    scopeKey('orgUnitTree', unit),
  ]);
}

export function mayPostIn(poster: Poster, audience: ScopeKey): boolean {
  const audiences = postableAudiences(poster);
  return audiences === 'any' || audiences.includes(audience);
}

/** Edit, delete, pin, see confirmations and remind: its author, or whoever may post in its channel. */
export function mayManagePost(poster: Poster, post: Pick<PostRow, 'author_id' | 'audience'>): boolean {
  return post.author_id === poster.personId || mayPostIn(poster, post.audience);
}

/** Whoever holds `scopes` sees the post: the audience once it is published, before that its author. */
export function canSeePost(
  scopes: readonly ScopeKey[],
  post: Pick<PostRow, 'published' | 'audience' | 'author_id'>,
): boolean {
  return postScopes(post).some((scope) => scopes.includes(scope));
}

export async function loadPoster(
  db: Queryable,
  personId: string,
  scopes: readonly ScopeKey[],
): Promise<Poster> {
  const rows = await db.query<{ id: string }>('SELECT id FROM org_units WHERE manager_id = $1', [personId]);
  return { personId, scopes, managedUnits: new Set(rows.map((row) => row.id)) };
}

export type ManagedPost =
  | { ok: true; post: PostRow; poster: Poster }
  /** `not_found` for a post that is missing, deleted or invisible to the person: they look alike. */
  | { ok: false; refusal: 'not_found' | 'forbidden' };

/** The post, if the person may manage it; `lock` as in `findPost`. */
export async function findManagedPost(
  tx: Queryable,
  personId: string,
  scopes: readonly ScopeKey[],
  postId: string,
  lock: 'update' | 'none' = 'none',
): Promise<ManagedPost> {
  const post = await findPost(tx, postId, lock);
  if (!post) return { ok: false, refusal: 'not_found' };
  const poster = await loadPoster(tx, personId, scopes);
  if (mayManagePost(poster, post)) return { ok: true, post, poster };
  return { ok: false, refusal: canSeePost(scopes, post) ? 'forbidden' : 'not_found' };
}
