import { Reaction, SyncEntity } from '@flurfunk/protocol';
import { describe, expect, it } from 'vitest';
import { feed } from '../../../server/src/db/migrations/0005-feed.js';

/** The newsfeed's table definitions agree with the protocol they store. */
describe('newsfeed schema', () => {
  it('accepts exactly the protocol’s reactions', () => {
    const check = /reaction text CHECK \(reaction IN \(([^)]*)\)\)/.exec(feed.sql);
    expect(check?.[1]?.split(',').map((value) => value.trim().replace(/^'|'$/g, ''))).toEqual(
      Reaction.options,
    );
  });

  it('logs every newsfeed entity the protocol syncs', () => {
    const check = /change_log_entity_type_check CHECK \(entity_type IN\s*\(([^)]*)\)\)/.exec(feed.sql);
    const logged = check?.[1]?.split(',').map((value) => value.trim().replace(/^'|'$/g, ''));
    expect(new Set(logged)).toEqual(new Set(SyncEntity.options));
  });
});
