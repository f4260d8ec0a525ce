import { describe, expect, it } from 'vitest';
import { parseImportText } from '../../../server/src/directory/import/import-directory.js';
import { describeProblem, type ParsedFile } from '../../../server/src/directory/import/source.js';

const csv = (text: string) => parseImportText('csv', Buffer.from(text, 'utf8'));
const json = (value: unknown) => parseImportText('json', Buffer.from(JSON.stringify(value), 'utf8'));
const problemsOf = (file: ParsedFile) => file.problems.map(describeProblem);
const bom = '\uFEFF';

describe('import file: CSV', () => {
  it('reads what German Excel writes: BOM, ";" and German headers', () => {
    const file = csv(
      `${bom}Benutzername;Vorname;Nachname;Abteilung;Standort;Vorgesetzter;Telefon;Mobil;Raum;Eintrittsdatum;Status\r\n` +
        'Lena.Weber; Lena ;Weber;Geschäftsführung / Produktion;Werk Gütersloh;jonas.becker;+49 5241 1;;HV 1;01.03.2019;aktiv\r\n',
    );
    expect(file.problems).toEqual([]);
    expect(file.rows).toHaveLength(1);
    const [row] = file.rows;
    expect(row?.values).toEqual({
      username: 'Lena.Weber',
      firstName: 'Lena',
      lastName: 'Weber',
      department: 'Geschäftsführung / Produktion',
      location: 'Werk Gütersloh',
      manager: 'jonas.becker',
      phone: '+49 5241 1',
      mobile: '',
      room: 'HV 1',
      hiredOn: '01.03.2019',
      status: 'aktiv',
    });
    expect(row?.at('hiredOn')).toBe('line 2, column "Eintrittsdatum"');
    expect(row?.at('email')).toBe('line 2');
  });

  it('takes headers in any case and spelling, and "," when the header uses it', () => {
    const file = csv(
      'User Name,First Name,last-name,E-Mail,Private Phone\nx,X,Y,x@example.com,1\n'.replace(
        'User Name',
        'Username',
      ),
    );
    expect(file.problems).toEqual([]);
    expect(file.rows[0]?.values).toMatchObject({ email: 'x@example.com', privatePhone: '1', lastName: 'Y' });
  });

  it('counts lines from the start of each record, also after quoted values with line breaks', () => {
    const file = csv('username;title\r\na;"two\r\nlines; and a semicolon"\r\n\r\n;\r\nb;x\r\n');
    expect(file.problems).toEqual([]);
    expect(file.rows.map((row) => [row.values.username, row.at('title')])).toEqual([
      ['a', 'line 2, column "title"'],
      ['b', 'line 6, column "title"'],
    ]);
    expect(file.rows[0]?.values.title).toBe('two\nlines; and a semicolon');
  });

  it('skips blank rows and the empty cells Excel adds at the end of a row', () => {
    const file = csv('username;first_name;;\na;A;;\n;;;\n   \nb;B;;;;\n');
    expect(file.problems).toEqual([]);
    expect(file.rows.map((row) => row.values.username)).toEqual(['a', 'b']);
  });

  it('names unknown and doubled columns, and a missing username column', () => {
    expect(problemsOf(csv('Vorname;Nachname;Gehalt;first_name\nA;B;1;A\n'))).toEqual([
      expect.stringMatching(/^line 1, column "Gehalt": unknown column \(known columns: username, first_name/),
      'line 1, column "first_name": names the same field as column "Vorname"',
      'line 1: the required column "username" is missing (also accepted: benutzername, anmeldename)',
    ]);
  });

  it('names a row with more or fewer fields than the header, and an unclosed quote', () => {
    const file = csv('username;title\na;x\nb;y;z\nc\nd;"open\ne;f\n');
    expect(problemsOf(file)).toEqual([
      'line 3: has 3 fields, but the header has 2 (delimiter ";"; a value that contains it must be in double quotes)',
      'line 4: has 1 fields, but the header has 2 (delimiter ";"; a value that contains it must be in double quotes)',
      'line 5: a double quote opens a value here that is never closed',
    ]);
    expect(file.rows.map((row) => row.values.username)).toEqual(['a']);
  });

  it('names a value in a column without a header', () => {
    expect(problemsOf(csv('username;;title\na;;x\nb;oops;y\n'))).toEqual([
      'line 3: column 2 has a value but no name in the header',
    ]);
  });

  it('refuses a file that is not UTF-8, naming the first bad line', () => {
    const windows1252 = Buffer.concat([
      Buffer.from('username;last_name\nlena.weber;Weber\njuergen;M'),
      Buffer.from([0xfc]), // ü in Windows-1252
      Buffer.from('ller\n'),
    ]);
    expect(() => parseImportText('csv', windows1252)).toThrow(
      /^line 3: not valid UTF-8 .*Windows-1252.*CSV UTF-8/,
    );
    const utf16 = Buffer.from(`\uFEFFusername\n`, 'utf16le');
    expect(() => parseImportText('csv', utf16)).toThrow(/UTF-16/);
  });

  it('refuses an empty file', () => {
    expect(() => csv(`${bom}\n;;\n`)).toThrow(/empty/);
  });
});

describe('import file: JSON', () => {
  it('reads people with the CSV fields in camelCase and org units by path', () => {
    const file = json({
      people: [{ username: 'a', firstName: ' A ', hiredOn: null, privatePhone: '1' }],
      orgUnits: [{ path: 'Geschäftsführung / Neu' }],
    });
    expect(file.problems).toEqual([]);
    expect(file.rows[0]?.values).toEqual({ username: 'a', firstName: 'A', hiredOn: '', privatePhone: '1' });
    expect(file.rows[0]?.at('hiredOn')).toBe('people[0].hiredOn');
    expect(file.orgUnits).toEqual([{ order: 1, at: 'orgUnits[0].path', path: 'Geschäftsführung / Neu' }]);
  });

  it('names the JSON path of every structural problem', () => {
    const file = json({
      people: [
        { username: 'a', hired_on: '2024-01-01' },
        'b',
        { firstName: 'C' },
        { username: 'd', phone: 5 },
      ],
      orgUnits: [{ name: 'X' }],
      extra: true,
    });
    expect(problemsOf(file)).toEqual([
      'extra: unknown field (expected "people" and "orgUnits")',
      expect.stringMatching(/^people\[0\]\.hired_on: unknown field \(known fields: username, firstName/),
      'people[1]: must be an object',
      'people[2].username: is missing',
      'people[3].phone: must be a string or null',
      'orgUnits[0]: must be an object with one field, "path" (a string)',
    ]);
  });

  it('says where broken JSON breaks, and what the top level must be', () => {
    expect(() =>
      parseImportText('json', Buffer.from('{\n  "people": [\n    { "username": "a", }\n  ]\n}')),
    ).toThrow(/^not valid JSON: .* at line 3, column 24$/);
    expect(() => json([])).toThrow(/must hold an object/);
    expect(problemsOf(json({}))).toEqual(['people: is missing']);
  });
});
