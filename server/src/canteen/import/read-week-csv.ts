import {
  Additive,
  Allergen,
  type Canteen,
  type CanteenDayInput,
  type CanteenWeekInput,
  DietLabel,
  type DayStatus,
  type DishInput,
  type Nutrition,
  additiveNumbers,
  allergenLetters,
  canteenWeekProblems,
  maxDishesPerDay,
  parseEuroCents,
  weekStartOf,
} from '@flurfunk/protocol';
import { nameBasedId } from '../../db/name-based-id.js';
import { type TableRow, foldHeader, readCsvTable } from '../../import/csv-table.js';
import { type ImportProblem, UnreadableFileError, sortProblems } from '../../import/import-problems.js';

/**
 * The columns of a week's CSV (FORMAT.md), English name first, then German ones. Prices have a
 * column per price group: `price_<key>` or `preis_<key>`.
 */
const columnNames = {
  date: ['date', 'datum'],
  status: ['status'],
  noteDe: ['note_de', 'hinweis', 'hinweis_de'],
  noteEn: ['note_en', 'hinweis_en'],
  line: ['line', 'linie', 'ausgabe'],
  nameDe: ['name_de', 'gericht', 'gericht_de'],
  nameEn: ['name_en', 'gericht_en'],
  descriptionDe: ['description_de', 'beschreibung', 'beschreibung_de'],
  descriptionEn: ['description_en', 'beschreibung_en'],
  allergens: ['allergens', 'allergene'],
  additives: ['additives', 'zusatzstoffe'],
  labels: ['labels', 'kennzeichnung'],
  energyKcal: ['kcal', 'energie_kcal'],
  proteinG: ['protein_g', 'eiweiss_g', 'eiweiß_g'],
  carbohydrateG: ['carbohydrate_g', 'kohlenhydrate_g'],
  fatG: ['fat_g', 'fett_g'],
  saltG: ['salt_g', 'salz_g'],
  co2Grams: ['co2_g'],
} as const;
type NamedColumn = keyof typeof columnNames;
/** A named column, or `price:<key>` for a price group's. */
type Column = NamedColumn | `price:${string}`;

const columnByHeader = new Map<string, NamedColumn>(
  Object.entries(columnNames).flatMap(([column, names]) =>
    names.map((name) => [foldHeader(name), column as NamedColumn] as const),
  ),
);

const statusWords: Record<string, DayStatus> = {
  open: 'open',
  geöffnet: 'open',
  offen: 'open',
  closed: 'closed',
  geschlossen: 'closed',
  holiday: 'holiday',
  feiertag: 'holiday',
};

const allergenByLetter = new Map(
  Object.entries(allergenLetters).map(([allergen, letter]) => [letter, allergen as Allergen]),
);
const additiveByNumber = new Map(
  Object.entries(additiveNumbers).map(([additive, number]) => [String(number), additive as Additive]),
);
const labelWords: Record<string, DietLabel> = {
  vegetarisch: 'vegetarian',
  ohneschwein: 'porkFree',
  schweinefrei: 'porkFree',
  schwein: 'pork',
  rind: 'beef',
  geflügel: 'poultry',
  fisch: 'fish',
  glutenfrei: 'glutenFree',
  laktosefrei: 'lactoseFree',
  bio: 'organic',
  ...Object.fromEntries(DietLabel.options.map((label) => [label.toLowerCase(), label])),
};

const nutritionColumns = ['energyKcal', 'proteinG', 'carbohydrateG', 'fatG', 'saltG'] as const;

export interface WeekFromCsv {
  week: Omit<CanteenWeekInput, 'baseRevision'>;
  dishes: number;
}

/**
 * Reads one week of a canteen's plan from CSV: one row per dish, or one row for a closed day or
 * a holiday. Every problem is named with its line and column; with any, there is no week.
 * `weekStart` is the week the file must plan, or null to take it from the file's dates.
 */
export function readWeekCsv(
  text: string,
  canteen: Canteen,
  weekStart: string | null,
): WeekFromCsv | { problems: ImportProblem[] } {
  const priceKeys = new Map(canteen.priceGroups.map((group) => [group.key.toLowerCase(), group.key]));
  let table: ReturnType<typeof readCsvTable<Column>>;
  try {
    table = readCsvTable<Column>(text, {
      fieldOf: (header) => {
        const price = /^(price|preis)[\s_-]+(.+)$/i.exec(header.trim());
        if (price) {
          const key = priceKeys.get(foldHeader(price[2]!));
          return key === undefined ? undefined : `price:${key}`;
        }
        return columnByHeader.get(foldHeader(header));
      },
      known: [
        ...Object.values(columnNames).map((names) => names[0]),
        ...canteen.priceGroups.map((group) => `price_${group.key}`),
      ],
      required: [
        { field: 'date', names: columnNames.date },
        ...canteen.priceGroups.map((group) => ({
          field: `price:${group.key}` as const,
          names: [`price_${group.key}`, `preis_${group.key}`],
        })),
      ],
    });
  } catch (error) {
    if (error instanceof UnreadableFileError) return { problems: [{ order: 0, message: error.message }] };
    throw error;
  }
  const problems = [...table.problems];
  const lineOf = lineResolver(canteen);
  const days = new Map<string, { day: CanteenDayInput; statusRow: TableRow<Column> | null }>();
  const dishRows = new Map<DishInput, TableRow<Column>>();
  const firstDate = table.rows.map((row) => parseDate(row.values.date ?? '')).find((d) => d !== null);
  const week = weekStart ?? (firstDate ? weekStartOf(firstDate) : null);

  for (const row of table.rows) {
    const problem = (column: Column | undefined, message: string) =>
      problems.push({ order: row.order, at: row.at(column), message });
    const { values } = row;
    const date = parseDate(values.date ?? '');
    if (date === null) {
      problem(
        'date',
        values.date ? `"${values.date}" is not a date (write 2026-11-30 or 30.11.2026)` : 'is empty',
      );
      continue;
    }
    if (week !== null && weekStartOf(date) !== week) {
      problem('date', `${date} is not in the week of ${week} (a file plans one week, Monday to Sunday)`);
      continue;
    }
    const status = values.status ? statusWords[values.status.toLowerCase()] : 'open';
    if (status === undefined) {
      problem('status', `"${values.status}" is not a status (open, closed or holiday)`);
      continue;
    }
    const entry = days.get(date) ?? {
      day: { date, status: 'open', note: { de: '', en: '' }, dishes: [] },
      statusRow: null,
    };
    days.set(date, entry);
    const note = { de: values.noteDe ?? '', en: values.noteEn ?? '' };
    if (note.de !== '' || note.en !== '') entry.day.note = note;
    const isDish = values.nameDe !== undefined && values.nameDe !== '';
    if (status !== 'open') {
      if (isDish) {
        problem('nameDe', `a dish on a day marked ${values.status}: give the closed day its own row`);
        continue;
      }
      entry.day.status = status;
      entry.statusRow = row;
      continue;
    }
    if (!isDish) {
      if (values.line) problem('nameDe', 'is empty: a dish needs its German name');
      continue;
    }
    const dish = readDish(row, canteen, lineOf, date, problem);
    if (!dish) continue;
    const twin = entry.day.dishes.find(
      (other) => other.line === dish.line && other.name.de.toLowerCase() === dish.name.de.toLowerCase(),
    );
    if (twin) {
      const earlier = dishRows.get(twin);
      problem(
        'nameDe',
        `duplicate dish: "${dish.name.de}" is on the same line that day already (${earlier?.at() ?? 'above'})`,
      );
      continue;
    }
    entry.day.dishes.push(dish);
    dishRows.set(dish, row);
  }

  for (const { day, statusRow } of days.values()) {
    if (day.status !== 'open' && day.dishes.length > 0 && statusRow) {
      problems.push({
        order: statusRow.order,
        at: statusRow.at('status'),
        message: `${day.date} is marked ${day.status}, but other rows plan dishes for it`,
      });
    }
    if (day.dishes.length > maxDishesPerDay) {
      problems.push({
        order: 0,
        message: `${day.date} has ${day.dishes.length} dishes; at most ${maxDishesPerDay} fit a day`,
      });
    }
  }
  if (week === null && problems.length === 0) problems.push({ order: 0, message: 'the file plans no day' });
  if (problems.length > 0 || week === null) return { problems: sortProblems(problems) };

  const plan = {
    canteenId: canteen.id,
    weekStart: week,
    days: [...days.values()].map(({ day }) => day).sort((a, b) => a.date.localeCompare(b.date)),
  };
  // What the rows alone could not show (the canteen's own rules), said about the whole file.
  const remaining = canteenWeekProblems(canteen, { ...plan, baseRevision: 0 });
  if (remaining.length > 0) {
    return { problems: remaining.map((p) => ({ order: 0, message: p.message })) };
  }
  return { week: plan, dishes: dishRows.size };
}

function readDish(
  row: TableRow<Column>,
  canteen: Canteen,
  lineOf: (text: string) => string | undefined,
  date: string,
  problem: (column: Column, message: string) => void,
): DishInput | null {
  const { values } = row;
  let ok = true;
  const fail = (column: Column, message: string) => {
    ok = false;
    problem(column, message);
  };
  const line = lineOf(values.line ?? '');
  if (!values.line) fail('line', 'is empty: which line (counter) serves the dish?');
  else if (line === undefined)
    fail(
      'line',
      `"${values.line}" is not a line of ${canteen.name} (${canteen.lines.map((l) => l.key).join(', ')})`,
    );

  const prices: Record<string, number> = {};
  for (const group of canteen.priceGroups) {
    const raw = values[`price:${group.key}`];
    if (raw === undefined) continue; // the header check has said so
    const cents = parseEuroCents(raw);
    if (cents === null)
      fail(`price:${group.key}`, raw === '' ? 'is empty' : `"${raw}" is not a price (write 4,90)`);
    else prices[group.key] = cents;
  }

  const allergens = readCodes(values.allergens, (code) => {
    const letter = /^([A-Z])\d*$/.exec(code.toUpperCase())?.[1];
    const byLetter = letter === undefined ? undefined : allergenByLetter.get(letter);
    return byLetter ?? Allergen.safeParse(code.toLowerCase()).data;
  });
  if (allergens.unknown.length > 0)
    fail(
      'allergens',
      `unknown allergen code ${quoteAll(allergens.unknown)} (the letters A–R of EU Regulation 1169/2011: ${Object.values(allergenLetters).join(', ')})`,
    );
  const additives = readCodes(values.additives, (code) => additiveByNumber.get(code.replace(/^0+/, '')));
  if (additives.unknown.length > 0)
    fail(
      'additives',
      `unknown additive number ${quoteAll(additives.unknown)} (1–${Additive.options.length})`,
    );
  const labels = readCodes(values.labels, (code) => labelWords[code.toLowerCase().replace(/[\s_-]+/g, '')]);
  if (labels.unknown.length > 0)
    fail('labels', `unknown label ${quoteAll(labels.unknown)} (${DietLabel.options.join(', ')})`);

  const given = nutritionColumns.filter((column) => (values[column] ?? '') !== '');
  let nutrition: Nutrition | null = null;
  if (given.length > 0 && given.length < nutritionColumns.length) {
    const missing = nutritionColumns.filter((column) => !given.includes(column));
    fail(
      missing[0]!,
      `nutrition values need all of kcal, protein_g, carbohydrate_g, fat_g and salt_g, or none`,
    );
  } else if (given.length > 0) {
    const numbers = nutritionColumns.map((column) => [column, parseAmount(values[column] ?? '')] as const);
    for (const [column, value] of numbers)
      if (value === null) fail(column, `"${values[column]}" is not a number`);
    if (numbers.every(([, value]) => value !== null)) {
      const [energyKcal, proteinG, carbohydrateG, fatG, saltG] = numbers.map(([, value]) => value ?? 0) as [
        number,
        number,
        number,
        number,
        number,
      ];
      nutrition = { energyKcal: Math.round(energyKcal), proteinG, carbohydrateG, fatG, saltG };
    }
  }
  let co2Grams: number | null = null;
  if (values.co2Grams) {
    const value = parseAmount(values.co2Grams);
    if (value === null) fail('co2Grams', `"${values.co2Grams}" is not a number of grams`);
    else co2Grams = Math.round(value);
  }
  const name = { de: values.nameDe ?? '', en: values.nameEn ?? '' };
  if (name.de.length > 200) fail('nameDe', 'is longer than 200 characters');
  const description = { de: values.descriptionDe ?? '', en: values.descriptionEn ?? '' };
  if (description.de.length > 1000 || description.en.length > 1000)
    fail('descriptionDe', 'is longer than 1000 characters');
  if (!ok || line === undefined) return null;
  return {
    id: dishId(canteen.id, date, line, name.de),
    line,
    name,
    description,
    prices,
    allergens: allergens.known,
    additives: additives.known,
    labels: labels.known,
    nutrition,
    co2Grams,
    photoFileId: null,
  };
}

/** A line by its key or its German or English name, in any case. */
function lineResolver(canteen: Canteen): (text: string) => string | undefined {
  const byText = new Map<string, string>();
  for (const line of canteen.lines) {
    for (const text of [line.key, line.name.de, line.name.en]) {
      if (text !== '') byText.set(text.trim().toLowerCase(), line.key);
    }
  }
  return (text) => byText.get(text.trim().toLowerCase());
}

/** `A, C, G` or `A1/G` or `1,2,8`: the codes the column lists, known and unknown. */
function readCodes<T>(raw: string | undefined, known: (code: string) => T | undefined) {
  const result = { known: [] as T[], unknown: [] as string[] };
  for (const code of (raw ?? '').split(/[\s,;/]+/).filter((c) => c !== '')) {
    const value = known(code);
    if (value === undefined) result.unknown.push(code);
    else if (!result.known.includes(value)) result.known.push(value);
  }
  return result;
}

function quoteAll(codes: readonly string[]): string {
  return codes.map((code) => `"${code}"`).join(', ');
}

/** `2026-11-30` or `30.11.2026`, a real day; null otherwise. */
export function parseDate(text: string): string | null {
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  const iso = german
    ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}`
    : text.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  const day = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(iso) ? iso : null;
}

function parseAmount(text: string): number | null {
  const normalized = text.trim().replace(',', '.');
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(normalized)) return null;
  return Number(normalized);
}

/**
 * A dish's id from what identifies it in a kitchen system's export, so importing the same file
 * again changes nothing (and a dish keeps its id when its allergens are corrected).
 */
function dishId(canteenId: string, date: string, line: string, nameDe: string): string {
  return nameBasedId(`dish\u0000${canteenId}\u0000${date}\u0000${line}\u0000${nameDe.toLowerCase()}`);
}
