import { DirectoryPage, SyncPage } from '@flurfunk/protocol';
import { beforeAll, expect, it } from 'vitest';
import { pino } from 'pino';
import { openDatabase } from '../../../server/src/db/open.js';
import { generateDemoCompany } from '../../../server/src/demo/generate.js';
import { describeEachStorage, type TestServer } from '../support/server-backends.js';
import { apiClient, signIn } from '../support/server-client.js';

/** What a signed-in client sees of the company: people via the directory, everything via sync. */
async function snapshot(server: TestServer) {
  const api = apiClient(server.url);
  const { accessToken } = await signIn(api, 'lena.weber');
  const directory = DirectoryPage.parse(
    (await api.get('/api/v1/directory?limit=500', { token: accessToken })).body,
  );
  const sync = SyncPage.parse(
    (await api.get('/api/v1/sync?after=0&limit=1000', { token: accessToken })).body,
  );
  return {
    people: directory.people,
    orgUnits: sync.changes.flatMap((c) => (c.type === 'orgUnit.upsert' ? [c.data] : [])),
    locations: sync.changes.flatMap((c) => (c.type === 'location.upsert' ? [c.data] : [])),
  };
}

describeEachStorage('demo company', (backend) => {
  let server: TestServer;
  let first: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    server = await backend.start({ demo: true });
    first = await snapshot(server);
  });

  it('is a German manufacturer of about 300 people over three locations', () => {
    expect(first.people).toHaveLength(300);
    expect(first.locations.map((l) => l.kind)).toEqual(['headOffice', 'plant', 'fieldService']);
    const units = first.orgUnits.map((u) => u.name);
    expect(units).toEqual(
      expect.arrayContaining([
        'Geschäftsführung',
        'Vertrieb',
        'Außendienst',
        'Produktion',
        'Werkstatt',
        'Montage',
        'Qualitätssicherung',
        'Einkauf',
        'Personal',
        'IT',
        'Interne Kommunikation',
        'Kantine',
      ]),
    );
    const lastNames = new Set(first.people.map((p) => p.lastName));
    expect([...lastNames].some((name) => /[äöüß]/.test(name))).toBe(true);
    for (const person of first.people) {
      expect(person.email).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+$/);
      expect(person.phone).toMatch(/^\+49 /);
      expect(person.title).not.toBe('');
    }
  });

  it('has a department tree with a manager for every unit and person but the top', () => {
    const roots = first.orgUnits.filter((u) => u.parentId === null);
    expect(roots.map((u) => u.name)).toEqual(['Geschäftsführung']);
    const peopleIds = new Set(first.people.map((p) => p.id));
    for (const unit of first.orgUnits) expect(peopleIds.has(unit.managerId ?? '')).toBe(true);
    expect(first.people.filter((p) => p.managerId === null)).toHaveLength(1);
  });

  it('contains the four demo accounts where the README says', () => {
    const byUsername = new Map(first.people.map((p) => [p.username, p]));
    const unitName = (id: string | null) => first.orgUnits.find((u) => u.id === id)?.name;
    expect(unitName(byUsername.get('lena.weber')?.orgUnitId ?? null)).toBe('Werkstatt');
    expect(unitName(byUsername.get('jonas.becker')?.orgUnitId ?? null)).toBe('Interne Kommunikation');
    expect(unitName(byUsername.get('petra.koch')?.orgUnitId ?? null)).toBe('Kantine');
    expect(unitName(byUsername.get('admin')?.orgUnitId ?? null)).toBe('IT');
  });

  it('is the same company on every installation', () => {
    const expected = generateDemoCompany();
    expect(new Set(first.people.map((p) => p.id))).toEqual(new Set(expected.people.map((p) => p.person.id)));
    expect(first.orgUnits).toEqual(expected.orgUnits);
  });

  it('is seeded only once: a restart on the same data changes nothing', async () => {
    await server.close();
    server = await backend.start({ demo: true }, server.storage);
    const second = await snapshot(server);
    expect(second).toEqual(first);
  });

  it('gives a demo database seeded before there were canteens its canteens at the next start, once', async () => {
    await server.close();
    // As a database seeded by an earlier version was: no canteens, no record of seeding them.
    const db = await openDatabase(server.storage, pino({ level: 'silent' }));
    try {
      await db.query('DELETE FROM canteen_weeks');
      await db.query('DELETE FROM canteens');
      await db.query("DELETE FROM server_state WHERE name = 'demo_canteens_seeded'");
    } finally {
      await db.close();
    }
    const canteenNames = async () => {
      const api = apiClient(server.url);
      const { accessToken } = await signIn(api, 'lena.weber');
      const { body } = await api.get<{ canteens: { name: string; managerIds: string[] }[] }>(
        '/api/v1/canteens',
        {
          token: accessToken,
        },
      );
      return body.canteens.map((c) => `${c.name}:${c.managerIds.length}`);
    };
    server = await backend.start({ demo: true }, server.storage);
    expect(await canteenNames()).toEqual(['Betriebsrestaurant Bielefeld:0', 'Werkskantine Gütersloh:1']);
    await server.close();
    server = await backend.start({ demo: true }, server.storage);
    expect(await canteenNames()).toEqual(['Betriebsrestaurant Bielefeld:0', 'Werkskantine Gütersloh:1']);
    expect(await snapshot(server)).toEqual(first);
  });

  // Only PostgreSQL serves several instances; PGlite is single-process by design.
  if (backend.name === 'postgresql') {
    it('several instances starting at once on one PostgreSQL database seed once and share sessions', async () => {
      const storage = await backend.newStorage();
      const [a, b] = await Promise.all([
        backend.start({ demo: true }, storage),
        backend.start({ demo: true }, storage),
      ]);
      const tokens = await signIn(apiClient(a.url), 'jonas.becker');
      const page = await apiClient(b.url).get('/api/v1/directory?limit=500', { token: tokens.accessToken });
      expect(page.status).toBe(200);
      expect(DirectoryPage.parse(page.body).people).toHaveLength(300);

      // A device signed out on one instance is signed out on all of them.
      expect((await apiClient(b.url).post('/api/v1/auth/logout', { token: tokens.accessToken })).status).toBe(
        204,
      );
      expect((await apiClient(a.url).get('/api/v1/directory', { token: tokens.accessToken })).status).toBe(
        401,
      );
    });
  }
});
