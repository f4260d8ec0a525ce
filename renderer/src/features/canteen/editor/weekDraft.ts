import {
  type Canteen,
  type CanteenDay,
  type CanteenDayInput,
  type CanteenWeek,
  type CanteenWeekInput,
  CanteenWeekInput as CanteenWeekInputSchema,
  type CanteenWeekProblemCode,
  type DishInput,
  type FileMeta,
  addDays,
  canteenWeekProblems,
  isoWeekday,
} from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';

/** The days an editor offers: Monday to Friday, and a weekend day the canteen opens or planned. */
export function editableDates(canteen: Canteen, weekStart: string, planned: readonly string[]): string[] {
  return [0, 1, 2, 3, 4, 5, 6]
    .map((offset) => addDays(weekStart, offset))
    .filter(
      (date, index) =>
        index < 5 ||
        planned.includes(date) ||
        canteen.openingHours.some((h) => h.weekday === isoWeekday(date)),
    );
}

function toInputDay(day: CanteenDay): CanteenDayInput {
  return {
    ...day,
    dishes: day.dishes.map(({ photo, ...dish }) => ({ ...dish, photoFileId: photo?.id ?? null })),
  };
}

/** What the editor starts from: the saved week, or empty open days. */
export function draftOf(canteen: Canteen, weekStart: string, week: CanteenWeek | null): CanteenWeekInput {
  const saved = new Map((week?.days ?? []).map((day) => [day.date, toInputDay(day)]));
  return {
    canteenId: canteen.id,
    weekStart,
    baseRevision: week?.revision ?? 0,
    days: editableDates(canteen, weekStart, [...saved.keys()]).map(
      (date) => saved.get(date) ?? { date, status: 'open', note: { de: '', en: '' }, dishes: [] },
    ),
  };
}

/** Last week's plan moved to this week: the same dishes as new ones, on the same weekdays. */
export function copiedWeek(draft: CanteenWeekInput, previous: CanteenWeek): CanteenWeekInput {
  const byDate = new Map(previous.days.map((day) => [addDays(day.date, 7), toInputDay(day)]));
  return {
    ...draft,
    days: draft.days.map((day) => {
      const earlier = byDate.get(day.date);
      if (!earlier) return day;
      return {
        ...earlier,
        date: day.date,
        dishes: earlier.dishes.map((dish) => ({ ...dish, id: uuidv7() })),
      };
    }),
  };
}

export function newDish(canteen: Canteen, line = canteen.lines[0]?.key ?? ''): DishInput {
  return {
    id: uuidv7(),
    line,
    name: { de: '', en: '' },
    description: { de: '', en: '' },
    // No price yet: the editor asks for one before it saves.
    prices: Object.fromEntries(canteen.priceGroups.map((group) => [group.key, Number.NaN])),
    allergens: [],
    additives: [],
    labels: [],
    nutrition: null,
    co2Grams: null,
    photoFileId: null,
  };
}

/** Days without a dish and without a note are not saved: they have no plan. */
export function weekToSave(draft: CanteenWeekInput): CanteenWeekInput {
  return {
    ...draft,
    days: draft.days.filter(
      (day) => day.status !== 'open' || day.dishes.length > 0 || day.note.de !== '' || day.note.en !== '',
    ),
  };
}

/** What is wrong with a value: a rule of the canteen, or the value itself (empty, out of range). */
export type DraftProblem = CanteenWeekProblemCode | 'required' | 'invalid';

/**
 * What is wrong with the draft, by the path of the value (`days.0.dishes.1.name.de`): the schema's
 * checks of each value, then the canteen's rules.
 */
export function draftProblems(canteen: Canteen, draft: CanteenWeekInput): Map<string, DraftProblem> {
  const problems = new Map<string, DraftProblem>();
  const parsed = CanteenWeekInputSchema.safeParse(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      if (!problems.has(path))
        problems.set(path, issue.code === 'too_small' && issue.origin === 'string' ? 'required' : 'invalid');
    }
  }
  for (const problem of canteenWeekProblems(canteen, draft)) {
    const path = problem.path.join('.');
    if (!problems.has(path)) problems.set(path, problem.code);
  }
  return problems;
}

/** A draft day as employees will see it, with the photos the editor knows. */
export function previewDay(day: CanteenDayInput, photos: ReadonlyMap<string, FileMeta>): CanteenDay {
  return {
    ...day,
    dishes: day.dishes.map(({ photoFileId, ...dish }) => ({
      ...dish,
      photo: photoFileId === null ? null : (photos.get(photoFileId) ?? null),
    })),
  };
}
