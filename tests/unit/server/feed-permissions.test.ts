import { type ScopeKey, scopeKey } from '@flurfunk/protocol';
import { v4 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { postChanges, statsChanges } from '../../../server/src/feed/changes.js';
import {
  type Poster,
  canSeePost,
  mayManagePost,
  mayPostIn,
  postableAudiences,
} from '../../../server/src/feed/permissions.js';
import { postScopes } from '../../../server/src/feed/post-rows.js';

const workshop = v4();
const production = v4();
const plant = scopeKey('location', v4());

function poster(options: { editor?: boolean; manages?: string[] } = {}): Poster {
  const personId = v4();
  const scopes: ScopeKey[] = ['company', scopeKey('user', personId), plant];
  if (options.editor) scopes.push(scopeKey('role', 'editor'));
  return { personId, scopes, managedUnits: new Set(options.manages ?? []) };
}

describe('who may post in the newsfeed', () => {
  const audiences: ScopeKey[] = [
    'company',
    plant,
    scopeKey('orgUnit', workshop),
    scopeKey('orgUnitTree', workshop),
    scopeKey('orgUnitTree', production),
    scopeKey('role', 'editor'),
  ];

  it('lets an editor post in every channel, also one they do not read', () => {
    const editor = poster({ editor: true });
    for (const audience of [...audiences, scopeKey('location', v4())])
      expect(mayPostIn(editor, audience)).toBe(true);
    expect(postableAudiences(editor)).toBe('any');
  });

  it('lets a manager post in the channels of the unit they manage, with or without its sub-units', () => {
    const head = poster({ manages: [workshop] });
    expect(audiences.filter((audience) => mayPostIn(head, audience))).toEqual([
      scopeKey('orgUnit', workshop),
      scopeKey('orgUnitTree', workshop),
    ]);
  });

  it('lets everybody else post nowhere', () => {
    const employee = poster();
    expect(audiences.filter((audience) => mayPostIn(employee, audience))).toEqual([]);
    expect(postableAudiences(employee)).toEqual([]);
  });
});

describe('who may manage a post', () => {
  it('is its author, an editor, or whoever may post in its channel', () => {
    const author = poster();
    const post = { author_id: author.personId, audience: scopeKey('orgUnitTree', workshop) };
    expect(mayManagePost(author, post)).toBe(true);
    expect(mayManagePost(poster({ editor: true }), post)).toBe(true);
    expect(mayManagePost(poster({ manages: [workshop] }), post)).toBe(true);
    expect(mayManagePost(poster({ manages: [production] }), post)).toBe(false);
    expect(mayManagePost(poster(), post)).toBe(false);
  });

  it('keeps a scheduled post from everyone but its author until it is published', () => {
    const author = poster();
    const reader = poster();
    const scheduled = { published: false, audience: plant, author_id: author.personId };
    expect(canSeePost(author.scopes, scheduled)).toBe(true);
    expect(canSeePost(reader.scopes, scheduled)).toBe(false);
    expect(canSeePost(reader.scopes, { ...scheduled, published: true })).toBe(true);
    expect(
      canSeePost(reader.scopes, { ...scheduled, published: true, audience: scopeKey('location', v4()) }),
    ).toBe(false);
  });

  it('lets its author see it also in a channel they do not read, scheduled or published', () => {
    const editor = poster({ editor: true });
    const elsewhere = { published: false, audience: scopeKey('location', v4()), author_id: editor.personId };
    expect(editor.scopes).not.toContain(elsewhere.audience);
    expect(canSeePost(editor.scopes, elsewhere)).toBe(true);
    expect(canSeePost(editor.scopes, { ...elsewhere, published: true })).toBe(true);
    expect(canSeePost(poster({ editor: true }).scopes, { ...elsewhere, published: true })).toBe(false);
  });
});

describe('where a post goes', () => {
  const author = v4();
  const id = v4();
  const scheduled = { id, published: false, audience: plant, author_id: author };

  it('goes to its author alone, as authoredPost, until it is published', () => {
    expect(postScopes(scheduled)).toEqual([scopeKey('user', author)]);
    expect(postChanges(scheduled)).toEqual([
      { entityType: 'authoredPost', entityId: id, op: 'upsert', scope: scopeKey('user', author) },
    ]);
    expect(postChanges(scheduled, 'delete')).toEqual([
      { entityType: 'authoredPost', entityId: id, op: 'delete', scope: scopeKey('user', author) },
    ]);
    // Its reaction counts appear with it: nobody could react before.
    expect(statsChanges(scheduled)).toEqual([]);
    expect(statsChanges(scheduled, 'delete')).toEqual([]);
  });

  it('then also to its audience, as post, and never moves from one scope to another', () => {
    const published = { ...scheduled, published: true };
    expect(postScopes(published)).toEqual([scopeKey('user', author), plant]);
    for (const op of ['upsert', 'delete'] as const) {
      expect(postChanges(published, op)).toEqual([
        { entityType: 'authoredPost', entityId: id, op, scope: scopeKey('user', author) },
        { entityType: 'post', entityId: id, op, scope: plant },
      ]);
      expect(statsChanges(published, op)).toEqual([
        { entityType: 'postStats', entityId: id, op, scope: plant },
      ]);
    }
  });
});
