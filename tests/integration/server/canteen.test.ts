/**
 * The canteen on the real server: demo canteens and plans reach everyone through sync and live;
 * only a canteen's managers write its weeks (mutation and HTTP), a stale editor gets a conflict,
 * and a kitchen system's CSV is imported whole or not at all, every problem named by line and
 * column.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CanteenDayInput,
  CanteenWeek,
  type CanteenWeekInput,
  type MutationResult,
  addDays,
  weekStartOf,
} from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runImportCanteenWeek } from '../../../server/src/canteen/import/command.js';
import { describeEachStorage, type TestServer } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import { type User, mutate, openLive, signInAs, syncAll } from '../support/chat-support.js';

const today = (() => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
})();
const thisWeek = weekStartOf(today);
const nextWeek = addDays(thisWeek, 7);

const saveWeek = (week: CanteenWeekInput) => ({ id: v7(), type: 'canteen.saveWeek', args: week });

/** The CSV a kitchen system exports for a week (FORMAT.md), here for next week's Monday and Tuesday. */
const goodCsv = [
  'datum;linie;gericht;name_en;allergene;zusatzstoffe;kennzeichnung;preis_employee;preis_guest;kcal;protein_g;carbohydrate_g;fat_g;salt_g;co2_g',
  `${germanDate(nextWeek)};Tagesgericht;Königsberger Klopse;Meatballs in caper sauce;A1,C,G;;;5,20;8,30;720;38;54;36;2,8;2600`,
  `${germanDate(nextWeek)};vegan;Ofengemüse mit Hummus;Roast vegetables with hummus;N,L;;vegan;4,60;7,40;;;;;;`,
  `${germanDate(addDays(nextWeek, 1))};Dessert;Apfelkuchen;Apple pie;A,C,G;2;vegetarisch;1,80;2,90;;;;;;`,
].join('\n');

function germanDate(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

describeEachStorage('canteen', (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let petra: User;
  let lena: User;
  let admin: User;
  let werk: string;
  let bielefeld: string;

  const week = async (canteenId: string, weekStart: string, user = lena) => {
    const response = await api.get(`/api/v1/canteens/${canteenId}/weeks/${weekStart}`, { token: user.token });
    return response.status === 200 ? CanteenWeek.parse(response.body) : null;
  };
  const inputOf = (plan: CanteenWeek): CanteenWeekInput => ({
    canteenId: plan.canteenId,
    weekStart: plan.weekStart,
    baseRevision: plan.revision,
    days: plan.days.map((day): CanteenDayInput => ({
      ...day,
      dishes: day.dishes.map(({ photo, ...dish }) => ({ ...dish, photoFileId: photo?.id ?? null })),
    })),
  });
  const rejection = async (user: User, week: CanteenWeekInput) => {
    const [result] = (await mutate(api, user, [saveWeek(week)])) as MutationResult[];
    return result?.status === 'rejected' ? result.code : result?.status;
  };

  beforeAll(async () => {
    server = await backend.start({ demo: true });
    api = apiClient(server.url);
    [petra, lena, admin] = (await Promise.all(
      ['petra.koch', 'lena.weber', 'admin'].map((name) => signInAs(api, name)),
    )) as [User, User, User];
    const { body } = await api.get<{ canteens: { id: string; name: string }[] }>('/api/v1/canteens', {
      token: lena.token,
    });
    werk = body.canteens.find((c) => c.name.includes('Gütersloh'))!.id;
    bielefeld = body.canteens.find((c) => c.name.includes('Bielefeld'))!.id;
  });

  it("syncs the canteens and this week's plan to everyone, with allergens, prices and holidays", async () => {
    const { changes } = await syncAll(api, lena, { snapshot: true });
    const canteens = changes.filter((c) => c.type === 'canteen.upsert');
    expect(canteens.map((c) => c.type === 'canteen.upsert' && c.data.name).sort()).toEqual([
      'Betriebsrestaurant Bielefeld',
      'Werkskantine Gütersloh',
    ]);
    const weeks = changes.flatMap((c) => (c.type === 'canteenWeek.upsert' ? [c.data] : []));
    expect(weeks).toHaveLength(6);
    const current = weeks.find((w) => w.canteenId === werk && w.weekStart === thisWeek)!;
    expect(current.days.map((d) => d.date)).toEqual([0, 1, 2, 3, 4].map((d) => addDays(thisWeek, d)));
    const open = current.days.find((d) => d.status === 'open')!;
    const daily = open.dishes.find((d) => d.line === 'daily')!;
    expect(daily.name.de).not.toBe('');
    expect(daily.prices.guest).toBeGreaterThan(daily.prices.employee!);
    expect(open.dishes.find((d) => d.line === 'vegan')?.labels).toContain('vegan');
    for (const day of current.days.filter((d) => d.status === 'holiday')) {
      expect(day.dishes).toEqual([]);
      expect(day.note.de).not.toBe('');
    }
  });

  it("lets Petra correct a dish's allergens, and Lena hears of it live", async () => {
    const before = (await week(werk, thisWeek))!;
    const live = await openLive(server.url, lena);
    await live.changesUpTo('0');
    const changed = inputOf(before);
    const day = changed.days.find((d) => d.status === 'open')!;
    day.dishes[0]!.allergens = ['gluten', 'peanuts'];
    const [result] = await mutate(api, petra, [saveWeek(changed)]);
    expect(result).toMatchObject({ status: 'applied' });
    await live.changesUpTo(result?.status === 'applied' ? (result.seq ?? '') : '');
    live.close();
    const after = (await week(werk, thisWeek))!;
    expect(after.revision).toBe(before.revision + 1);
    expect(after.days.find((d) => d.date === day.date)?.dishes[0]?.allergens).toEqual(['gluten', 'peanuts']);
    // The same week again changes nothing.
    const [again] = await mutate(api, petra, [saveWeek({ ...changed, baseRevision: after.revision })]);
    expect(again).toMatchObject({ status: 'applied', seq: null });
  });

  it("refuses everyone but the canteen's own managers, over the outbox and over HTTP", async () => {
    const plan = inputOf((await week(werk, thisWeek))!);
    expect(await rejection(lena, plan)).toBe('forbidden');
    const put = (user: User, canteenId: string, body: unknown) =>
      api.put(`/api/v1/canteens/${canteenId}/weeks/${thisWeek}`, { token: user.token, json: body });
    const { days, baseRevision } = plan;
    expect((await put(lena, werk, { days, baseRevision })).status).toBe(403);
    expect((await put(admin, werk, { days, baseRevision })).status).toBe(403);
    // Petra has the role, but Bielefeld is not her canteen.
    const other = inputOf((await week(bielefeld, thisWeek))!);
    expect(await rejection(petra, other)).toBe('forbidden');
    expect((await put(petra, bielefeld, { days: other.days, baseRevision: other.baseRevision })).status).toBe(
      403,
    );
    // Her own canteen she may write over HTTP too.
    const saved = await put(petra, werk, { days, baseRevision });
    expect(saved.status).toBe(200);
  });

  it('refuses a week saved by someone else in the meantime, and one that breaks the canteen rules', async () => {
    const plan = inputOf((await week(werk, thisWeek))!);
    expect(await rejection(petra, { ...plan, baseRevision: plan.baseRevision - 1 })).toBe('conflict');
    const wrongLine = structuredClone(plan);
    wrongLine.days.find((d) => d.status === 'open')!.dishes[0]!.line = 'grill';
    expect(await rejection(petra, wrongLine)).toBe('invalid');
    const response = await api.put(`/api/v1/canteens/${werk}/weeks/${thisWeek}`, {
      token: petra.token,
      json: { days: wrongLine.days, baseRevision: wrongLine.baseRevision },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('the canteen has no line \\"grill\\"');
    expect((await week(werk, thisWeek))?.revision).toBe(plan.baseRevision);
  });

  describe('CSV import', () => {
    const importCsv = (csv: string | Uint8Array, user = petra, weekStart = nextWeek, dryRun = false) =>
      api.post<{ error?: { issues?: { message: string }[] }; saved?: { revision: number } | null }>(
        `/api/v1/canteens/${werk}/weeks/${weekStart}/import${dryRun ? '?dryRun=true' : ''}`,
        { token: user.token, rawBody: csv, contentType: 'text/csv' },
      );
    const messages = (response: { body: { error?: { issues?: { message: string }[] } } }) =>
      response.body.error?.issues?.map((issue) => issue.message) ?? [];

    it('replaces the week with the file, and a second import of it changes nothing', async () => {
      const dry = await importCsv(goodCsv, petra, nextWeek, true);
      expect(dry.status, JSON.stringify(dry.body)).toBe(200);
      expect(dry.body).toMatchObject({ saved: null, days: 2, dishes: 3 });
      const first = await importCsv(goodCsv);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const planned = (await week(werk, nextWeek))!;
      expect(planned.days.map((d) => d.date)).toEqual([nextWeek, addDays(nextWeek, 1)]);
      const klopse = planned.days[0]!.dishes[0]!;
      expect(klopse).toMatchObject({
        line: 'daily',
        name: { de: 'Königsberger Klopse', en: 'Meatballs in caper sauce' },
        allergens: ['gluten', 'eggs', 'milk'],
        prices: { employee: 520, guest: 830 },
        nutrition: { energyKcal: 720, proteinG: 38, carbohydrateG: 54, fatG: 36, saltG: 2.8 },
        co2Grams: 2600,
      });
      expect(planned.days[1]!.dishes[0]).toMatchObject({
        additives: ['preservative'],
        labels: ['vegetarian'],
      });
      const second = await importCsv(goodCsv);
      expect(second.body.saved?.revision).toBe(planned.revision);
    });

    it.each([
      [
        'wrong columns',
        'datum;gericht;preis_employee;farbe\n01.01.2030;Suppe;2,00;rot',
        ['line 1, column "farbe": unknown column', 'the required column "price_guest" is missing'],
      ],
      [
        'an unknown allergen code',
        goodCsv.replace('A1,C,G', 'A1,C,Z'),
        ['line 2, column "allergene": unknown allergen code "Z"'],
      ],
      [
        'a duplicate dish',
        `${goodCsv}\n${goodCsv.split('\n')[1]}`,
        [
          'line 5, column "gericht": duplicate dish: "Königsberger Klopse" is on the same line that day already (line 2)',
        ],
      ],
      [
        'a day outside the week',
        goodCsv.replace(germanDate(addDays(nextWeek, 1)), germanDate(addDays(nextWeek, 7))),
        ['line 4, column "datum"'],
      ],
    ])('refuses a file with %s, naming it, and writes nothing', async (_what, csv, expected) => {
      const before = await week(werk, nextWeek);
      const response = await importCsv(csv);
      expect(response.status).toBe(400);
      for (const text of expected) expect(messages(response).join('\n')).toContain(text);
      expect(await week(werk, nextWeek)).toEqual(before);
    });

    it('refuses a file in a legacy encoding, naming the line', async () => {
      const latin1 = Buffer.from(goodCsv, 'latin1');
      const response = await importCsv(latin1);
      expect(response.status).toBe(400);
      expect(messages(response).join('\n')).toMatch(/line 2: not valid UTF-8/);
    });

    it('refuses an import by someone who does not manage the canteen', async () => {
      expect((await importCsv(goodCsv, lena)).status).toBe(403);
      const json = await api.post(`/api/v1/canteens/${werk}/weeks/${nextWeek}/import`, {
        token: petra.token,
        json: { csv: goodCsv },
      });
      expect(json.status).toBe(415);
    });
  });

  it('lets the admin set up a canteen, and removes it with its plans from every client', async () => {
    const id = randomUUID();
    const { body } = await api.get<{
      canteens: { locationId: string; priceGroups: unknown; lines: unknown }[];
    }>('/api/v1/canteens', { token: lena.token });
    const template = body.canteens[0]!;
    const canteen = {
      locationId: template.locationId,
      name: 'Pausenraum Halle 3',
      openingHours: [{ weekday: 1, opens: '09:00', closes: '09:30' }],
      priceGroups: template.priceGroups,
      lines: template.lines,
      managerIds: [petra.id],
    };
    expect(
      (await api.put(`/api/v1/admin/canteens/${id}`, { token: petra.token, json: canteen })).status,
    ).toBe(403);
    expect(
      (await api.put(`/api/v1/admin/canteens/${id}`, { token: admin.token, json: canteen })).status,
    ).toBe(204);
    const { cursor } = await syncAll(api, lena);
    expect(
      (
        await mutate(api, petra, [
          saveWeek({ canteenId: id, weekStart: thisWeek, baseRevision: 0, days: [] }),
        ])
      )[0],
    ).toMatchObject({ status: 'applied' });
    expect((await api.delete(`/api/v1/admin/canteens/${id}`, { token: admin.token })).status).toBe(204);
    const { changes } = await syncAll(api, lena, { after: cursor });
    expect(changes.map((c) => c.type)).toEqual(
      expect.arrayContaining(['canteen.delete', 'canteenWeek.delete']),
    );
  });

  it('imports a week from the command line, and lists every problem of a broken file', async () => {
    const stopped = await backend.start({ demo: true });
    await stopped.close();
    const file = join(tmpdir(), `woche-${randomUUID()}.csv`);
    const where =
      'dataDir' in stopped.storage
        ? { dataDir: stopped.storage.dataDir }
        : { databaseUrl: stopped.storage.databaseUrl };
    const output = {
      log: vi.spyOn(console, 'log').mockImplementation(() => {}),
      error: vi.spyOn(console, 'error').mockImplementation(() => {}),
    };
    try {
      const run = (canteen: string, dryRun = false) =>
        runImportCanteenWeek({ ...where, file, canteen, logLevel: 'silent', dryRun });
      await writeFile(file, goodCsv.replace('A1,C,G', 'A1,C,Q'));
      expect(await run('Werkskantine Gütersloh')).toBe(1);
      expect(output.error.mock.calls.flat().join('\n')).toContain(
        'line 2, column "allergene": unknown allergen code "Q"',
      );
      expect(await run('Kantine am Mond')).toBe(1);
      expect(output.error.mock.calls.flat().join('\n')).toContain(
        'There is no canteen "Kantine am Mond" (there are: Betriebsrestaurant Bielefeld, Werkskantine Gütersloh)',
      );
      await writeFile(file, goodCsv);
      expect(await run('werkskantine gütersloh', true)).toBe(0);
      expect(output.log.mock.calls.flat().join('\n')).toContain('dry run, nothing written');
      expect(await run('Werkskantine Gütersloh')).toBe(0);
      expect(output.log.mock.calls.flat().join('\n')).toContain(
        `imported 2 day(s) with 3 dish(es) for the week of ${nextWeek}`,
      );
    } finally {
      output.log.mockRestore();
      output.error.mockRestore();
    }
    const again = await backend.start({}, stopped.storage);
    const client = apiClient(again.url);
    const viewer = await signInAs(client, 'lena.weber');
    const { body } = await client.get<{ canteens: { id: string; name: string }[] }>('/api/v1/canteens', {
      token: viewer.token,
    });
    const id = body.canteens.find((c) => c.name.includes('Gütersloh'))!.id;
    const planned = await client.get<CanteenWeek>(`/api/v1/canteens/${id}/weeks/${nextWeek}`, {
      token: viewer.token,
    });
    expect(planned.body.days[0]?.dishes[0]?.name.de).toBe('Königsberger Klopse');
    await again.close();
  });
});
