import { randomUUID } from 'node:crypto';
import type { Canteen } from '@flurfunk/protocol';
import { describe, expect, it } from 'vitest';
import { readWeekCsv } from '../../../server/src/canteen/import/read-week-csv.js';
import { describeProblem } from '../../../server/src/import/import-problems.js';

const canteen: Canteen = {
  id: randomUUID(),
  locationId: randomUUID(),
  name: 'Werkskantine',
  openingHours: [],
  priceGroups: [
    { key: 'employee', name: { de: 'Beschäftigte', en: 'Employees' } },
    { key: 'guest', name: { de: 'Gäste', en: 'Guests' } },
  ],
  lines: [
    { key: 'daily', name: { de: 'Tagesgericht', en: 'Dish of the day' } },
    { key: 'dessert', name: { de: 'Dessert', en: 'Dessert' } },
  ],
  managerIds: [],
};

const header =
  'date,status,note_de,line,name_de,price_employee,price_guest,allergens,additives,labels,kcal,protein_g,carbohydrate_g,fat_g,salt_g';

function problemsOf(csv: string): string[] {
  const read = readWeekCsv(csv, canteen, null);
  return 'problems' in read ? read.problems.map(describeProblem) : [];
}

describe('a week from a CSV file', () => {
  it('reads dishes, a holiday, German words and decimal commas', () => {
    const read = readWeekCsv(
      [
        header,
        '2026-11-30,,,daily,Gulasch,"5,50",8.80,A1 C,"4, 8",Rind,650,40,"30,5",35,"2,2"',
        '01.12.2026,,,dessert,Obst,1,"1,60 €",,,vegan,,,,,',
        '2026-12-02,Feiertag,Betriebsfeier,,,,,,,,,,,,',
      ].join('\n'),
      canteen,
      null,
    );
    if ('problems' in read) throw new Error(read.problems.map(describeProblem).join('\n'));
    expect(read.week.weekStart).toBe('2026-11-30');
    expect(read.dishes).toBe(2);
    const [monday, tuesday, wednesday] = read.week.days;
    expect(monday?.dishes[0]).toMatchObject({
      line: 'daily',
      prices: { employee: 550, guest: 880 },
      allergens: ['gluten', 'eggs'],
      additives: ['flavourEnhancer', 'phosphate'],
      labels: ['beef'],
      nutrition: { energyKcal: 650, proteinG: 40, carbohydrateG: 30.5, fatG: 35, saltG: 2.2 },
    });
    expect(tuesday?.dishes[0]).toMatchObject({ prices: { employee: 100, guest: 160 }, nutrition: null });
    expect(wednesday).toEqual({
      date: '2026-12-02',
      status: 'holiday',
      note: { de: 'Betriebsfeier', en: '' },
      dishes: [],
    });
    // The same rows give the same dish ids: importing a file twice changes nothing.
    const again = readWeekCsv(
      [header, '2026-11-30,,,daily,Gulasch,"5,50",8.80,A1 C,"4, 8",Rind,650,40,"30,5",35,"2,2"'].join('\n'),
      canteen,
      null,
    );
    expect('week' in again && again.week.days[0]?.dishes[0]?.id).toBe(monday?.dishes[0]?.id);
  });

  it('names every problem with its line and column', () => {
    expect(
      problemsOf(
        [
          header,
          '31.11.2026,,,daily,Suppe,2,3,,,,,,,,',
          '2026-11-30,,,grill,Wurst,2,3,,13,,,,,,',
          '2026-11-30,,,daily,Eintopf,zwei,3,X,,halal,500,,,,',
          '2026-11-30,offen?,,daily,Brot,1,1,,,,,,,,',
          '2026-11-30,closed,,daily,Kuchen,1,1,,,,,,,,',
          '2026-12-07,,,daily,Reis,1,1,,,,,,,,',
        ].join('\n'),
      ),
    ).toEqual([
      'line 2, column "date": "31.11.2026" is not a date (write 2026-11-30 or 30.11.2026)',
      'line 3, column "line": "grill" is not a line of Werkskantine (daily, dessert)',
      'line 3, column "additives": unknown additive number "13" (1–12)',
      'line 4, column "price_employee": "zwei" is not a price (write 4,90)',
      expect.stringContaining('line 4, column "allergens": unknown allergen code "X"'),
      expect.stringContaining('line 4, column "labels": unknown label "halal"'),
      'line 4, column "protein_g": nutrition values need all of kcal, protein_g, carbohydrate_g, fat_g and salt_g, or none',
      'line 5, column "status": "offen?" is not a status (open, closed or holiday)',
      'line 6, column "name_de": a dish on a day marked closed: give the closed day its own row',
      'line 7, column "date": 2026-12-07 is not in the week of 2026-11-30 (a file plans one week, Monday to Sunday)',
    ]);
  });

  it('refuses a file without a price column for each price group, or planning no day', () => {
    expect(problemsOf('date,line,name_de,price_employee\n2026-11-30,daily,Suppe,2')).toEqual([
      'line 1: the required column "price_guest" is missing (also accepted: preis_guest)',
    ]);
    expect(problemsOf(header)).toEqual(['the file plans no day']);
    expect(problemsOf('')).toEqual(['the file is empty: it needs a header line naming the columns']);
  });
});
