import { companyScope } from '@flurfunk/protocol';
import type { FastifyBaseLogger } from 'fastify';
import { hashPassword } from '../auth/passwords.js';
import { AdvisoryLock } from '../db/advisory-locks.js';
import type { Database, Queryable } from '../db/database.js';
import { privateContactChanges, privateContactReaders } from '../directory/private-contact.js';
import { toPersonRecord, upsertPeopleSql } from '../directory/rows.js';
import { type EntityChange, recordChanges } from '../sync/change-log.js';
import { insertDemoCanteens } from './canteen-seed.js';
import { insertDemoChats } from './chat-seed.js';
import { demoPassword } from './company-data.js';
import { insertDemoFeed } from './feed-seed.js';
import { defaultDemoSize, type DemoCompany, generateDemoCompany } from './generate.js';

export { defaultDemoSize };

const seededMarker = 'demo_company_seeded';
/** Demo companies seeded before there were canteens get theirs at the next start. */
const canteensSeededMarker = 'demo_canteens_seeded';
const batchSize = 1000;

/** Rows go in as one JSON array per statement: fast for 10 000 people, and the same SQL on PGlite and PostgreSQL. */
async function insertInBatches(
  tx: Queryable,
  sql: string,
  rows: readonly object[],
  params: readonly unknown[] = [],
): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) {
    await tx.query(sql, [JSON.stringify(rows.slice(i, i + batchSize)), ...params]);
  }
}

async function insertCompany(tx: Queryable, company: DemoCompany, passwordHash: string): Promise<void> {
  await insertInBatches(
    tx,
    `INSERT INTO locations (id, name, kind, address)
     SELECT id, name, kind, address FROM json_to_recordset($1::json) AS x(id uuid, name text, kind text, address text)`,
    company.locations,
  );
  await insertInBatches(
    tx,
    `INSERT INTO org_units (id, name, parent_id, manager_id)
     SELECT id, name, "parentId", "managerId"
       FROM json_to_recordset($1::json) AS x(id uuid, name text, "parentId" uuid, "managerId" uuid)`,
    company.orgUnits,
  );
  await insertInBatches(
    tx,
    upsertPeopleSql,
    company.people.map(({ person }) => toPersonRecord(person)),
  );
  await insertInBatches(
    tx,
    `UPDATE persons p SET pronouns = x.pronouns,
       languages = ARRAY(SELECT json_array_elements_text(x.languages)),
       skills = ARRAY(SELECT json_array_elements_text(x.skills)),
       birthday = x.birthday, show_work_anniversary = x."showWorkAnniversary"
     FROM json_to_recordset($1::json)
       AS x(id uuid, pronouns text, languages json, skills json, birthday text, "showWorkAnniversary" boolean)
     WHERE p.id = x.id`,
    company.people.map(({ person, profile, celebrations }) => ({
      id: person.id,
      ...profile,
      ...celebrations,
    })),
  );
  // Their consent, as a real person's would be on record.
  await insertInBatches(
    tx,
    `INSERT INTO consent_log (person_id, kind, granted)
     SELECT x.id, x.kind, true FROM json_to_recordset($1::json) AS x(id uuid, kind text)`,
    company.people.flatMap(({ person, celebrations }) => [
      ...(celebrations.birthday !== null ? [{ id: person.id, kind: 'birthday' }] : []),
      ...(celebrations.showWorkAnniversary ? [{ id: person.id, kind: 'workAnniversary' }] : []),
    ]),
  );
  // Demo people share one hash of the demo password: hashing 10 000 times would take minutes.
  await insertInBatches(
    tx,
    `INSERT INTO accounts (person_id, password_hash, roles)
     SELECT "personId", $2::text, ARRAY(SELECT json_array_elements_text(roles))
       FROM json_to_recordset($1::json) AS x("personId" uuid, roles json)`,
    company.people.map(({ person, roles }) => ({ personId: person.id, roles })),
    [passwordHash],
  );
  const changes: EntityChange[] = [
    ...company.locations.map((l) => ({
      entityType: 'location' as const,
      entityId: l.id,
      op: 'upsert' as const,
      scope: companyScope,
    })),
    ...company.orgUnits.map((u) => ({
      entityType: 'orgUnit' as const,
      entityId: u.id,
      op: 'upsert' as const,
      scope: companyScope,
    })),
    ...company.people.map(({ person }) => ({
      entityType: 'person' as const,
      entityId: person.id,
      op: 'upsert' as const,
      scope: companyScope,
    })),
  ];
  const withPrivateContact = company.people.filter(({ person }) => person.privatePhone !== '');
  const readers = await privateContactReaders(
    tx,
    withPrivateContact.map(({ person }) => person.id),
  );
  await recordChanges(tx, [...changes, ...privateContactChanges(new Map(), readers)]);
}

/**
 * Seeds the demo company once: the marker row makes later starts (and concurrent instances,
 * thanks to the advisory lock) leave the data alone. A database that already holds people
 * without the marker is a real company's and is never touched.
 */
export async function seedDemoCompany(db: Database, size: number, log: FastifyBaseLogger): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.demoSeed]);
    const [marker] = await tx.query<{ value: string }>('SELECT value FROM server_state WHERE name = $1', [
      seededMarker,
    ]);
    if (marker) {
      log.info({ size: Number(marker.value) }, 'demo company already seeded');
      const [canteens] = await tx.query('SELECT 1 FROM server_state WHERE name = $1', [canteensSeededMarker]);
      if (!canteens) {
        await seedCanteens(tx);
        log.info('seeded the demo canteens');
      }
      return;
    }
    const [existing] = await tx.query<{ count: number }>('SELECT count(*)::int AS count FROM persons');
    if ((existing?.count ?? 0) > 0) {
      log.warn('database already holds a directory; not seeding the demo company');
      return;
    }
    const company = generateDemoCompany(size, { birthdayToday: monthDay(new Date()) });
    await insertCompany(tx, company, await hashPassword(demoPassword));
    await insertDemoChats(tx, company);
    await insertDemoFeed(tx, company);
    await seedCanteens(tx);
    await tx.query('INSERT INTO server_state (name, value) VALUES ($1, $2)', [seededMarker, String(size)]);
    log.info(
      {
        people: company.people.length,
        orgUnits: company.orgUnits.length,
        locations: company.locations.length,
      },
      'seeded demo company',
    );
  });
}

async function seedCanteens(tx: Queryable): Promise<void> {
  await insertDemoCanteens(tx, isoDate(new Date()));
  await tx.query('INSERT INTO server_state (name, value) VALUES ($1, $2)', [canteensSeededMarker, '1']);
}

/** `YYYY-MM-DD` of a date in the server's time zone. */
function isoDate(date: Date): string {
  return `${date.getFullYear()}-${monthDay(date)}`;
}

/** `MM-DD` of a date in the server's time zone. */
function monthDay(date: Date): string {
  return `${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}
