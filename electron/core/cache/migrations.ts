/**
 * The cache schema, one numbered step at a time. `PRAGMA user_version` records the last step
 * applied. Steps are never edited once released; a change is a new step.
 */
export interface Migration {
  version: number;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    sql: /* sql */ `
      -- Small facts about this cache: the signed-in user, the sync cursor, the last sync time.
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;

      -- No foreign keys between the directory tables: the change log may deliver a person
      -- before the unit or location they belong to; joins are LEFT JOINs.
      CREATE TABLE locations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        address TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE org_units (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        parent_id TEXT,
        manager_id TEXT
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX org_units_by_parent ON org_units (parent_id);

      CREATE TABLE people (
        -- Explicit so VACUUM cannot renumber it: it is the row's key in people_search.
        search_rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        username TEXT NOT NULL,
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        display_name TEXT NOT NULL,
        title TEXT NOT NULL,
        org_unit_id TEXT,
        location_id TEXT,
        manager_id TEXT,
        email TEXT NOT NULL,
        phone TEXT NOT NULL,
        room TEXT NOT NULL,
        -- protocol directorySortKey(person): the directory's order, the same as the server's.
        -- Compared byte-wise (BINARY, SQLite's default), like the server's COLLATE "C".
        sort_key TEXT NOT NULL COLLATE BINARY
      ) STRICT;
      CREATE INDEX people_by_sort_key ON people (sort_key, id);
      CREATE INDEX people_by_org_unit ON people (org_unit_id);
      CREATE INDEX people_by_location ON people (location_id);
      CREATE INDEX people_by_manager ON people (manager_id);

      -- spelled_out repeats the words with German umlauts and ß spelled out, so "Mueller" finds
      -- "Müller" (remove_diacritics alone only matches "Muller").
      CREATE VIRTUAL TABLE people_search USING fts5 (
        name, title, department, location, phone, email, spelled_out,
        tokenize = 'unicode61 remove_diacritics 2'
      );

      -- What people_search holds for a person, in one place for all triggers.
      CREATE VIEW people_search_source AS
      SELECT *,
        replace(replace(replace(replace(replace(replace(replace(
          name || ' ' || title || ' ' || coalesce(department, '') || ' ' || coalesce(location, ''),
          'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss') AS spelled_out
      FROM (
        SELECT p.search_rowid, p.display_name AS name, p.title, o.name AS department, l.name AS location,
          p.phone, p.email
        FROM people p
        LEFT JOIN org_units o ON o.id = p.org_unit_id
        LEFT JOIN locations l ON l.id = p.location_id
      );

      CREATE TRIGGER people_search_after_insert AFTER INSERT ON people BEGIN
        INSERT INTO people_search (rowid, name, title, department, location, phone, email, spelled_out)
        SELECT search_rowid, name, title, department, location, phone, email, spelled_out
        FROM people_search_source WHERE search_rowid = NEW.search_rowid;
      END;

      CREATE TRIGGER people_search_after_update AFTER UPDATE ON people BEGIN
        DELETE FROM people_search WHERE rowid = OLD.search_rowid;
        INSERT INTO people_search (rowid, name, title, department, location, phone, email, spelled_out)
        SELECT search_rowid, name, title, department, location, phone, email, spelled_out
        FROM people_search_source WHERE search_rowid = NEW.search_rowid;
      END;

      CREATE TRIGGER people_search_after_delete AFTER DELETE ON people BEGIN
        DELETE FROM people_search WHERE rowid = OLD.search_rowid;
      END;

      -- A unit or location that appears, is renamed or goes away changes how its people are
      -- found: touching those people re-runs people_search_after_update for them.
      CREATE TRIGGER org_units_reindex_after_insert AFTER INSERT ON org_units BEGIN
        UPDATE people SET org_unit_id = org_unit_id WHERE org_unit_id = NEW.id;
      END;
      CREATE TRIGGER org_units_reindex_after_update AFTER UPDATE OF name ON org_units BEGIN
        UPDATE people SET org_unit_id = org_unit_id WHERE org_unit_id = NEW.id;
      END;
      CREATE TRIGGER org_units_reindex_after_delete AFTER DELETE ON org_units BEGIN
        UPDATE people SET org_unit_id = org_unit_id WHERE org_unit_id = OLD.id;
      END;
      CREATE TRIGGER locations_reindex_after_insert AFTER INSERT ON locations BEGIN
        UPDATE people SET location_id = location_id WHERE location_id = NEW.id;
      END;
      CREATE TRIGGER locations_reindex_after_update AFTER UPDATE OF name ON locations BEGIN
        UPDATE people SET location_id = location_id WHERE location_id = NEW.id;
      END;
      CREATE TRIGGER locations_reindex_after_delete AFTER DELETE ON locations BEGIN
        UPDATE people SET location_id = location_id WHERE location_id = OLD.id;
      END;
    `,
  },
];

export const latestVersion = migrations.reduce((latest, migration) => Math.max(latest, migration.version), 0);
