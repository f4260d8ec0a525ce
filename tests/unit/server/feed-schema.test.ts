import { Attendance, Reaction, SyncEntity } from '@flurfunk/protocol';
import { describe, expect, it } from 'vitest';
import { feed } from '../../../server/src/db/migrations/0005-feed.js';
import { migrations } from '../../../server/src/db/migrations/index.js';

/** The values a `<column> text CHECK (<column> IN (...))` of the migration accepts. */
const checkedValues = (column: string) => {
  const check = new RegExp(`${column} text CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(feed.sql);
  return check?.[1]?.split(',').map((value) => value.trim().replace(/^'|'$/g, ''));
};

/** The newsfeed's table definitions agree with the protocol they store. */
describe('newsfeed schema', () => {
  it('accepts exactly the protocol’s reactions', () => {
    expect(checkedValues('reaction')).toEqual(Reaction.options);
  });

  it('accepts exactly the protocol’s answers to an event', () => {
    expect(checkedValues('attendance')).toEqual(Attendance.options);
  });

  it('logs every entity the protocol syncs, as the latest migration that says which allows', () => {
    const lists = migrations.map(
      (migration) =>
        /change_log_entity_type_check CHECK \(entity_type IN\s*\(([^)]*)\)\)/.exec(migration.sql)?.[1],
    );
    const logged = lists
      .filter((list) => list !== undefined)
      .at(-1)
      ?.split(',')
      .map((value) => value.trim().replace(/^'|'$/g, ''));
    expect(new Set(logged)).toEqual(new Set(SyncEntity.options));
  });
});
