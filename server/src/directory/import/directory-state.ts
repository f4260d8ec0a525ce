import type { Location, OrgUnit, PersonMasterData } from '@flurfunk/protocol';
import type { Queryable } from '../../db/database.js';

export interface ExistingPerson {
  data: PersonMasterData;
  active: boolean;
}

/** What the import compares the file with: the directory as it is. */
export interface DirectoryState {
  people: readonly ExistingPerson[];
  orgUnits: readonly OrgUnit[];
  locations: readonly Pick<Location, 'id' | 'name'>[];
  /** People with the admin role, active or not. */
  adminIds: readonly string[];
}

type PersonRow = PersonMasterData & { active: boolean };

/** Reads the whole directory: even 10 000 people are a few megabytes, and every row is compared. */
export async function loadDirectoryState(tx: Queryable): Promise<DirectoryState> {
  const people = await tx.query<PersonRow>(
    `SELECT id, username, first_name AS "firstName", last_name AS "lastName",
            display_name AS "displayName", title, org_unit_id AS "orgUnitId",
            location_id AS "locationId", manager_id AS "managerId", email, phone, room, mobile,
            private_phone AS "privatePhone", to_char(hired_on, 'YYYY-MM-DD') AS "hiredOn",
            deactivated_at IS NULL AS active
       FROM persons`,
  );
  const orgUnits = await tx.query<OrgUnit>(
    'SELECT id, name, parent_id AS "parentId", manager_id AS "managerId" FROM org_units',
  );
  const locations = await tx.query<Pick<Location, 'id' | 'name'>>('SELECT id, name FROM locations');
  const admins = await tx.query<{ person_id: string }>(
    `SELECT person_id FROM accounts WHERE 'admin' = ANY(roles)`,
  );
  return {
    people: people.map(({ active, ...data }) => ({ data, active })),
    orgUnits,
    locations,
    adminIds: admins.map((row) => row.person_id),
  };
}
