import {
  directorySortKey,
  foldForSearch,
  foldForSorting,
  maxDirectReports,
  maxDirectorySearchResults,
} from '@flurfunk/protocol';
import type {
  Celebration,
  DirectoryEntry,
  FileMeta,
  OutOfOffice,
  DirectorySort,
  Location,
  OrgChartUnit,
  OrgUnit,
  Person,
  PersonProfile,
  PersonSummary,
  PhoneBook,
  PhoneBookGrouping,
  SyncChange,
  SyncEntity,
} from '@flurfunk/protocol';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { CacheDatabase } from '../cache/database.js';
import { ftsPrefixTerm, searchWords } from '../cache/fts-query.js';
import type { SyncTarget } from '../sync/sync-target.js';
import { PeopleSearchIndex, type SearchIndexBuilding } from './people-search-index.js';

export interface PeoplePage {
  people: DirectoryEntry[];
  total: number;
  /** A search matched more people than it lists. */
  more: boolean;
}

export interface PeopleQuery {
  query: string;
  offset: number;
  limit: number;
  /** Only people of this unit and, unless `includeSubUnits` is false, the units below it. */
  orgUnitId?: string | null;
  includeSubUnits?: boolean;
  locationId?: string | null;
  /** Default `relevance`, which is `name` without a search. */
  sort?: DirectorySort;
}

interface PersonRow {
  id: string;
  username: string;
  first_name: string;
  last_name: string;
  display_name: string;
  title: string;
  org_unit_id: string | null;
  location_id: string | null;
  manager_id: string | null;
  email: string;
  phone: string;
  mobile: string;
  room: string;
  pronouns: string;
  languages: string;
  skills: string;
  out_of_office: string | null;
  photo_file_id: string | null;
  photo: string | null;
  birthday: string | null;
  work_anniversary: string | null;
  deactivated: number;
  org_unit_name: string | null;
  location_name: string | null;
}

/** Which filters a listPeople has: they decide the shape of its statements. */
interface PeopleFilter {
  unit: 'none' | 'exact' | 'tree';
  location: boolean;
}

interface SearchHits {
  hits: number[];
  total: number;
  more: boolean;
}

/**
 * A set of matches at least this large is listed by walking the directory order until a page is
 * full; sorting every match would cost more (each a row read from the encrypted cache).
 */
const denseMatches = 2000;

interface SummaryRow {
  id: string;
  display_name: string;
  title: string;
  photo_file_id: string | null;
}

const entryColumns = /* sql */ `
  p.id, p.username, p.first_name, p.last_name, p.display_name, p.title, p.org_unit_id,
  p.location_id, p.manager_id, p.email, p.phone, p.mobile, p.room, p.pronouns, p.languages,
  p.skills, p.out_of_office, p.photo_file_id, p.photo, p.birthday, p.work_anniversary, p.deactivated,
  o.name AS org_unit_name, l.name AS location_name`;
const entryJoins = /* sql */ `
  LEFT JOIN org_units o ON o.id = p.org_unit_id
  LEFT JOIN locations l ON l.id = p.location_id`;
const summaryColumns = 'p.id, p.display_name, p.title, p.photo_file_id';

/** How each sort orders people; those without a unit or location come last there. */
const orderOf: Record<Exclude<DirectorySort, 'relevance'>, string> = {
  name: 'p.sort_key, p.id',
  department: 'o.sort_key IS NULL, o.sort_key, o.id, p.sort_key, p.id',
  location: 'l.sort_key IS NULL, l.sort_key, l.id, p.sort_key, p.id',
};

/** The company directory in the cache: written by sync, read by the directory screens. */
export class DirectoryStore implements SyncTarget {
  private readonly statements;
  /** listPeople's statements, one per combination of filters and order. */
  private readonly peopleQueries = new Map<string, Statement>();
  private readonly searchIndex: PeopleSearchIndex;

  /** `searchIndex: 'immediate'` builds the in-memory search index at once (tests, benchmarks). */
  constructor(
    private readonly db: CacheDatabase,
    options: { searchIndex?: SearchIndexBuilding } = {},
  ) {
    this.searchIndex = new PeopleSearchIndex(db, options.searchIndex);
    this.statements = {
      upsertPerson: db.prepare<[Record<string, unknown>]>(/* sql */ `
        INSERT INTO people (id, username, first_name, last_name, display_name, title, org_unit_id,
                            location_id, manager_id, email, phone, mobile, room, pronouns, languages,
                            skills, out_of_office, photo_file_id, photo, birthday, work_anniversary,
                            deactivated, sort_key)
        VALUES (@id, @username, @firstName, @lastName, @displayName, @title, @orgUnitId,
                @locationId, @managerId, @email, @phone, @mobile, @room, @pronouns, @languages,
                @skills, @outOfOffice, @photoFileId, @photo, @birthday, @workAnniversary,
                @deactivated, @sortKey)
        ON CONFLICT (id) DO UPDATE SET
          username = excluded.username, first_name = excluded.first_name,
          last_name = excluded.last_name, display_name = excluded.display_name,
          title = excluded.title, org_unit_id = excluded.org_unit_id,
          location_id = excluded.location_id, manager_id = excluded.manager_id,
          email = excluded.email, phone = excluded.phone, mobile = excluded.mobile,
          room = excluded.room, pronouns = excluded.pronouns, languages = excluded.languages,
          skills = excluded.skills, out_of_office = excluded.out_of_office,
          photo_file_id = excluded.photo_file_id, photo = excluded.photo, birthday = excluded.birthday,
          work_anniversary = excluded.work_anniversary, deactivated = excluded.deactivated,
          sort_key = excluded.sort_key`),
      upsertOrgUnit: db.prepare<[OrgUnit & { sortKey: string }]>(/* sql */ `
        INSERT INTO org_units (id, name, parent_id, manager_id, sort_key)
        VALUES (@id, @name, @parentId, @managerId, @sortKey)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id,
          manager_id = excluded.manager_id, sort_key = excluded.sort_key`),
      upsertLocation: db.prepare<[Location & { sortKey: string }]>(/* sql */ `
        INSERT INTO locations (id, name, kind, address, sort_key)
        VALUES (@id, @name, @kind, @address, @sortKey)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
          address = excluded.address, sort_key = excluded.sort_key`),
      upsertPrivateContact: db.prepare<[string, string]>(/* sql */ `
        INSERT INTO private_contacts (person_id, private_phone) VALUES (?, ?)
        ON CONFLICT (person_id) DO UPDATE SET private_phone = excluded.private_phone`),
      deletePerson: db.prepare<[string]>('DELETE FROM people WHERE id = ?'),
      deleteOrgUnit: db.prepare<[string]>('DELETE FROM org_units WHERE id = ?'),
      deleteLocation: db.prepare<[string]>('DELETE FROM locations WHERE id = ?'),
      deletePrivateContact: db.prepare<[string]>('DELETE FROM private_contacts WHERE person_id = ?'),
      rowsById: db.prepare<[string], PersonRow & { search_rowid: number }>(
        `SELECT p.search_rowid, ${entryColumns} FROM people p ${entryJoins}
         WHERE p.search_rowid IN (SELECT value FROM json_each(?))`,
      ),
      getPerson: db.prepare<[string], PersonRow>(
        `SELECT ${entryColumns} FROM people p ${entryJoins} WHERE p.id = ? LIMIT 1`,
      ),
      unitPath: db.prepare<[string], { id: string; name: string }>(/* sql */ `
        WITH RECURSIVE up(id, name, parent_id, depth) AS (
          SELECT id, name, parent_id, 0 FROM org_units WHERE id = ?
          UNION
          SELECT o.id, o.name, o.parent_id, up.depth + 1 FROM org_units o JOIN up ON o.id = up.parent_id
          WHERE up.depth < 100)
        SELECT id, name FROM up ORDER BY depth DESC`),
      summary: db.prepare<[string], SummaryRow>(
        `SELECT ${summaryColumns} FROM people p WHERE p.id = ? AND p.deactivated = 0`,
      ),
      directReports: db.prepare<[string, number], SummaryRow>(/* sql */ `
        SELECT ${summaryColumns} FROM people p WHERE p.manager_id = ? AND p.deactivated = 0
        ORDER BY p.sort_key, p.id LIMIT ?`),
      unitTree: db.prepare<{ unit: string }, string>(`${unitTree} SELECT id FROM units`).pluck(),
      privatePhone: db
        .prepare<[string], string>('SELECT private_phone FROM private_contacts WHERE person_id = ?')
        .pluck(),
      orgChart: db.prepare<[], OrgChartRow>(/* sql */ `
        SELECT o.id, o.name, o.parent_id, m.id AS manager_id, m.display_name AS manager_name,
          m.title AS manager_title, m.photo_file_id AS manager_photo, coalesce(c.members, 0) AS members
        FROM org_units o
        LEFT JOIN people m ON m.id = o.manager_id AND m.deactivated = 0
        LEFT JOIN (SELECT org_unit_id, count(*) AS members FROM people WHERE deactivated = 0
                   GROUP BY org_unit_id) c ON c.org_unit_id = o.id
        ORDER BY o.sort_key, o.id`),
      locations: db.prepare<[], Location>(
        'SELECT id, name, kind, address FROM locations ORDER BY sort_key, id',
      ),
      birthdays: db.prepare<[string, string], SummaryRow>(/* sql */ `
        SELECT ${summaryColumns} FROM people p
        WHERE p.birthday IN (?, ?) AND p.deactivated = 0 ORDER BY p.sort_key LIMIT 250`),
      anniversaries: db.prepare<
        [string, string, string],
        SummaryRow & { work_anniversary: string }
      >(/* sql */ `
        SELECT ${summaryColumns}, p.work_anniversary FROM people p
        WHERE substr(p.work_anniversary, 6) IN (?, ?) AND p.work_anniversary < ? AND p.deactivated = 0
        ORDER BY p.sort_key LIMIT 250`),
    };
  }

  /** Applies one change of the sync log. Call inside the page's transaction. */
  apply(change: SyncChange): void {
    switch (change.type) {
      case 'person.upsert':
        this.statements.upsertPerson.run(personParams(change.data));
        return;
      case 'orgUnit.upsert':
        this.statements.upsertOrgUnit.run({ ...change.data, sortKey: foldForSorting(change.data.name) });
        return;
      case 'location.upsert':
        this.statements.upsertLocation.run({ ...change.data, sortKey: foldForSorting(change.data.name) });
        return;
      case 'privateContact.upsert':
        this.statements.upsertPrivateContact.run(change.data.id, change.data.privatePhone);
        return;
      case 'person.delete':
      case 'orgUnit.delete':
      case 'location.delete':
      case 'privateContact.delete':
        this.remove(change.type.slice(0, change.type.indexOf('.')) as SyncEntity, change.id);
        return;
      default:
        throw new Error(`the directory got a change it does not hold: ${change.type}`);
    }
  }

  remove(entity: SyncEntity, id: string): void {
    if (entity === 'person') this.statements.deletePerson.run(id);
    else if (entity === 'orgUnit') this.statements.deleteOrgUnit.run(id);
    else if (entity === 'location') this.statements.deleteLocation.run(id);
    else if (entity === 'privateContact') this.statements.deletePrivateContact.run(id);
  }

  /**
   * Active people matching a search (every word a prefix of a word of theirs, in the folded form
   * of protocol `foldForSearch`) and the filters, best matches first or in the order asked for.
   * A search lists at most `maxDirectorySearchResults` people and says when more match.
   */
  listPeople(request: PeopleQuery): PeoplePage {
    const { orgUnitId = null, includeSubUnits = true, locationId = null, sort = 'relevance' } = request;
    const words = searchWords(foldForSearch(withoutMailDomains(request.query)));
    const filter: PeopleFilter = {
      unit: orgUnitId === null ? 'none' : includeSubUnits ? 'tree' : 'exact',
      location: locationId !== null,
    };
    const params = {
      ...(orgUnitId === null ? {} : { unit: orgUnitId }),
      ...(locationId === null ? {} : { location: locationId }),
    };
    const { offset, limit } = request;
    if (words.length === 0) {
      const browse = this.browseStatements(filter, sort === 'relevance' ? 'name' : sort);
      const hits = browse.page.all({ ...params, limit, offset }) as number[];
      return {
        people: this.rowsInOrder(hits).map(toEntry),
        total: browse.count.get(params) as number,
        more: false,
      };
    }
    const index = sort === 'relevance' || sort === 'name' ? this.searchIndex.current() : null;
    if (index) {
      const found = index.search({
        words,
        ranked: sort === 'relevance',
        unitIds: orgUnitId === null ? null : this.unitsOf(orgUnitId, includeSubUnits),
        locationId,
        offset,
        limit,
        cap: maxDirectorySearchResults,
      });
      return { people: this.rowsInOrder(found.rowids).map(toEntry), total: found.total, more: found.more };
    }
    const terms = words.map(ftsPrefixTerm);
    const all = terms.join(' ');
    // Best matches first: people whose name holds every word typed, then those whose name holds
    // the first word ("becker kommunikation": the Beckers of that department), then everyone
    // else, each in directory order, so equally good matches read like the directory.
    const tiers =
      sort === 'relevance'
        ? [
            `name : (${all})`,
            `(${all}) AND (name : ${terms[0]}) NOT (name : (${all}))`,
            `(${all}) NOT (name : ${terms[0]})`,
          ]
        : [all];
    const found =
      sort === 'department' || sort === 'location'
        ? this.searchSortedBy(sort, all, filter, params, offset, limit)
        : this.searchInTiers(tiers, filter, params, offset, limit);
    return { people: this.rowsInOrder(found.hits).map(toEntry), total: found.total, more: found.more };
  }

  /**
   * One page of the matches of `tiers`, one after the other, each in directory order. Each tier
   * is counted only up to what a search may list, and a large one is listed by walking the
   * directory's order until the page is full instead of sorting all its matches.
   */
  private searchInTiers(
    tiers: readonly string[],
    filter: PeopleFilter,
    params: Record<string, string>,
    offset: number,
    limit: number,
  ): SearchHits {
    const { count, densePage, sparsePage } = this.searchStatements(filter);
    const hits: number[] = [];
    let total = 0;
    let skip = offset;
    for (const fts of tiers) {
      const room = maxDirectorySearchResults + 1 - total;
      if (room <= 0) break;
      // Counted far enough to tell a large tier from a small one, however few may still be listed.
      const matches = count.get({ ...params, fts, cap: Math.max(room, denseMatches) }) as number;
      total += Math.min(matches, room);
      const wanted = Math.min(limit - hits.length, maxDirectorySearchResults - offset - hits.length);
      if (wanted > 0 && skip < matches) {
        const page = matches >= denseMatches ? densePage : sparsePage;
        hits.push(...(page.all({ ...params, fts, limit: wanted, offset: skip }) as number[]));
        skip = 0;
      } else {
        skip = Math.max(0, skip - matches);
      }
    }
    return {
      hits,
      total: Math.min(total, maxDirectorySearchResults),
      more: total > maxDirectorySearchResults,
    };
  }

  /** One page of the matches sorted by department or location (all matches are sorted). */
  private searchSortedBy(
    sort: 'department' | 'location',
    fts: string,
    filter: PeopleFilter,
    params: Record<string, string>,
    offset: number,
    limit: number,
  ): SearchHits {
    const { count } = this.searchStatements(filter);
    const matches = count.get({ ...params, fts, cap: maxDirectorySearchResults + 1 }) as number;
    const wanted = Math.max(0, Math.min(limit, maxDirectorySearchResults - offset));
    const page = this.sortedSearchStatement(filter, sort);
    return {
      hits: wanted === 0 ? [] : (page.all({ ...params, fts, limit: wanted, offset }) as number[]),
      total: Math.min(matches, maxDirectorySearchResults),
      more: matches > maxDirectorySearchResults,
    };
  }

  /** A unit's id, with those of all units below it when asked for. */
  private unitsOf(orgUnitId: string, includeSubUnits: boolean): Set<string> {
    if (!includeSubUnits) return new Set([orgUnitId]);
    return new Set(this.statements.unitTree.all({ unit: orgUnitId }));
  }

  /** The people of these row ids, in the order given. */
  private rowsInOrder(hits: readonly number[]): PersonRow[] {
    if (hits.length === 0) return [];
    const rows = this.statements.rowsById.all(JSON.stringify(hits));
    const byRowid = new Map(rows.map((row) => [row.search_rowid, row]));
    return hits.flatMap((hit) => byRowid.get(hit) ?? []);
  }

  /** The statements of one kind and shape, prepared once. */
  private statement(key: string, sql: () => string): Statement {
    let prepared = this.peopleQueries.get(key);
    if (!prepared) {
      prepared = this.db.prepare(sql());
      this.peopleQueries.set(key, prepared);
    }
    return prepared;
  }

  /** Everyone (no search) in the order asked for, and how many they are. */
  private browseStatements(filter: PeopleFilter, sort: Exclude<DirectorySort, 'relevance'>) {
    const { units, conditions } = filterSql(filter);
    const where = ['p.deactivated = 0', ...conditions].join(' AND ');
    const join = sortJoin[sort];
    const key = `browse:${filter.unit}:${filter.location}`;
    return {
      page: this.statement(
        `${key}:${sort}`,
        () =>
          `${units} SELECT p.search_rowid FROM people p ${join} WHERE ${where}
         ORDER BY ${orderOf[sort]} LIMIT @limit OFFSET @offset`,
      ).pluck(),
      count: this.statement(
        `${key}:count`,
        () => `${units} SELECT count(*) FROM people p WHERE ${where}`,
      ).pluck(),
    };
  }

  /**
   * A search's statements (`@fts` the FTS5 query): `count` counts matches up to `@cap`;
   * `sparsePage` sorts every match, for few matches; `densePage` walks the directory order and
   * keeps the matches until the page is full, for many. people_search holds active people only.
   */
  private searchStatements(filter: PeopleFilter) {
    const { units, conditions } = filterSql(filter);
    const and = conditions.map((condition) => ` AND ${condition}`).join('');
    const key = `search:${filter.unit}:${filter.location}`;
    const joined = 'people_search s JOIN people p ON p.search_rowid = s.rowid';
    return {
      count: this.statement(`${key}:count`, () =>
        conditions.length === 0
          ? 'SELECT count(*) FROM (SELECT 1 FROM people_search WHERE people_search MATCH @fts LIMIT @cap)'
          : `${units} SELECT count(*) FROM (SELECT 1 FROM ${joined} WHERE people_search MATCH @fts${and} LIMIT @cap)`,
      ).pluck(),
      sparsePage: this.statement(
        `${key}:sparse`,
        () =>
          `${units} SELECT p.search_rowid FROM ${joined} WHERE people_search MATCH @fts${and}
         ORDER BY p.sort_key, p.id LIMIT @limit OFFSET @offset`,
      ).pluck(),
      densePage: this.statement(
        `${key}:dense`,
        () =>
          `${units} SELECT p.search_rowid FROM people p INDEXED BY people_by_sort_key
         WHERE p.deactivated = 0${and}
           AND p.search_rowid IN (SELECT rowid FROM people_search WHERE people_search MATCH @fts)
         ORDER BY p.sort_key, p.id LIMIT @limit OFFSET @offset`,
      ).pluck(),
    };
  }

  private sortedSearchStatement(filter: PeopleFilter, sort: 'department' | 'location'): Statement {
    const { units, conditions } = filterSql(filter);
    const and = conditions.map((condition) => ` AND ${condition}`).join('');
    return this.statement(
      `search:${filter.unit}:${filter.location}:${sort}`,
      () =>
        `${units} SELECT p.search_rowid FROM people_search s JOIN people p ON p.search_rowid = s.rowid
       ${sortJoin[sort]} WHERE people_search MATCH @fts${and}
       ORDER BY ${orderOf[sort]} LIMIT @limit OFFSET @offset`,
    ).pluck();
  }

  /** A person as the directory lists them, deactivated or not (their names stay for messages). */
  getPerson(id: string): DirectoryEntry | null {
    const row = this.statements.getPerson.get(id);
    return row ? toEntry(row) : null;
  }

  /** The person as sync delivered them (or as the user's own pending edits left them). */
  getPersonRecord(id: string): Person | null {
    const row = this.statements.getPerson.get(id);
    if (!row) return null;
    const { orgUnitName: _unit, locationName: _location, photoFileId: _photo, ...person } = toEntry(row);
    return { ...person, photo: row.photo === null ? null : (JSON.parse(row.photo) as FileMeta) };
  }

  /** Writes the user's own optimistic edit of their row. */
  putPerson(person: Person): void {
    this.statements.upsertPerson.run(personParams(person));
  }

  /** Everything the profile shows: the entry, where they sit, who they report to and who to them. */
  getProfile(id: string): PersonProfile | null {
    const row = this.statements.getPerson.get(id);
    if (!row) return null;
    const entry = toEntry(row);
    const manager = row.manager_id === null ? undefined : this.statements.summary.get(row.manager_id);
    return {
      ...entry,
      unitPath: row.org_unit_id === null ? [] : this.statements.unitPath.all(row.org_unit_id),
      manager: manager ? toSummary(manager) : null,
      directReports: this.statements.directReports.all(id, maxDirectReports).map(toSummary),
      privatePhone: this.statements.privatePhone.get(id) ?? null,
    };
  }

  orgChart(): OrgChartUnit[] {
    return this.statements.orgChart.all().map((row) => ({
      id: row.id,
      name: row.name,
      parentId: row.parent_id,
      manager:
        row.manager_id === null
          ? null
          : {
              id: row.manager_id,
              displayName: row.manager_name ?? '',
              title: row.manager_title ?? '',
              photoFileId: row.manager_photo,
            },
      memberCount: row.members,
    }));
  }

  listLocations(): Location[] {
    return this.statements.locations.all();
  }

  /**
   * Birthdays and work anniversaries on `date` (YYYY-MM-DD) of the people who opted in. A 29
   * February birthday is celebrated on 28 February in other years.
   */
  celebrations(date: string): Celebration[] {
    const monthDay = date.slice(5);
    const year = Number(date.slice(0, 4));
    const alsoLeapDay = monthDay === '02-28' && !isLeapYear(year) ? '02-29' : monthDay;
    const birthdays = this.statements.birthdays
      .all(monthDay, alsoLeapDay)
      .map((row): Celebration => ({ person: toSummary(row), kind: 'birthday', years: null }));
    const anniversaries = this.statements.anniversaries
      .all(monthDay, alsoLeapDay, date)
      .map((row): Celebration => ({
        person: toSummary(row),
        kind: 'workAnniversary',
        years: year - Number(row.work_anniversary.slice(0, 4)),
      }));
    return [...birthdays, ...anniversaries.filter((celebration) => (celebration.years ?? 0) > 0)];
  }

  /** Everyone active (or those of one unit tree or location), grouped for the phone list. */
  phoneBook(request: {
    groupBy: PhoneBookGrouping;
    orgUnitId: string | null;
    locationId: string | null;
  }): PhoneBook {
    const { people } = this.listPeople({
      query: '',
      offset: 0,
      limit: -1,
      orgUnitId: request.orgUnitId,
      includeSubUnits: true,
      locationId: request.locationId,
      sort: request.groupBy === 'location' ? 'location' : 'department',
    });
    const groups: PhoneBook['groups'] = [];
    for (const person of people) {
      const id = request.groupBy === 'location' ? person.locationId : person.orgUnitId;
      const name = (request.groupBy === 'location' ? person.locationName : person.orgUnitName) ?? '';
      let group = groups.at(-1);
      if (!group || group.id !== id) {
        group = { id, name, entries: [] };
        groups.push(group);
      }
      group.entries.push({
        id: person.id,
        displayName: person.displayName,
        title: person.title,
        phone: person.phone,
        mobile: person.mobile,
        email: person.email,
        room: person.room,
        orgUnitName: person.orgUnitName,
        locationName: person.locationName,
      });
    }
    return { groups };
  }
}

/** The CTE and conditions of a listPeople's filters (`@unit`, `@location`). */
function filterSql(filter: PeopleFilter): { units: string; conditions: string[] } {
  const conditions: string[] = [];
  if (filter.unit === 'exact') conditions.push('p.org_unit_id = @unit');
  if (filter.unit === 'tree') conditions.push('p.org_unit_id IN (SELECT id FROM units)');
  if (filter.location) conditions.push('p.location_id = @location');
  return { units: filter.unit === 'tree' ? unitTree : '', conditions };
}

/** `units`: the unit `@unit` and every unit below it. */
const unitTree = /* sql */ `WITH RECURSIVE units(id) AS (
  SELECT @unit UNION SELECT o.id FROM org_units o JOIN units u ON o.parent_id = u.id)`;

/** What each sort needs joined to order by it. */
const sortJoin: Record<Exclude<DirectorySort, 'relevance'>, string> = {
  name: '',
  department: 'LEFT JOIN org_units o ON o.id = p.org_unit_id',
  location: 'LEFT JOIN locations l ON l.id = p.location_id',
};

/** A typed address without its domain, which the search index leaves out (cache migration 8). */
function withoutMailDomains(query: string): string {
  return query.replace(/@\S*/g, ' ');
}

interface OrgChartRow {
  id: string;
  name: string;
  parent_id: string | null;
  manager_id: string | null;
  manager_name: string | null;
  manager_title: string | null;
  manager_photo: string | null;
  members: number;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function personParams({ photo, ...person }: Person): Record<string, unknown> {
  return {
    ...person,
    photoFileId: photo?.id ?? null,
    photo: photo === null ? null : JSON.stringify(photo),
    languages: JSON.stringify(person.languages),
    skills: JSON.stringify(person.skills),
    outOfOffice: person.outOfOffice === null ? null : JSON.stringify(person.outOfOffice),
    deactivated: person.deactivated ? 1 : 0,
    sortKey: directorySortKey(person),
  };
}

function toSummary(row: SummaryRow): PersonSummary {
  return { id: row.id, displayName: row.display_name, title: row.title, photoFileId: row.photo_file_id };
}

/** A row as the renderer gets it (the contract checks it on the way out). */
function toEntry(row: PersonRow): DirectoryEntry {
  return {
    id: row.id,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    displayName: row.display_name,
    title: row.title,
    orgUnitId: row.org_unit_id,
    locationId: row.location_id,
    managerId: row.manager_id,
    email: row.email,
    phone: row.phone,
    mobile: row.mobile,
    room: row.room,
    pronouns: row.pronouns,
    languages: JSON.parse(row.languages) as string[],
    skills: JSON.parse(row.skills) as string[],
    outOfOffice: row.out_of_office === null ? null : (JSON.parse(row.out_of_office) as OutOfOffice),
    photoFileId: row.photo_file_id,
    birthday: row.birthday,
    workAnniversary: row.work_anniversary,
    deactivated: row.deactivated === 1,
    orgUnitName: row.org_unit_name,
    locationName: row.location_name,
  };
}
