import type { Canteen, CanteenDayInput } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';

/** `json_build_object` of a protocol Canteen from `canteens` as `c`. */
export const canteenJson = `json_build_object(
  'id', c.id, 'locationId', c.location_id, 'name', c.name, 'openingHours', c.opening_hours,
  'priceGroups', c.price_groups, 'lines', c.lines,
  'managerIds', coalesce((SELECT json_agg(m.person_id ORDER BY m.person_id) FROM canteen_managers m
                           WHERE m.canteen_id = c.id), '[]'::json))`;

export async function findCanteen(db: Queryable, id: string): Promise<Canteen | null> {
  const [row] = await db.query<{ canteen: Canteen }>(
    `SELECT ${canteenJson} AS canteen FROM canteens c WHERE c.id = $1`,
    [id],
  );
  return row?.canteen ?? null;
}

export async function listCanteens(db: Queryable): Promise<Canteen[]> {
  const rows = await db.query<{ canteen: Canteen }>(
    `SELECT ${canteenJson} AS canteen FROM canteens c ORDER BY c.name, c.id`,
  );
  return rows.map((row) => row.canteen);
}

/** Creates or replaces a canteen with its managers. */
export async function writeCanteen(tx: Queryable, canteen: Canteen): Promise<void> {
  await tx.query(
    `INSERT INTO canteens (id, location_id, name, opening_hours, price_groups, lines)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET location_id = excluded.location_id, name = excluded.name,
       opening_hours = excluded.opening_hours, price_groups = excluded.price_groups,
       lines = excluded.lines, updated_at = now()`,
    [
      canteen.id,
      canteen.locationId,
      canteen.name,
      JSON.stringify(canteen.openingHours),
      JSON.stringify(canteen.priceGroups),
      JSON.stringify(canteen.lines),
    ],
  );
  await tx.query('DELETE FROM canteen_managers WHERE canteen_id = $1', [canteen.id]);
  await tx.query(
    `INSERT INTO canteen_managers (canteen_id, person_id)
     SELECT $1, person_id FROM unnest($2::uuid[]) AS person_id`,
    [canteen.id, canteen.managerIds],
  );
}

export interface StoredWeek {
  id: string;
  revision: number;
  days: CanteenDayInput[];
}

/** A canteen's week as saved, locked for the caller's transaction; null before its first save. */
export async function lockWeek(
  tx: Queryable,
  canteenId: string,
  weekStart: string,
): Promise<StoredWeek | null> {
  const [row] = await tx.query<StoredWeek>(
    `SELECT id, revision, days FROM canteen_weeks WHERE canteen_id = $1 AND week_start = $2 FOR UPDATE`,
    [canteenId, weekStart],
  );
  return row ?? null;
}

/** Whether the person may edit the canteen's plans: they hold the role and manage that canteen. */
export async function managesCanteen(db: Queryable, personId: string, canteenId: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM canteen_managers m JOIN accounts a ON a.person_id = m.person_id
      WHERE m.canteen_id = $1 AND m.person_id = $2 AND 'canteenManager' = ANY(a.roles)`,
    [canteenId, personId],
  );
  return rows.length > 0;
}
