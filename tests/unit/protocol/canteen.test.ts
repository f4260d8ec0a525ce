import { randomUUID } from 'node:crypto';
import {
  type Canteen,
  type CanteenWeekInput,
  type DishInput,
  Allergen,
  DishInput as DishInputSchema,
  addDays,
  allergenLetters,
  canteenWeekProblems,
  dishConflicts,
  hasConflicts,
  isoWeekday,
  weekStartOf,
} from '@flurfunk/protocol';
import { describe, expect, it } from 'vitest';
import { holidaysNrw } from '../../../server/src/demo/canteen-seed.js';

const canteen: Canteen = {
  id: randomUUID(),
  locationId: randomUUID(),
  name: 'Werkskantine',
  openingHours: [{ weekday: 1, opens: '11:00', closes: '14:00' }],
  priceGroups: [
    { key: 'employee', name: { de: 'Beschäftigte', en: 'Employees' } },
    { key: 'guest', name: { de: 'Gäste', en: 'Guests' } },
  ],
  lines: [{ key: 'daily', name: { de: 'Tagesgericht', en: 'Dish of the day' } }],
  managerIds: [],
};

const dish = (extra: Partial<DishInput> = {}): DishInput => ({
  id: randomUUID(),
  line: 'daily',
  name: { de: 'Linseneintopf', en: 'Lentil stew' },
  description: { de: '', en: '' },
  prices: { employee: 390, guest: 620 },
  allergens: ['celery'],
  additives: [],
  labels: ['vegan'],
  nutrition: null,
  co2Grams: null,
  photoFileId: null,
  ...extra,
});

const week = (days: CanteenWeekInput['days'], weekStart = '2026-11-30'): CanteenWeekInput => ({
  canteenId: canteen.id,
  weekStart,
  days,
  baseRevision: 0,
});
const open = (date: string, dishes: DishInput[]) => ({
  date,
  status: 'open' as const,
  note: { de: '', en: '' },
  dishes,
});

describe('a week against its canteen', () => {
  it('accepts a plan that keeps the rules', () => {
    expect(
      canteenWeekProblems(canteen, week([open('2026-11-30', [dish()]), open('2026-12-01', [dish()])])),
    ).toEqual([]);
  });

  it('names each broken rule by the path of the value', () => {
    const twin = dish();
    const problems = canteenWeekProblems(
      canteen,
      week([
        open('2026-11-30', [dish({ line: 'grill' }), dish({ prices: { employee: 390 } })]),
        open('2026-11-30', [twin, { ...twin }]),
        { date: '2026-12-07', status: 'holiday', note: { de: 'Feiertag', en: '' }, dishes: [dish()] },
        open('2026-12-02', [dish({ prices: { employee: 1, guest: 2, azubi: 1 } })]),
      ]),
    );
    expect(problems.map((p) => [p.code, p.path.join('.')])).toEqual([
      ['unknownLine', 'days.0.dishes.0.line'],
      ['missingPrice', 'days.0.dishes.1.prices.guest'],
      ['duplicateDate', 'days.1.date'],
      ['duplicateDish', 'days.1.dishes.1.id'],
      ['duplicateEntry', 'days.1.dishes.1.name'],
      ['dateOutsideWeek', 'days.2.date'],
      ['dishesOnClosedDay', 'days.2.dishes'],
      ['unknownPriceGroup', 'days.3.dishes.0.prices.azubi'],
    ]);
    expect(canteenWeekProblems(canteen, week([], '2026-12-01')).map((p) => p.code)).toEqual(['notMonday']);
  });

  it('refuses more allergens than exist, unknown ones and a price below zero', () => {
    expect(DishInputSchema.safeParse(dish({ allergens: ['gluten', 'chocolate' as Allergen] })).success).toBe(
      false,
    );
    expect(DishInputSchema.safeParse(dish({ prices: { employee: -1, guest: 0 } })).success).toBe(false);
    expect(Object.keys(allergenLetters)).toEqual(Allergen.options);
    expect(Allergen.options).toHaveLength(14);
  });
});

describe('a dish against a diet profile', () => {
  const profile = { allergens: ['celery', 'peanuts'] as Allergen[], additives: [], requiredLabels: [] };

  it('flags the allergens and additives the person avoids', () => {
    const conflicts = dishConflicts(dish({ allergens: ['celery', 'gluten'], additives: ['caffeine'] }), {
      ...profile,
      additives: ['caffeine'],
    });
    expect(conflicts).toEqual({ allergens: ['celery'], additives: ['caffeine'], missingLabels: [] });
    expect(hasConflicts(conflicts)).toBe(true);
    expect(hasConflicts(dishConflicts(dish({ allergens: ['gluten'] }), profile))).toBe(false);
  });

  it('knows what a label implies: a vegan dish suits a vegetarian, pork never does', () => {
    const vegetarian = { allergens: [], additives: [], requiredLabels: ['vegetarian' as const] };
    expect(dishConflicts(dish({ labels: ['vegan'] }), vegetarian).missingLabels).toEqual([]);
    expect(dishConflicts(dish({ labels: ['pork'] }), vegetarian).missingLabels).toEqual(['vegetarian']);
    expect(
      dishConflicts(dish({ labels: [] }), { ...vegetarian, requiredLabels: ['porkFree'] }).missingLabels,
    ).toEqual(['porkFree']);
    expect(
      dishConflicts(dish({ labels: ['vegetarian'] }), { ...vegetarian, requiredLabels: ['porkFree'] })
        .missingLabels,
    ).toEqual([]);
  });
});

describe('calendar helpers', () => {
  it('finds the Monday of a week, across months and years', () => {
    expect(weekStartOf('2026-11-27')).toBe('2026-11-23');
    expect(weekStartOf('2026-11-23')).toBe('2026-11-23');
    expect(weekStartOf('2027-01-03')).toBe('2026-12-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(isoWeekday('2026-11-29')).toBe(7);
  });

  it("knows North Rhine-Westphalia's public holidays, Easter's moving ones included", () => {
    const holidays = holidaysNrw(2026);
    expect(holidays.get('2026-04-03')?.[0]).toBe('Karfreitag');
    expect(holidays.get('2026-05-25')?.[0]).toBe('Pfingstmontag');
    expect(holidays.get('2026-06-04')?.[0]).toBe('Fronleichnam');
    expect(holidays.get('2026-10-03')?.[1]).toBe('German Unity Day');
    expect(holidaysNrw(2027).get('2027-03-29')?.[0]).toBe('Ostermontag');
  });
});
