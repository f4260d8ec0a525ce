import type { EntityChange } from '../sync/change-log.js';
import { userScope } from '../sync/scopes.js';
import type { PostRow } from './post-rows.js';

/** Change-log entries of the newsfeed's entities, each in the scope it belongs to. */

/** A post's change: for its author's copy, and for its audience once it is published. */
export const postChanges = (
  post: Pick<PostRow, 'id' | 'published' | 'audience' | 'author_id'>,
  op: EntityChange['op'] = 'upsert',
): EntityChange[] => [
  { entityType: 'authoredPost', entityId: post.id, op, scope: userScope(post.author_id) },
  ...(post.published ? [{ entityType: 'post' as const, entityId: post.id, op, scope: post.audience }] : []),
];

export const reachChange = (
  post: Pick<PostRow, 'id' | 'author_id'>,
  op: EntityChange['op'] = 'upsert',
): EntityChange => ({ entityType: 'postReach', entityId: post.id, op, scope: userScope(post.author_id) });

export const stateChange = (
  postId: string,
  personId: string,
  op: EntityChange['op'] = 'upsert',
): EntityChange => ({ entityType: 'postState', entityId: postId, op, scope: userScope(personId) });
