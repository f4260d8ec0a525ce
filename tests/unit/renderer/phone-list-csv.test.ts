import { describe, expect, it } from 'vitest';
import type { PhoneBookEntry } from '@flurfunk/protocol';
import {
  csvDelimiterFor,
  csvField,
  phoneListCsv,
  phoneListFileName,
} from '@/features/directory/phone-list/phoneListCsv.js';
import type { CsvColumn, CsvGroup } from '@/features/directory/phone-list/phoneListCsv.js';
import { createAppI18n } from '@/i18n/index.js';

function entry(fields: Partial<PhoneBookEntry> = {}): PhoneBookEntry {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    displayName: 'Jürgen Müller',
    title: 'Meister',
    phone: '+49 711 555-1001',
    mobile: '+49 170 1234567',
    email: 'juergen.mueller@example.com',
    room: 'W 2.14',
    orgUnitName: 'Werkstatt',
    locationName: 'Werk Esslingen',
    ...fields,
  };
}

/** The header row as the view translates it. */
function headers(locale: 'de' | 'en'): Record<CsvColumn, string> {
  const { t } = createAppI18n(locale).global;
  return {
    group: t('directory.phoneList.columns.group'),
    name: t('directory.phoneList.columns.name'),
    title: t('directory.phoneList.columns.title'),
    phone: t('directory.phoneList.columns.phone'),
    mobile: t('directory.phoneList.columns.mobile'),
    email: t('directory.phoneList.columns.email'),
    room: t('directory.phoneList.columns.room'),
    department: t('directory.phoneList.columns.department'),
    location: t('directory.phoneList.columns.location'),
  };
}

function csvFor(locale: 'de' | 'en', groups: CsvGroup[]): string {
  return phoneListCsv(groups, { delimiter: csvDelimiterFor(locale), headers: headers(locale) });
}

const lines = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n');

describe('phone list CSV', () => {
  it('is what German Excel opens: BOM, semicolons, German headers, umlauts intact', () => {
    const csv = csvFor('de', [{ caption: 'Werk Esslingen', entries: [entry()] }]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect([...new TextEncoder().encode(csv).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(lines(csv)).toEqual([
      'Gruppe;Name;Funktion;Telefon;Mobil;E-Mail;Raum;Abteilung;Standort',
      'Werk Esslingen;Jürgen Müller;Meister;+49 711 555-1001;+49 170 1234567;juergen.mueller@example.com;W 2.14;Werkstatt;Werk Esslingen',
      '',
    ]);
    expect(new TextDecoder().decode(new TextEncoder().encode(csv))).toContain('Jürgen Müller');
  });

  it('uses commas and English headers in English', () => {
    const csv = csvFor('en', [{ caption: 'No location', entries: [entry({ locationName: null })] }]);
    expect(lines(csv)[0]).toBe('Group,Name,Title,Phone,Mobile,Email,Room,Department,Location');
    expect(lines(csv)[1]).toBe(
      'No location,Jürgen Müller,Meister,+49 711 555-1001,+49 170 1234567,juergen.mueller@example.com,W 2.14,Werkstatt,',
    );
  });

  it('picks the delimiter by language', () => {
    expect(csvDelimiterFor('de')).toBe(';');
    expect(csvDelimiterFor('de-AT')).toBe(';');
    expect(csvDelimiterFor('en')).toBe(',');
    expect(csvDelimiterFor('en-GB')).toBe(',');
  });

  it('quotes fields with the delimiter, quotes or line breaks and doubles inner quotes', () => {
    expect(csvField('Müller, Jürgen', ',')).toBe('"Müller, Jürgen"');
    expect(csvField('Müller, Jürgen', ';')).toBe('Müller, Jürgen');
    expect(csvField('Vertrieb; Süd', ';')).toBe('"Vertrieb; Süd"');
    expect(csvField('Der "Chef"', ';')).toBe('"Der ""Chef"""');
    expect(csvField('Halle 3\nTor 2', ';')).toBe('"Halle 3\nTor 2"');
    expect(csvField('Halle 3\r\nTor 2', ',')).toBe('"Halle 3\r\nTor 2"');
    const csv = csvFor('en', [{ caption: 'A, B', entries: [entry({ title: 'Lead "Ops"' })] }]);
    expect(lines(csv)[1]).toMatch(/^"A, B",Jürgen Müller,"Lead ""Ops""",/);
  });

  it('keeps spreadsheets from running fields as formulas, but leaves phone numbers as they are', () => {
    expect(csvField('=HYPERLINK("http://evil.example","Klick")', ';')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""Klick"")"',
    );
    expect(csvField('@SUM(A1:A9)', ';')).toBe("'@SUM(A1:A9)");
    expect(csvField('+cmd', ';')).toBe("'+cmd");
    expect(csvField('-2+3+cmd|calc', ';')).toBe("'-2+3+cmd|calc");
    expect(csvField('\t=1+1', ';')).toBe("'\t=1+1");
    expect(csvField('\r=1+1', ';')).toBe('"\'\r=1+1"');
    expect(csvField('-', ';')).toBe("'-");
    // Phone numbers as people write them.
    expect(csvField('+49 711 1234-56', ';')).toBe('+49 711 1234-56');
    expect(csvField('+1 (555) 010/99', ';')).toBe('+1 (555) 010/99');
    expect(csvField('-12', ';')).toBe('-12');
    // Harmless starts stay untouched.
    expect(csvField('Ömer Yılmaz', ';')).toBe('Ömer Yılmaz');
    expect(csvField('0711 1234', ';')).toBe('0711 1234');

    const csv = csvFor('de', [
      { caption: 'Werk', entries: [entry({ displayName: '=cmd|"/C calc"!A0', phone: '+49 711 1' })] },
    ]);
    expect(lines(csv)[1]).toBe(
      'Werk;"\'=cmd|""/C calc""!A0";Meister;+49 711 1;+49 170 1234567;juergen.mueller@example.com;W 2.14;Werkstatt;Werk Esslingen',
    );
  });

  it('has one row per person, group by group, in the order given', () => {
    const csv = csvFor('en', [
      { caption: 'B', entries: [entry({ displayName: 'Two' }), entry({ displayName: 'One' })] },
      { caption: 'A', entries: [entry({ displayName: 'Three' })] },
    ]);
    expect(
      lines(csv)
        .slice(1, -1)
        .map((line) => line.split(',').slice(0, 2).join(',')),
    ).toEqual(['B,Two', 'B,One', 'A,Three']);
  });

  it('names the file in the user language with the local date', () => {
    const date = new Date(2026, 2, 5, 23, 30);
    expect(phoneListFileName('Telefonliste', date)).toBe('Telefonliste-2026-03-05.csv');
    expect(phoneListFileName('phone-list', date)).toBe('phone-list-2026-03-05.csv');
  });
});
