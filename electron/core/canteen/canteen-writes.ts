import {
  type CanteenWeek,
  CanteenWeek as CanteenWeekSchema,
  type CanteenWeekInput,
  type MutationType,
  type SessionUser,
  canteenMutationArgs,
  canteenWeekProblems,
} from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import type { CacheDatabase } from '../cache/database.js';
import { CoreError } from '../errors.js';
import type { KnownFiles } from '../files/known-files.js';
import type { OutboxEntry, OutboxStore } from '../outbox/outbox-store.js';
import type { ChangeSet } from '../sync/change-set.js';
import type { CanteenStore } from './canteen-store.js';

/** The writes whose optimistic change is to a canteen's week. */
export const canteenMutations: ReadonlySet<MutationType> = new Set(['canteen.saveWeek']);

/** Saves of one week go out in the order they were made. */
const weekQueue = (week: Pick<CanteenWeekInput, 'canteenId' | 'weekStart'>) =>
  `canteenWeek:${week.canteenId}:${week.weekStart}`;

/**
 * A canteen manager's saves of a week: shown at once (as the revision the server will give it)
 * and queued in the outbox in the same transaction; sync's version replaces them.
 */
export class CanteenWrites {
  constructor(
    private readonly db: CacheDatabase,
    private readonly canteens: CanteenStore,
    private readonly outbox: OutboxStore,
    private readonly user: SessionUser,
    private readonly files: KnownFiles,
  ) {}

  saveWeek(week: CanteenWeekInput, changes: ChangeSet): CanteenWeek {
    const canteen = this.canteens.getCanteen(week.canteenId);
    if (!canteen) throw new CoreError('not_found', 'this canteen is not in the cache');
    if (!this.user.roles.includes('canteenManager') || !canteen.managerIds.includes(this.user.id)) {
      throw new CoreError('forbidden', `only the managers of ${canteen.name} may edit its plans`);
    }
    const problems = canteenWeekProblems(canteen, week);
    if (problems.length > 0) {
      throw new CoreError('invalid_args', problems.map((problem) => problem.message).join('; '));
    }
    const before = this.canteens.getWeek(week.canteenId, week.weekStart);
    const saved = this.planned(week, before);
    const id = uuidv7();
    this.db
      .transaction(() => {
        this.canteens.putWeek(saved);
        this.outbox.add({
          id,
          queue: weekQueue(week),
          type: 'canteen.saveWeek',
          args: week,
          entityId: saved.id,
          undo: before,
          createdAt: new Date().toISOString(),
        });
      })
      .immediate();
    changes.add('canteenWeek', saved.id);
    changes.add('outboxEntry', id);
    return saved;
  }

  /** Puts back the week as it was before a discarded save. Call inside its transaction. */
  undo(entry: OutboxEntry, changes: ChangeSet): void {
    const args = canteenMutationArgs['canteen.saveWeek'].safeParse(entry.args);
    if (!args.success || entry.entityId === null) return;
    const before = CanteenWeekSchema.nullable().safeParse(entry.undo);
    if (before.success && before.data) this.canteens.putWeek(before.data);
    else this.canteens.remove('canteenWeek', entry.entityId);
    changes.add('canteenWeek', entry.entityId);
  }

  /** Applies unconfirmed saves again over the server's older version of their weeks. */
  reapply(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      if (entry.type !== 'canteen.saveWeek') continue;
      const week = canteenMutationArgs['canteen.saveWeek'].parse(entry.args);
      const current = this.canteens.getWeek(week.canteenId, week.weekStart);
      if (current && current.revision > week.baseRevision) continue;
      this.canteens.putWeek(this.planned(week, current));
    }
  }

  /** The week as it will be once the server has it; a dish's photo from what the cache knows. */
  private planned(week: CanteenWeekInput, before: CanteenWeek | null): CanteenWeek {
    const knownPhotos = new Map(
      (before?.days ?? []).flatMap((day) =>
        day.dishes.flatMap((dish) => (dish.photo ? [[dish.photo.id, dish.photo]] : [])),
      ),
    );
    return {
      id: before?.id ?? uuidv7(),
      canteenId: week.canteenId,
      weekStart: week.weekStart,
      revision: week.baseRevision + 1,
      updatedAt: new Date().toISOString(),
      days: [...week.days]
        .sort((a, b) => a.date.localeCompare(b.date))
        .map((day) => ({
          ...day,
          dishes: day.dishes.map(({ photoFileId, ...dish }) => ({
            ...dish,
            photo:
              photoFileId === null ? null : (knownPhotos.get(photoFileId) ?? this.files.meta(photoFileId)),
          })),
        })),
    };
  }
}
