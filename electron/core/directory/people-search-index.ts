import type { CacheDatabase } from '../cache/database.js';
import { logError } from '../log.js';
import { type IndexedPerson, PeopleWordIndex } from './people-word-index.js';

/**
 * `background` builds the index a slice at a time between the core's other work, answering from
 * FTS5 until it is ready; `immediate` builds it at the first search (tests, benchmarks); `off`
 * searches FTS5 only, as while the index is being built.
 */
export type SearchIndexBuilding = 'background' | 'immediate' | 'off';

/** People read per slice of a background build: a few milliseconds of work. */
const peoplePerSlice = 500;
/** More changed people than this since the last search rebuild the index instead. */
const maxCatchUp = 2000;
const maxDeadShare = 0.25;
const maxSegments = 1000;

const indexedColumns = /* sql */ `
  p.search_rowid AS rowid, p.id, p.sort_key AS sortKey, p.org_unit_id AS unitId,
  p.location_id AS locationId`;
/**
 * The words people_search holds for a person, read from `people_search_content`: FTS5 keeps a
 * table's text in that documented shadow table (id = rowid, c0… the columns in declared order:
 * name, title, department, location, skills, contact). A range scan there is fast; FTS5's own
 * full scan ignores a rowid range and reads the whole table each time.
 */
const searchedWords = /* sql */ `
  s.c0 AS name, s.c1 || ' ' || s.c2 || ' ' || s.c3 || ' ' || s.c4 || ' ' || s.c5 AS other`;

/**
 * Keeps a PeopleWordIndex of the cache's active people current. Every write to `people` (sync,
 * the user's own edits, a unit renamed, a purge) is noted by TEMP triggers of this connection,
 * so no writer needs to know the index exists; the next search applies what changed.
 */
export class PeopleSearchIndex {
  private index: PeopleWordIndex | null = null;
  /** The last change the index reflects. */
  private seenChange = 0;
  private building: Generator<undefined, void> | null = null;
  private readonly statements;
  /** Statements on the TEMP change table, which exists once the first search created it. */
  private changes: ReturnType<typeof changeStatements> | null = null;

  constructor(
    private readonly db: CacheDatabase,
    private readonly mode: SearchIndexBuilding = 'background',
  ) {
    this.statements = {
      peopleAfter: db.prepare<[number, number], Omit<IndexedPerson, 'name' | 'other'>>(/* sql */ `
        SELECT ${indexedColumns} FROM people p
        WHERE p.deactivated = 0 AND p.search_rowid > ? ORDER BY p.search_rowid LIMIT ?`),
      wordsBetween: db.prepare<[number, number], { rowid: number; name: string; other: string }>(
        `SELECT s.id AS rowid, ${searchedWords} FROM people_search_content s WHERE s.id BETWEEN ? AND ?`,
      ),
      changedPeople: db.prepare<[string], IndexedPerson>(/* sql */ `
        SELECT ${indexedColumns}, ${searchedWords}
        FROM people p JOIN people_search_content s ON s.id = p.search_rowid
        WHERE p.search_rowid IN (SELECT value FROM json_each(?)) AND p.deactivated = 0`),
    };
  }

  /**
   * The index, brought up to date with the cache; null while it is being built in the
   * background (search FTS5 meanwhile).
   */
  current(): PeopleWordIndex | null {
    if (this.mode === 'off') return null;
    this.changes ??= watchChanges(this.db);
    if (this.index && !this.catchUp(this.index)) this.index = null;
    if (this.index && (this.index.deadShare > maxDeadShare || this.index.segmentCount > maxSegments))
      this.build();
    if (!this.index) this.build();
    return this.index;
  }

  /** Builds a new index (the current one, if any, keeps answering until it is done). */
  private build(): void {
    if (this.building) return;
    const steps = this.buildSteps();
    this.building = steps;
    if (this.mode === 'immediate') {
      for (const _ of steps);
      return;
    }
    const step = () => {
      if (this.building !== steps) return;
      if (!this.db.open) {
        this.building = null;
        return;
      }
      try {
        if (!steps.next().done) setImmediate(step);
      } catch (error) {
        this.building = null;
        logError('directory.searchIndex', error);
      }
    };
    setImmediate(step);
  }

  private *buildSteps(): Generator<undefined, void> {
    try {
      const since = this.latestChange();
      const index = new PeopleWordIndex();
      let after = -1;
      for (;;) {
        const people = this.statements.peopleAfter.all(after, peoplePerSlice);
        if (people.length === 0) break;
        const last = people.at(-1)!.rowid;
        const words = new Map(
          this.statements.wordsBetween.all(people[0]!.rowid, last).map((row) => [row.rowid, row]),
        );
        index.add(
          people.flatMap((person) => {
            const found = words.get(person.rowid);
            return found ? [{ ...person, name: found.name, other: found.other }] : [];
          }),
        );
        after = last;
        yield;
      }
      index.sortOrder();
      this.seenChange = since;
      if (this.catchUp(index)) {
        this.index = index;
        this.forgetChangesUpTo(this.seenChange);
      }
    } finally {
      this.building = null;
    }
  }

  /**
   * Applies the changes since the index was last brought up to date; false when they are too
   * many for that (a resync), and the index must be built anew.
   */
  private catchUp(index: PeopleWordIndex): boolean {
    const latest = this.latestChange();
    if (latest === this.seenChange) return true;
    const changed = this.changes!.since.all(this.seenChange, maxCatchUp + 1);
    if (changed.length > maxCatchUp) return false;
    for (const rowid of changed) index.remove(rowid);
    index.add(this.statements.changedPeople.all(JSON.stringify(changed)));
    this.seenChange = latest;
    if (!this.building) this.forgetChangesUpTo(latest);
    return true;
  }

  private latestChange(): number {
    return this.changes!.latest.get() ?? 0;
  }

  private forgetChangesUpTo(seq: number): void {
    this.changes!.forget.run(seq);
  }
}

/**
 * Notes every write to `people` in a TEMP table, by TEMP triggers: both live with this
 * connection, as the index in memory does.
 */
function watchChanges(db: CacheDatabase) {
  db.exec(/* sql */ `
      CREATE TEMP TABLE IF NOT EXISTS people_search_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        person_rowid INTEGER NOT NULL
      );
      CREATE TEMP TRIGGER IF NOT EXISTS people_search_changes_after_insert AFTER INSERT ON main.people
      BEGIN
        INSERT INTO people_search_changes (person_rowid) VALUES (NEW.search_rowid);
      END;
      CREATE TEMP TRIGGER IF NOT EXISTS people_search_changes_after_update AFTER UPDATE ON main.people
      BEGIN
        INSERT INTO people_search_changes (person_rowid) VALUES (OLD.search_rowid);
        INSERT INTO people_search_changes (person_rowid)
        SELECT NEW.search_rowid WHERE NEW.search_rowid <> OLD.search_rowid;
      END;
      CREATE TEMP TRIGGER IF NOT EXISTS people_search_changes_after_delete AFTER DELETE ON main.people
      BEGIN
        INSERT INTO people_search_changes (person_rowid) VALUES (OLD.search_rowid);
      END;`);
  return changeStatements(db);
}

function changeStatements(db: CacheDatabase) {
  return {
    since: db
      .prepare<[number, number], number>(
        'SELECT DISTINCT person_rowid FROM temp.people_search_changes WHERE seq > ? LIMIT ?',
      )
      .pluck(),
    latest: db
      .prepare<[], number>(
        "SELECT coalesce(max(seq), 0) FROM temp.sqlite_sequence WHERE name = 'people_search_changes'",
      )
      .pluck(),
    forget: db.prepare<[number]>('DELETE FROM temp.people_search_changes WHERE seq <= ?'),
  };
}
