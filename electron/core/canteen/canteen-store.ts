import {
  Canteen,
  CanteenWeek,
  DietProfile,
  emptyDietProfile,
  type SyncChange,
  type SyncEntity,
} from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import { readMeta, writeMeta } from '../cache/meta.js';
import type { SyncTarget } from '../sync/sync-target.js';

/** A canteen as the canteen screens list it: with the name of its location. */
export type CanteenListing = Canteen & { locationName: string | null };

/**
 * The canteens and their weekly plans in the cache, written by sync and by the manager's own
 * saves; and the user's allergen and diet profile, which only this device knows.
 */
export class CanteenStore implements SyncTarget {
  private readonly statements;

  constructor(private readonly db: CacheDatabase) {
    this.statements = {
      upsertCanteen: db.prepare<[string, string, string, string]>(
        `INSERT INTO canteens (id, location_id, name, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET location_id = excluded.location_id, name = excluded.name,
           data = excluded.data`,
      ),
      deleteCanteen: db.prepare<[string]>('DELETE FROM canteens WHERE id = ?'),
      upsertWeek: db.prepare<[string, string, string, number, string]>(
        `INSERT INTO canteen_weeks (id, canteen_id, week_start, revision, data) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET canteen_id = excluded.canteen_id,
           week_start = excluded.week_start, revision = excluded.revision, data = excluded.data`,
      ),
      deleteWeek: db.prepare<[string]>('DELETE FROM canteen_weeks WHERE id = ?'),
      deleteOtherWeeks: db.prepare<[string, string, string]>(
        'DELETE FROM canteen_weeks WHERE canteen_id = ? AND week_start = ? AND id <> ?',
      ),
      canteens: db.prepare<[], { data: string; location_name: string | null }>(
        `SELECT c.data, l.name AS location_name FROM canteens c
           LEFT JOIN locations l ON l.id = c.location_id
          ORDER BY c.name, c.id`,
      ),
      week: db
        .prepare<[string, string], string>(
          'SELECT data FROM canteen_weeks WHERE canteen_id = ? AND week_start = ?',
        )
        .pluck(),
    };
  }

  apply(change: SyncChange): void {
    switch (change.type) {
      case 'canteen.upsert':
        this.putCanteen(change.data);
        break;
      case 'canteenWeek.upsert':
        this.putWeek(change.data);
        break;
      case 'canteen.delete':
      case 'canteenWeek.delete':
        this.remove(change.type === 'canteen.delete' ? 'canteen' : 'canteenWeek', change.id);
        break;
      default:
        break;
    }
  }

  remove(entity: SyncEntity, id: string): void {
    if (entity === 'canteen') this.statements.deleteCanteen.run(id);
    else if (entity === 'canteenWeek') this.statements.deleteWeek.run(id);
  }

  putCanteen(canteen: Canteen): void {
    this.statements.upsertCanteen.run(canteen.id, canteen.locationId, canteen.name, JSON.stringify(canteen));
  }

  /** Stores a week; any other row of it (a manager's first save, before the server named it) goes. */
  putWeek(week: CanteenWeek): void {
    this.statements.deleteOtherWeeks.run(week.canteenId, week.weekStart, week.id);
    this.statements.upsertWeek.run(
      week.id,
      week.canteenId,
      week.weekStart,
      week.revision,
      JSON.stringify(week),
    );
  }

  listCanteens(): CanteenListing[] {
    return this.statements.canteens
      .all()
      .map((row) => ({ ...Canteen.parse(JSON.parse(row.data)), locationName: row.location_name }));
  }

  getCanteen(id: string): Canteen | null {
    return this.listCanteens().find((canteen) => canteen.id === id) ?? null;
  }

  /** The canteen's plan for the week beginning on `weekStart` (a Monday), if it has one. */
  getWeek(canteenId: string, weekStart: string): CanteenWeek | null {
    const data = this.statements.week.get(canteenId, weekStart);
    return data === undefined ? null : CanteenWeek.parse(JSON.parse(data));
  }

  dietProfile(): DietProfile {
    const stored = readMeta(this.db, 'canteen.dietProfile');
    const parsed = stored === null ? null : DietProfile.safeParse(JSON.parse(stored));
    return parsed?.success ? parsed.data : emptyDietProfile;
  }

  saveDietProfile(profile: DietProfile): DietProfile {
    writeMeta(this.db, 'canteen.dietProfile', JSON.stringify(profile));
    return profile;
  }
}
