import {
  type Additive,
  type Allergen,
  type Canteen,
  type CanteenDayInput,
  type DietLabel,
  type DishInput,
  type Nutrition,
  addDays,
  companyScope,
  weekStartOf,
} from '@flurfunk/protocol';
import { writeCanteen } from '../canteen/canteen-rows.js';
import { saveWeek } from '../canteen/save-week.js';
import type { Queryable } from '../db/database.js';
import { nameBasedId } from '../db/name-based-id.js';
import { recordChanges } from '../sync/change-log.js';

/** A dish of the demo kitchens' repertoire: [German, English] texts and what a menu declares. */
interface Recipe {
  name: [string, string];
  description: [string, string];
  allergens: Allergen[];
  additives: Additive[];
  labels: DietLabel[];
  euros: number;
  nutrition: [kcal: number, protein: number, carbohydrate: number, fat: number, salt: number];
  co2Grams: number;
}

const recipe = (
  name: [string, string],
  description: [string, string],
  allergens: Allergen[],
  labels: DietLabel[],
  euros: number,
  nutrition: Recipe['nutrition'],
  co2Grams: number,
  additives: Additive[] = [],
): Recipe => ({ name, description, allergens, additives, labels, euros, nutrition, co2Grams });

/** Recipes by line, one picked per day in turn. */
const repertoire: Record<string, Recipe[]> = {
  daily: [
    recipe(
      ['Schweinerückensteak mit Pfefferrahmsoße', 'Pork loin steak with pepper cream sauce'],
      ['dazu Bratkartoffeln und Bohnen', 'with fried potatoes and green beans'],
      ['milk', 'celery'],
      ['pork'],
      5.9,
      [780, 42, 48, 44, 2.6],
      2400,
      ['phosphate'],
    ),
    recipe(
      ['Hähnchenbrust mit Currysoße', 'Chicken breast with curry sauce'],
      ['dazu Basmatireis und Erbsen', 'with basmati rice and peas'],
      ['milk', 'mustard'],
      ['poultry', 'porkFree'],
      5.5,
      [690, 45, 70, 22, 2.1],
      1300,
    ),
    recipe(
      ['Rinderroulade mit Rotkohl', 'Beef roulade with red cabbage'],
      ['dazu Salzkartoffeln', 'with boiled potatoes'],
      ['gluten', 'mustard', 'celery', 'sulphites'],
      ['beef', 'porkFree', 'regional'],
      6.9,
      [820, 48, 62, 38, 3.1],
      5200,
      ['preservative'],
    ),
    recipe(
      ['Spaghetti Bolognese', 'Spaghetti bolognese'],
      ['mit Parmesan', 'with parmesan'],
      ['gluten', 'eggs', 'milk', 'celery'],
      ['beef'],
      4.9,
      [760, 34, 92, 26, 2.4],
      3100,
    ),
    recipe(
      ['Currywurst mit Pommes frites', 'Currywurst with French fries'],
      ['hausgemachte Currysoße', 'homemade curry sauce'],
      ['mustard', 'celery'],
      ['pork'],
      4.5,
      [910, 28, 78, 52, 4.2],
      2100,
      ['phosphate', 'flavourEnhancer', 'preservative'],
    ),
  ],
  fish: [
    recipe(
      ['Seelachsfilet in Senfsoße', 'Saithe fillet in mustard sauce'],
      ['dazu Petersilienkartoffeln', 'with parsley potatoes'],
      ['fish', 'milk', 'mustard'],
      ['fish', 'porkFree'],
      5.9,
      [610, 38, 52, 24, 2.2],
      1600,
    ),
  ],
  vegetarian: [
    recipe(
      ['Käsespätzle mit Röstzwiebeln', 'Cheese spaetzle with fried onions'],
      ['dazu Blattsalat', 'with leaf salad'],
      ['gluten', 'eggs', 'milk'],
      ['vegetarian'],
      4.9,
      [840, 32, 86, 40, 2.3],
      1900,
    ),
    recipe(
      ['Gemüselasagne', 'Vegetable lasagne'],
      ['mit Spinat und Ricotta', 'with spinach and ricotta'],
      ['gluten', 'eggs', 'milk', 'celery'],
      ['vegetarian'],
      4.7,
      [650, 26, 64, 30, 2.0],
      1500,
    ),
    recipe(
      ['Kartoffelpuffer mit Apfelmus', 'Potato pancakes with apple sauce'],
      ['frisch gebacken', 'freshly fried'],
      ['gluten', 'eggs'],
      ['vegetarian', 'regional'],
      4.2,
      [590, 10, 82, 24, 1.4],
      700,
    ),
    recipe(
      ['Spinat-Feta-Strudel', 'Spinach and feta strudel'],
      ['mit Joghurt-Dip', 'with yoghurt dip'],
      ['gluten', 'eggs', 'milk', 'sesame'],
      ['vegetarian'],
      4.8,
      [620, 22, 54, 34, 2.1],
      1400,
    ),
  ],
  vegan: [
    recipe(
      ['Linsen-Dal mit Kokos', 'Lentil dal with coconut'],
      ['dazu Basmatireis', 'with basmati rice'],
      ['celery'],
      ['vegan'],
      4.4,
      [560, 20, 84, 14, 1.6],
      600,
    ),
    recipe(
      ['Chili sin Carne', 'Chili sin carne'],
      ['mit Kidneybohnen und Mais', 'with kidney beans and corn'],
      ['celery'],
      ['vegan'],
      4.2,
      [520, 22, 76, 12, 1.8],
      550,
    ),
    recipe(
      ['Gebratener Tofu mit Wokgemüse', 'Fried tofu with wok vegetables'],
      ['dazu Mie-Nudeln', 'with egg-free noodles'],
      ['gluten', 'soy', 'sesame'],
      ['vegan'],
      4.9,
      [610, 28, 70, 22, 3.0],
      800,
    ),
  ],
  salad: [
    recipe(
      ['Salatbar', 'Salad bar'],
      ['pro 100 g, Dressings: Joghurt, Essig-Öl', 'per 100 g, dressings: yoghurt, oil and vinegar'],
      ['milk', 'mustard', 'sulphites'],
      ['vegetarian'],
      1.1,
      [90, 3, 8, 5, 0.4],
      150,
    ),
  ],
  dessert: [
    recipe(
      ['Vanillepudding mit Kirschen', 'Vanilla pudding with cherries'],
      ['', ''],
      ['milk'],
      ['vegetarian'],
      1.5,
      [210, 5, 36, 5, 0.2],
      350,
      ['colouring'],
    ),
    recipe(['Obstsalat', 'Fruit salad'], ['', ''], [], ['vegan'], 1.6, [120, 1, 28, 0, 0], 200),
    recipe(
      ['Schokoladenmousse', 'Chocolate mousse'],
      ['', ''],
      ['eggs', 'milk', 'soy'],
      ['vegetarian'],
      1.9,
      [290, 6, 26, 18, 0.1],
      500,
    ),
  ],
};

const lines = [
  { key: 'daily', name: { de: 'Tagesgericht', en: 'Dish of the day' } },
  { key: 'vegetarian', name: { de: 'Vegetarisch', en: 'Vegetarian' } },
  { key: 'vegan', name: { de: 'Vegan', en: 'Vegan' } },
  { key: 'salad', name: { de: 'Salatbar', en: 'Salad bar' } },
  { key: 'dessert', name: { de: 'Dessert', en: 'Dessert' } },
];
const priceGroups = [
  { key: 'employee', name: { de: 'Beschäftigte', en: 'Employees' } },
  { key: 'guest', name: { de: 'Gäste', en: 'Guests' } },
];
const weekdays = (opens: string, closes: string) =>
  [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens, closes }));

/** Public holidays in North Rhine-Westphalia, where the demo company is, by date. */
export function holidaysNrw(year: number): Map<string, [string, string]> {
  const easter = easterSunday(year);
  const fromEaster = (days: number) => addDays(easter, days);
  return new Map<string, [string, string]>([
    [`${year}-01-01`, ['Neujahr', "New Year's Day"]],
    [fromEaster(-2), ['Karfreitag', 'Good Friday']],
    [fromEaster(1), ['Ostermontag', 'Easter Monday']],
    [`${year}-05-01`, ['Tag der Arbeit', 'Labour Day']],
    [fromEaster(39), ['Christi Himmelfahrt', 'Ascension Day']],
    [fromEaster(50), ['Pfingstmontag', 'Whit Monday']],
    [fromEaster(60), ['Fronleichnam', 'Corpus Christi']],
    [`${year}-10-03`, ['Tag der Deutschen Einheit', 'German Unity Day']],
    [`${year}-11-01`, ['Allerheiligen', "All Saints' Day"]],
    [`${year}-12-25`, ['1. Weihnachtstag', 'Christmas Day']],
    [`${year}-12-26`, ['2. Weihnachtstag', 'Boxing Day']],
  ]);
}

/** Easter Sunday of the Gregorian calendar (the anonymous algorithm). */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface DemoCanteens {
  canteens: Canteen[];
  /** Last week, this week and next, per canteen. */
  weeks: { canteenId: string; weekStart: string; days: CanteenDayInput[] }[];
}

/** Where the demo canteens go and who runs one: from the demo company in the database. */
export interface DemoCanteenPlaces {
  locations: readonly { id: string; name: string }[];
  petraId: string | null;
}

/** The demo company's two canteens with plans around `today` (`YYYY-MM-DD`). */
export function generateDemoCanteens(places: DemoCanteenPlaces, today: string): DemoCanteens {
  const locationNamed = (prefix: string) => places.locations.find((l) => l.name.startsWith(prefix))!.id;
  const petra = places.petraId;
  const canteens: Canteen[] = [
    {
      id: demoId('canteen:werk'),
      locationId: locationNamed('Werk'),
      name: 'Werkskantine Gütersloh',
      openingHours: weekdays('11:15', '14:00'),
      priceGroups,
      lines,
      managerIds: petra ? [petra] : [],
    },
    {
      id: demoId('canteen:hv'),
      locationId: locationNamed('Hauptverwaltung'),
      name: 'Betriebsrestaurant Bielefeld',
      openingHours: weekdays('11:30', '14:30'),
      priceGroups,
      lines,
      // Run by a caterer: its plans come from the kitchen system's import.
      managerIds: [],
    },
  ];
  const thisWeek = weekStartOf(today);
  const weeks = canteens.flatMap((canteen, c) =>
    [-7, 0, 7].map((offset) => {
      const weekStart = addDays(thisWeek, offset);
      const days = [0, 1, 2, 3, 4].map((d) => planDay(canteen, addDays(weekStart, d), c));
      return { canteenId: canteen.id, weekStart, days };
    }),
  );
  return { canteens, weeks };
}

function planDay(canteen: Canteen, date: string, canteenIndex: number): CanteenDayInput {
  const holiday = holidaysNrw(Number(date.slice(0, 4))).get(date);
  if (holiday) return { date, status: 'holiday', note: { de: holiday[0], en: holiday[1] }, dishes: [] };
  // Days since the epoch turn the repertoire; Friday is fish day for the dish of the day.
  const turn = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000) + canteenIndex;
  const friday = new Date(`${date}T00:00:00Z`).getUTCDay() === 5;
  const pick = (line: string, from: string = line) => {
    const recipes = repertoire[from]!;
    return dish(canteen, date, line, recipes[turn % recipes.length]!);
  };
  return {
    date,
    status: 'open',
    note: { de: '', en: '' },
    dishes: [
      friday ? pick('daily', 'fish') : pick('daily'),
      pick('vegetarian'),
      pick('vegan'),
      pick('salad'),
      pick('dessert'),
    ],
  };
}

function dish(canteen: Canteen, date: string, line: string, r: Recipe): DishInput {
  const [energyKcal, proteinG, carbohydrateG, fatG, saltG] = r.nutrition;
  const nutrition: Nutrition = { energyKcal, proteinG, carbohydrateG, fatG, saltG };
  const employee = Math.round(r.euros * 100);
  return {
    id: demoId(`dish:${canteen.id}:${date}:${line}`),
    line,
    name: { de: r.name[0], en: r.name[1] },
    description: { de: r.description[0], en: r.description[1] },
    prices: { employee, guest: Math.round((employee * 1.6) / 10) * 10 },
    allergens: r.allergens,
    additives: r.additives,
    labels: r.labels,
    nutrition,
    co2Grams: r.co2Grams,
    photoFileId: null,
  };
}

/** Stable ids, so a demo canteen keeps its id from one run's seed to the next. */
function demoId(name: string): string {
  return nameBasedId(`flurfunk-demo:${name}`);
}

/**
 * Writes the demo canteens and their plans, with their changes, in the seeding transaction: for
 * the demo company just written, or one seeded before there were canteens.
 */
export async function insertDemoCanteens(tx: Queryable, today: string): Promise<void> {
  const locations = await tx.query<{ id: string; name: string }>('SELECT id, name FROM locations');
  const [petra] = await tx.query<{ id: string }>(
    "SELECT p.id FROM persons p WHERE p.username = 'petra.koch'",
  );
  const { canteens, weeks } = generateDemoCanteens({ locations, petraId: petra?.id ?? null }, today);
  for (const canteen of canteens) await writeCanteen(tx, canteen);
  await recordChanges(
    tx,
    canteens.map((canteen) => ({
      entityType: 'canteen',
      entityId: canteen.id,
      op: 'upsert',
      scope: companyScope,
    })),
  );
  for (const week of weeks) {
    await saveWeek(tx, null, { ...week, baseRevision: 0 }, { checkManager: false });
  }
}
