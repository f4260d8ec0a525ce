import { directorySortKey } from '@flurfunk/protocol';
import type { DirectoryEntry, Location, OrgUnit, Person, SyncChange, SyncEntity } from '@flurfunk/protocol';
import type { SyncTarget } from '../sync/sync-target.js';
import type { CacheDatabase } from '../cache/database.js';
import { toFtsQuery } from '../cache/fts-query.js';

export interface PeoplePage {
  people: DirectoryEntry[];
  total: number;
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
  room: string;
  org_unit_name: string | null;
  location_name: string | null;
}

const entryColumns = /* sql */ `
  p.id, p.username, p.first_name, p.last_name, p.display_name, p.title, p.org_unit_id,
  p.location_id, p.manager_id, p.email, p.phone, p.room,
  o.name AS org_unit_name, l.name AS location_name`;
const entryJoins = /* sql */ `
  LEFT JOIN org_units o ON o.id = p.org_unit_id
  LEFT JOIN locations l ON l.id = p.location_id`;

/** The company directory in the cache: written by sync, read by the directory screen. */
export class DirectoryStore implements SyncTarget {
  private readonly statements;

  constructor(db: CacheDatabase) {
    this.statements = {
      upsertPerson: db.prepare<[Record<string, unknown>]>(/* sql */ `
        INSERT INTO people (id, username, first_name, last_name, display_name, title, org_unit_id,
                            location_id, manager_id, email, phone, room, sort_key)
        VALUES (@id, @username, @firstName, @lastName, @displayName, @title, @orgUnitId,
                @locationId, @managerId, @email, @phone, @room, @sortKey)
        ON CONFLICT (id) DO UPDATE SET
          username = excluded.username, first_name = excluded.first_name,
          last_name = excluded.last_name, display_name = excluded.display_name,
          title = excluded.title, org_unit_id = excluded.org_unit_id,
          location_id = excluded.location_id, manager_id = excluded.manager_id,
          email = excluded.email, phone = excluded.phone, room = excluded.room,
          sort_key = excluded.sort_key`),
      upsertOrgUnit: db.prepare<[OrgUnit]>(/* sql */ `
        INSERT INTO org_units (id, name, parent_id, manager_id) VALUES (@id, @name, @parentId, @managerId)
        ON CONFLICT (id) DO UPDATE SET
          name = excluded.name, parent_id = excluded.parent_id, manager_id = excluded.manager_id`),
      upsertLocation: db.prepare<[Location]>(/* sql */ `
        INSERT INTO locations (id, name, kind, address) VALUES (@id, @name, @kind, @address)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, address = excluded.address`),
      deletePerson: db.prepare<[string]>('DELETE FROM people WHERE id = ?'),
      deleteOrgUnit: db.prepare<[string]>('DELETE FROM org_units WHERE id = ?'),
      deleteLocation: db.prepare<[string]>('DELETE FROM locations WHERE id = ?'),
      listAll: db.prepare<[number, number], PersonRow>(/* sql */ `
        SELECT ${entryColumns} FROM people p ${entryJoins}
        ORDER BY p.sort_key, p.id LIMIT ? OFFSET ?`),
      countAll: db.prepare<[], number>('SELECT count(*) FROM people').pluck(),
      search: db.prepare<[string, number, number], PersonRow>(/* sql */ `
        SELECT ${entryColumns} FROM people_search s
        JOIN people p ON p.search_rowid = s.rowid ${entryJoins}
        WHERE people_search MATCH ?
        ORDER BY p.sort_key, p.id LIMIT ? OFFSET ?`),
      countSearch: db
        .prepare<[string], number>('SELECT count(*) FROM people_search WHERE people_search MATCH ?')
        .pluck(),
      getPerson: db.prepare<[string], PersonRow>(
        `SELECT ${entryColumns} FROM people p ${entryJoins} WHERE p.id = ? LIMIT 1`,
      ),
    };
  }

  /** Applies one change of the sync log. Call inside the page's transaction. */
  apply(change: SyncChange): void {
    switch (change.type) {
      case 'person.upsert':
        this.statements.upsertPerson.run(personParams(change.data));
        return;
      case 'orgUnit.upsert':
        this.statements.upsertOrgUnit.run(change.data);
        return;
      case 'location.upsert':
        this.statements.upsertLocation.run(change.data);
        return;
      case 'person.delete':
        this.statements.deletePerson.run(change.id);
        return;
      case 'orgUnit.delete':
        this.statements.deleteOrgUnit.run(change.id);
        return;
      case 'location.delete':
        this.statements.deleteLocation.run(change.id);
        return;
      default:
        throw new Error(`the directory got a change it does not hold: ${change.type}`);
    }
  }

  remove(entity: SyncEntity, id: string): void {
    if (entity === 'person') this.statements.deletePerson.run(id);
    else if (entity === 'orgUnit') this.statements.deleteOrgUnit.run(id);
    else if (entity === 'location') this.statements.deleteLocation.run(id);
  }

  /**
   * People in the directory's order (protocol `directorySortKey`, the server's order too);
   * filtered by a search when `query` has words.
   */
  listPeople({ query, offset, limit }: { query: string; offset: number; limit: number }): PeoplePage {
    const ftsQuery = toFtsQuery(query);
    if (ftsQuery === null) {
      return {
        people: this.statements.listAll.all(limit, offset).map(toEntry),
        total: this.statements.countAll.get() ?? 0,
      };
    }
    return {
      people: this.statements.search.all(ftsQuery, limit, offset).map(toEntry),
      total: this.statements.countSearch.get(ftsQuery) ?? 0,
    };
  }

  getPerson(id: string): DirectoryEntry | null {
    const row = this.statements.getPerson.get(id);
    return row ? toEntry(row) : null;
  }
}

function personParams(person: Person): Record<string, unknown> {
  return { ...person, sortKey: directorySortKey(person) };
}

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
    room: row.room,
    orgUnitName: row.org_unit_name,
    locationName: row.location_name,
  };
}
