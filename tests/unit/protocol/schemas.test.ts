import { describe, expect, it } from 'vitest';
import {
  contract,
  directorySortKey,
  ErrorBody,
  LoginRequest,
  methodNames,
  MonthDay,
  ProfileEdit,
  ScopeKey,
  SyncPage,
  SyncQuery,
  Timestamp,
  SyncPageEnvelope,
  readSyncPage,
} from '@flurfunk/protocol';

const personId = '0190a6c4-6f2d-7c3e-9a1b-2c3d4e5f6a7b';

describe('wire schemas reject what the server and core must never trust', () => {
  it('refuses unknown fields in a login request', () => {
    const result = LoginRequest.safeParse({
      username: 'lena.weber',
      password: 'x',
      deviceName: 'pc',
      admin: true,
    });
    expect(result.success).toBe(false);
  });

  it('refuses a blank username after trimming', () => {
    expect(LoginRequest.safeParse({ username: '   ', password: 'x', deviceName: 'pc' }).success).toBe(false);
  });

  it.each(['-1', '01', 'abc', '1e3', '9999999999999999999'])('refuses the cursor %s', (after) => {
    expect(SyncQuery.safeParse({ after }).success).toBe(false);
  });

  it('reads a sync page and rejects a change whose payload does not match its type', () => {
    const person = {
      id: personId,
      username: 'lena.weber',
      firstName: 'Lena',
      lastName: 'Weber',
      displayName: 'Lena Weber',
      title: 'Mechatronikerin',
      orgUnitId: null,
      locationId: null,
      managerId: null,
      email: 'lena.weber@example.com',
      phone: '+49 5251 1234-56',
      mobile: '',
      room: 'W-1.12',
      pronouns: '',
      languages: ['Deutsch'],
      skills: [],
      outOfOffice: null,
      photo: null,
      birthday: null,
      workAnniversary: null,
      deactivated: false,
    };
    const good = {
      epoch: 'e1',
      scopes: ['company'],
      changes: [{ seq: '7', id: personId, scope: 'company', type: 'person.upsert', data: person }],
      cursor: '7',
      hasMore: false,
    };
    expect(SyncPage.parse(good).changes[0]?.type).toBe('person.upsert');

    const wrongPayload = {
      ...good,
      changes: [{ seq: '7', id: personId, scope: 'company', type: 'location.upsert', data: person }],
    };
    expect(SyncPage.safeParse(wrongPayload).success).toBe(false);

    const unknownEntity = {
      ...good,
      changes: [{ seq: '7', id: personId, scope: 'company', type: 'planet.upsert' }],
    };
    expect(SyncPage.safeParse(unknownEntity).success).toBe(false);
    const unknownScope = { ...good, scopes: ['galaxy:far-far-away'] };
    expect(SyncPage.safeParse(unknownScope).success).toBe(false);
    const hugePage = { ...good, changes: Array.from({ length: 1001 }, () => good.changes[0]) };
    expect(SyncPage.safeParse(hugePage).success).toBe(false);
  });

  it('accepts only well-formed scope keys', () => {
    const id = '0190a5c4-8f3e-7b21-9c4d-2e6f1a3b5c7d';
    for (const key of ['company', `user:${id}`, `orgUnitTree:${id}`, `chat:${id}`, 'role:editor']) {
      expect(ScopeKey.safeParse(key).success, key).toBe(true);
    }
    for (const key of ['', 'company:', `chat:${id.toUpperCase()}`, 'role:pope', `user:${id} `, 'chat:1']) {
      expect(ScopeKey.safeParse(key).success, key).toBe(false);
    }
  });

  it('only accepts known error codes in an error body', () => {
    expect(ErrorBody.safeParse({ error: { code: 'invalid_credentials', message: 'Wrong' } }).success).toBe(
      true,
    );
    expect(ErrorBody.safeParse({ error: { code: 'teapot', message: 'Wrong' } }).success).toBe(false);
  });

  it('fills the directory query defaults and caps the page size', () => {
    expect(contract.listPeople.args.parse({})).toEqual({
      query: '',
      offset: 0,
      limit: 50,
      orgUnitId: null,
      includeSubUnits: true,
      locationId: null,
      sort: 'relevance',
    });
    expect(contract.listPeople.args.safeParse({ limit: 10_000 }).success).toBe(false);
  });

  it('names every contract method once', () => {
    expect(new Set(methodNames).size).toBe(methodNames.length);
    expect(methodNames).toContain('login');
  });
});

describe('the directory order shared by server and cache', () => {
  const person = (firstName: string, lastName: string, displayName = `${firstName} ${lastName}`) => ({
    firstName,
    lastName,
    displayName,
  });
  const order = (people: ReturnType<typeof person>[]) =>
    [...people]
      .sort((a, b) => (directorySortKey(a) < directorySortKey(b) ? -1 : 1))
      .map((p) => p.displayName);

  it('sorts by last name, then first name, ignoring case and accents, with ß as ss', () => {
    expect(
      order([
        person('Zoe', 'Özdemir'),
        person('Anna', 'Weiß'),
        person('Karl', 'Weiss'),
        person('Lena', 'Weber'),
        person('Jonas', 'becker'),
        person('Otto', 'Ohm'),
      ]),
    ).toEqual(['Jonas becker', 'Otto Ohm', 'Zoe Özdemir', 'Lena Weber', 'Anna Weiß', 'Karl Weiss']);
  });

  it('places an account without a person name by its display name', () => {
    expect(order([person('', '', 'Administrator'), person('Brigitte', 'Albrecht')])).toEqual([
      'Administrator',
      'Brigitte Albrecht',
    ]);
  });
});

describe('timestamps', () => {
  it('accepts what the server writes and what people schedule', () => {
    for (const value of [
      '2026-11-26T12:00:00.123456Z',
      '2027-05-12T10:00:00+02:00',
      '2026-12-31T23:59:59-14:00',
    ]) {
      expect(Timestamp.safeParse(value).success, value).toBe(true);
    }
  });

  it('refuses times no database or calendar round-trips', () => {
    for (const value of [
      '0000-01-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '9999-12-31T23:00:00-05:00',
      '2026-11-26T12:00:00+23:59',
      '2026-02-30T12:00:00Z',
      '2026-11-26 12:00',
    ]) {
      expect(Timestamp.safeParse(value).success, value).toBe(false);
    }
  });
});

describe('directory fields', () => {
  it('takes a birthday as day and month only, leap day included', () => {
    expect(MonthDay.safeParse('02-29').success).toBe(true);
    expect(MonthDay.safeParse('12-31').success).toBe(true);
    for (const bad of ['02-30', '04-31', '13-01', '00-10', '1990-02-01', '2-1', '02-1'])
      expect(MonthDay.safeParse(bad).success, bad).toBe(false);
  });

  it('keeps HR’s fields out of what people may edit about themselves', () => {
    const edit = { pronouns: '', languages: [], skills: [], outOfOffice: null, photoFileId: null };
    expect(ProfileEdit.safeParse(edit).success).toBe(true);
    expect(ProfileEdit.safeParse({ ...edit, title: 'Chefin' }).success).toBe(false);
    expect(
      ProfileEdit.safeParse({ ...edit, skills: Array.from({ length: 51 }, (_, i) => `s${i}`) }).success,
    ).toBe(false);
    expect(ProfileEdit.safeParse({ ...edit, skills: ['  '] }).success).toBe(false);
  });
});

describe('reading a sync page of a newer server', () => {
  const page = { epoch: 'log-1', scopes: ['company'], cursor: '3', hasMore: false };

  it('sets aside the changes of types this app does not know, and keeps the rest', () => {
    const known = {
      seq: '2',
      id: '0195f1a0-0000-7000-8000-000000000001',
      scope: 'company',
      type: 'orgUnit.delete',
    };
    const read = readSyncPage(
      SyncPageEnvelope.parse({
        ...page,
        changes: [{ seq: '1', id: known.id, scope: 'company', type: 'badge.upsert', data: {} }, known],
      }),
    );
    expect(read.unknownTypes).toEqual(['badge.upsert']);
    expect(read.page.changes).toEqual([known]);
  });

  it('refuses a known change that does not fit its schema, as a malformed page', () => {
    const broken = { seq: '1', id: 'not-a-uuid', scope: 'company', type: 'orgUnit.delete' };
    expect(() => readSyncPage(SyncPageEnvelope.parse({ ...page, changes: [broken] }))).toThrow();
  });
});
