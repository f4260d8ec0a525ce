import { scopeKey } from '@flurfunk/protocol';
import { startMembersAtNewest } from '../../chat/read-on-join.js';
import type { Queryable } from '../../db/database.js';
import { type EntityChange, recordChanges } from '../../sync/change-log.js';
import { setPeopleActive, writeLocation, writeOrgUnit, writePeople } from '../directory-store.js';
import type { ImportPlan } from './plan-import.js';

/** People go in as one JSON array per statement: 10 000 of them in ten statements. */
const batchSize = 1000;

/**
 * Writes a plan in the caller's transaction, each write recording its change-log entries. Units
 * may name heads and people units that come later in it: those foreign keys are deferred to the
 * commit. An account needs its person, so accounts come after people.
 */
export async function applyImport(tx: Queryable, plan: ImportPlan): Promise<void> {
  for (const location of plan.locations) await writeLocation(tx, location);
  for (const unit of plan.orgUnits) await writeOrgUnit(tx, unit);
  for (const batch of batches(plan.people)) await writePeople(tx, batch);
  for (const batch of batches(plan.accountIds)) await createMissingAccounts(tx, batch);
  for (const batch of batches(plan.deactivate)) await setPeopleActive(tx, batch, false);
  for (const batch of batches(plan.reactivate)) await setPeopleActive(tx, batch, true);
}

const employeeScope = scopeKey('role', 'employee');

/**
 * An account without a password (no sign-in until one is set up) and the role `employee`, for
 * those who have none. The role is a scope of its own: like anyone joining a channel, the new
 * employees start the channels meant for employees at their newest message.
 */
async function createMissingAccounts(tx: Queryable, personIds: readonly string[]): Promise<void> {
  const created = await tx.query<{ person_id: string }>(
    `INSERT INTO accounts (person_id, password_hash, roles) SELECT unnest($1::uuid[]), NULL, '{employee}'
       ON CONFLICT (person_id) DO NOTHING RETURNING person_id`,
    [personIds],
  );
  if (created.length === 0) return;
  const channels = await tx.query<{ id: string }>(
    `SELECT id FROM conversations WHERE kind = 'channel' AND audience = $1`,
    [employeeScope],
  );
  const changes: EntityChange[] = [];
  for (const channel of channels) {
    changes.push(
      ...(await startMembersAtNewest(
        tx,
        channel.id,
        created.map((row) => row.person_id),
      )),
    );
  }
  await recordChanges(tx, changes);
}

function* batches<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += batchSize) yield items.slice(i, i + batchSize);
}
