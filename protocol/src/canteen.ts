import { z } from 'zod';
import { IsoDate } from './directory.js';
import { FileMeta } from './files.js';
import { Id } from './ids.js';
import { TimeOfDay } from './notifications.js';

/**
 * The 14 allergens EU Regulation 1169/2011 (Annex II) requires to be declared, with the letters
 * German menus mark them by.
 */
export const Allergen = z.enum([
  'gluten',
  'crustaceans',
  'eggs',
  'fish',
  'peanuts',
  'soy',
  'milk',
  'nuts',
  'celery',
  'mustard',
  'sesame',
  'sulphites',
  'lupin',
  'molluscs',
]);
export type Allergen = z.infer<typeof Allergen>;

export const allergenLetters: Readonly<Record<Allergen, string>> = {
  gluten: 'A',
  crustaceans: 'B',
  eggs: 'C',
  fish: 'D',
  peanuts: 'E',
  soy: 'F',
  milk: 'G',
  nuts: 'H',
  celery: 'L',
  mustard: 'M',
  sesame: 'N',
  sulphites: 'O',
  lupin: 'P',
  molluscs: 'R',
};

/** The additives German menus declare by number (Zusatzstoff-Zulassungsverordnung, §9). */
export const Additive = z.enum([
  'colouring',
  'preservative',
  'antioxidant',
  'flavourEnhancer',
  'sulphurised',
  'blackened',
  'waxed',
  'phosphate',
  'sweetener',
  'phenylalanine',
  'caffeine',
  'quinine',
]);
export type Additive = z.infer<typeof Additive>;

export const additiveNumbers: Readonly<Record<Additive, number>> = {
  colouring: 1,
  preservative: 2,
  antioxidant: 3,
  flavourEnhancer: 4,
  sulphurised: 5,
  blackened: 6,
  waxed: 7,
  phosphate: 8,
  sweetener: 9,
  phenylalanine: 10,
  caffeine: 11,
  quinine: 12,
};

export const DietLabel = z.enum([
  'vegan',
  'vegetarian',
  'porkFree',
  'pork',
  'beef',
  'poultry',
  'fish',
  'glutenFree',
  'lactoseFree',
  'organic',
  'regional',
]);
export type DietLabel = z.infer<typeof DietLabel>;

/** What a label says about a dish besides itself: a vegan dish is vegetarian, a vegetarian one pork-free. */
const impliedLabels: Partial<Readonly<Record<DietLabel, readonly DietLabel[]>>> = {
  vegan: ['vegetarian', 'porkFree', 'lactoseFree'],
  vegetarian: ['porkFree'],
};

/** A dish's labels with everything they imply. */
export function labelsWithImplied(labels: readonly DietLabel[]): Set<DietLabel> {
  const all = new Set(labels);
  for (const label of labels) for (const implied of impliedLabels[label] ?? []) all.add(implied);
  return all;
}

/** Text in both of the app's languages; English may be left empty (German is shown then). */
const localized = (max: number, required: boolean) =>
  z
    .object({
      de: required ? z.string().trim().min(1).max(max) : z.string().trim().max(max),
      en: z.string().trim().max(max),
    })
    .strict();

/** A short key of the canteen's own lines and price groups (`daily`, `vegan`, `employee`). */
export const CanteenKey = z.string().regex(/^[a-z][a-zA-Z0-9]{0,29}$/, 'expected a short key');

/** A price in euro cents. */
export const Cents = z.number().int().min(0).max(100_000);

/** A price as people write it (`4,90`, `4.90`, `4,90 €`, `4`) in cents; null when it is none. */
export function parseEuroCents(text: string): number | null {
  const match = /^(\d{1,4})(?:[.,](\d{1,2}))?\s*€?$/.exec(text.trim());
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0')) : null;
}

export const OpeningHours = z
  .object({
    /** ISO weekday: 1 Monday … 7 Sunday. */
    weekday: z.number().int().min(1).max(7),
    opens: TimeOfDay,
    closes: TimeOfDay,
  })
  .strict()
  .refine((hours) => hours.opens < hours.closes, 'a canteen closes after it opens');
export type OpeningHours = z.infer<typeof OpeningHours>;

export const Canteen = z
  .object({
    id: Id,
    locationId: Id,
    name: z.string().trim().min(1).max(200),
    openingHours: z.array(OpeningHours).max(21),
    /** e.g. employee, guest: each dish has a price per group. */
    priceGroups: z
      .array(z.object({ key: CanteenKey, name: localized(60, true) }).strict())
      .min(1)
      .max(10),
    /** The counters or kinds of dish of a day, in menu order: daily dish, vegetarian, salad bar… */
    lines: z
      .array(z.object({ key: CanteenKey, name: localized(60, true) }).strict())
      .min(1)
      .max(20),
    /** Who may edit its plans (they also need the `canteenManager` role). */
    managerIds: z.array(Id).max(100),
  })
  .strict();
export type Canteen = z.infer<typeof Canteen>;

/** Per portion. */
export const Nutrition = z
  .object({
    energyKcal: z.number().int().min(0).max(10_000),
    proteinG: z.number().min(0).max(1000),
    carbohydrateG: z.number().min(0).max(1000),
    fatG: z.number().min(0).max(1000),
    saltG: z.number().min(0).max(1000),
  })
  .strict();
export type Nutrition = z.infer<typeof Nutrition>;

const dishFields = {
  /** Chosen by whoever first wrote the dish; it stays through edits. */
  id: Id,
  line: CanteenKey,
  name: localized(200, true),
  description: localized(1000, false),
  /** Price group key → cents; every group of the canteen has a price. */
  prices: z.record(CanteenKey, Cents),
  allergens: z.array(Allergen).max(Allergen.options.length),
  additives: z.array(Additive).max(Additive.options.length),
  labels: z.array(DietLabel).max(DietLabel.options.length),
  nutrition: Nutrition.nullable(),
  /** Grams of CO₂ equivalent per portion. */
  co2Grams: z.number().int().min(0).max(100_000).nullable(),
};

/** A dish as a canteen manager writes it: the photo is an image they uploaded. */
export const DishInput = z.object({ ...dishFields, photoFileId: Id.nullable() }).strict();
export type DishInput = z.infer<typeof DishInput>;

export const Dish = z.object({ ...dishFields, photo: FileMeta.nullable() }).strict();
export type Dish = z.infer<typeof Dish>;

/** `closed` (no service that day) or `holiday` (a public holiday); either has no dishes. */
export const DayStatus = z.enum(['open', 'closed', 'holiday']);
export type DayStatus = z.infer<typeof DayStatus>;

export const maxDishesPerDay = 30;

const dayFields = {
  date: IsoDate,
  status: DayStatus,
  /** Shown with the day, e.g. the holiday's name or "Grillfest im Hof". */
  note: localized(300, false),
};

export const CanteenDayInput = z
  .object({ ...dayFields, dishes: z.array(DishInput).max(maxDishesPerDay) })
  .strict();
export type CanteenDayInput = z.infer<typeof CanteenDayInput>;

export const CanteenDay = z.object({ ...dayFields, dishes: z.array(Dish).max(maxDishesPerDay) }).strict();
export type CanteenDay = z.infer<typeof CanteenDay>;

/**
 * A canteen's plan for one week as its manager saves it (mutation `canteen.saveWeek`, the
 * import): it replaces the week as a whole; a day left out has no plan. `baseRevision` is the
 * revision the editor started from (0 for a new week); a week saved by someone else since is a
 * conflict.
 */
export const CanteenWeekInput = z
  .object({
    canteenId: Id,
    /** The Monday the week begins with. */
    weekStart: IsoDate,
    days: z.array(CanteenDayInput).max(7),
    baseRevision: z.number().int().min(0),
  })
  .strict();
export type CanteenWeekInput = z.infer<typeof CanteenWeekInput>;

/** A week's plan as sync delivers it (scope: company). */
export const CanteenWeek = z
  .object({
    id: Id,
    canteenId: Id,
    weekStart: IsoDate,
    revision: z.number().int().min(1),
    days: z.array(CanteenDay).max(7),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type CanteenWeek = z.infer<typeof CanteenWeek>;

export const canteenMutationArgs = {
  'canteen.saveWeek': CanteenWeekInput,
} as const;

/** What is wrong with a week's plan for its canteen, by the path of the offending value. */
export type CanteenWeekProblemCode =
  | 'notMonday'
  | 'dateOutsideWeek'
  | 'duplicateDate'
  | 'dishesOnClosedDay'
  | 'unknownLine'
  | 'missingPrice'
  | 'unknownPriceGroup'
  | 'duplicateDish'
  | 'duplicateEntry';

export interface CanteenWeekProblem {
  path: (string | number)[];
  code: CanteenWeekProblemCode;
  message: string;
}

/**
 * Checks a week against its canteen (the schema checks each value alone): the server refuses a
 * week with problems, the editor shows them inline, the import names their line and column.
 */
export function canteenWeekProblems(canteen: Canteen, week: CanteenWeekInput): CanteenWeekProblem[] {
  const problems: CanteenWeekProblem[] = [];
  const add = (path: (string | number)[], code: CanteenWeekProblemCode, message: string) =>
    problems.push({ path, code, message });
  if (!isMonday(week.weekStart)) add(['weekStart'], 'notMonday', 'a week starts on a Monday');
  const lines = new Set(canteen.lines.map((line) => line.key));
  const groups = canteen.priceGroups.map((group) => group.key);
  const dates = new Set<string>();
  const dishIds = new Set<string>();
  week.days.forEach((day, d) => {
    if (daysBetween(week.weekStart, day.date) < 0 || daysBetween(week.weekStart, day.date) > 6)
      add(['days', d, 'date'], 'dateOutsideWeek', `${day.date} is not in the week of ${week.weekStart}`);
    if (dates.has(day.date)) add(['days', d, 'date'], 'duplicateDate', `${day.date} is planned twice`);
    dates.add(day.date);
    if (day.status !== 'open' && day.dishes.length > 0)
      add(['days', d, 'dishes'], 'dishesOnClosedDay', `${day.date} is ${day.status} but has dishes`);
    const named = new Set<string>();
    day.dishes.forEach((dish, i) => {
      const at = ['days', d, 'dishes', i];
      if (!lines.has(dish.line))
        add([...at, 'line'], 'unknownLine', `the canteen has no line "${dish.line}"`);
      for (const group of groups)
        if (dish.prices[group] === undefined)
          add([...at, 'prices', group], 'missingPrice', `no price for "${group}"`);
      for (const group of Object.keys(dish.prices))
        if (!groups.includes(group))
          add([...at, 'prices', group], 'unknownPriceGroup', `the canteen has no price group "${group}"`);
      if (dishIds.has(dish.id)) add([...at, 'id'], 'duplicateDish', 'the same dish id is used twice');
      dishIds.add(dish.id);
      const key = `${dish.line}\u0000${dish.name.de.toLocaleLowerCase('de')}`;
      if (named.has(key))
        add(
          [...at, 'name'],
          'duplicateEntry',
          `"${dish.name.de}" is on the ${dish.line} line twice that day`,
        );
      named.add(key);
    });
  });
  return problems;
}

/** The Monday of the week a day is in. */
export function weekStartOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = (day.getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

export function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 Monday … 7 Sunday. */
export function isoWeekday(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

function isMonday(date: string): boolean {
  return isoWeekday(date) === 1;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Diets a profile can require; freedom from an allergen is asked for by the allergen itself. */
export const RequirableLabel = z.enum(['vegan', 'vegetarian', 'porkFree']);
export type RequirableLabel = z.infer<typeof RequirableLabel>;

/** A person's allergen and diet profile: kept on their device only, never sent. */
export const DietProfile = z
  .object({
    allergens: z.array(Allergen).max(Allergen.options.length),
    additives: z.array(Additive).max(Additive.options.length),
    /** Labels a dish must carry (with what they imply), e.g. vegetarian. */
    requiredLabels: z.array(RequirableLabel).max(RequirableLabel.options.length),
  })
  .strict();
export type DietProfile = z.infer<typeof DietProfile>;

export const emptyDietProfile: DietProfile = { allergens: [], additives: [], requiredLabels: [] };

export interface DishConflicts {
  allergens: Allergen[];
  additives: Additive[];
  missingLabels: DietLabel[];
}

/** Where a dish goes against a profile; none of the lists has entries when it fits. */
export function dishConflicts(
  dish: Pick<Dish, 'allergens' | 'additives' | 'labels'>,
  profile: DietProfile,
): DishConflicts {
  const labels = labelsWithImplied(dish.labels);
  return {
    allergens: dish.allergens.filter((allergen) => profile.allergens.includes(allergen)),
    additives: dish.additives.filter((additive) => profile.additives.includes(additive)),
    missingLabels: profile.requiredLabels.filter((label) => !labels.has(label)),
  };
}

export function hasConflicts(conflicts: DishConflicts): boolean {
  return (
    conflicts.allergens.length > 0 || conflicts.additives.length > 0 || conflicts.missingLabels.length > 0
  );
}
