/**
 * The canteen in the real core: canteens and plans sync into the encrypted cache and read from
 * there without the server; a manager's save goes out through the outbox and reaches a
 * colleague's device; the diet profile stays on the device and never goes to the server.
 */
import {
  type CanteenListing,
  type CanteenWeek,
  type CanteenWeekInput,
  weekStartOf,
} from '@flurfunk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import {
  expectError,
  removeTempDirs,
  startDemoServer,
  testCores,
  withStoppedCache,
} from '../support/core-harness.js';
import { makePng } from '../support/file-support.js';

let server: DemoServer;
const cores = testCores();
const now = new Date();
const monday = weekStartOf(
  `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`,
);

beforeAll(async () => {
  server = await startDemoServer();
});

afterAll(async () => {
  await cores.closeAll();
  await server?.stop();
  await removeTempDirs();
});

const signedIn = (username: string) => cores.signedIn(server.url, username);

const werkOf = async (test: TestCore) =>
  ((await test.call('listCanteens')) as CanteenListing[]).find((c) => c.name === 'Werkskantine Gütersloh')!;

function asInput(week: CanteenWeek): CanteenWeekInput {
  return {
    canteenId: week.canteenId,
    weekStart: week.weekStart,
    baseRevision: week.revision,
    days: week.days.map((day) => ({
      ...day,
      dishes: day.dishes.map(({ photo, ...dish }) => ({ ...dish, photoFileId: photo?.id ?? null })),
    })),
  };
}

describe('the canteen on the device', () => {
  it("syncs the canteens and this week's plan into the cache, with their locations", async () => {
    const lena = await signedIn('lena.weber');
    const canteens = (await lena.call('listCanteens')) as CanteenListing[];
    expect(canteens.map((c) => [c.name, c.locationName])).toEqual([
      ['Betriebsrestaurant Bielefeld', 'Hauptverwaltung Bielefeld'],
      ['Werkskantine Gütersloh', 'Werk Gütersloh'],
    ]);
    const week = (await lena.call('getCanteenWeek', {
      canteenId: canteens[1]!.id,
      weekStart: monday,
    })) as CanteenWeek;
    expect(week.days.length).toBeGreaterThanOrEqual(4);
    expect(week.days.flatMap((d) => d.dishes).every((dish) => dish.prices.employee! > 0)).toBe(true);
  });

  it("sends Petra's save through the outbox to Jonas's device, and refuses Lena's", async () => {
    const [petra, jonas, lena] = (await Promise.all(
      ['petra.koch', 'jonas.becker', 'lena.weber'].map(signedIn),
    )) as [TestCore, TestCore, TestCore];
    const werk = await werkOf(petra);
    const before = (await petra.call('getCanteenWeek', {
      canteenId: werk.id,
      weekStart: monday,
    })) as CanteenWeek;
    const changed = asInput(before);
    const day = changed.days.find((d) => d.status === 'open')!;
    day.dishes[0]!.allergens = ['lupin'];
    const photoBytes = makePng(800, 600);
    const upload = await petra.core.uploadMedia({
      name: 'suppe.png',
      mediaType: 'image/png',
      bytes: photoBytes,
    });
    if (!upload.ok) throw new Error(upload.error.message);
    day.dishes[0]!.photoFileId = upload.value.id;

    await expectError(lena.callRaw('saveCanteenWeek', changed), 'forbidden');
    const shown = (await petra.call('saveCanteenWeek', changed)) as CanteenWeek;
    expect(shown.revision).toBe(before.revision + 1);
    expect(shown.days.find((d) => d.date === day.date)?.dishes[0]).toMatchObject({
      allergens: ['lupin'],
      photo: { id: upload.value.id, mediaType: 'image/png' },
    });
    await expect.poll(async () => (await petra.call('listOutbox')).length, { timeout: 10_000 }).toBe(0);

    await jonas.call('syncNow');
    const seen = (await jonas.call('getCanteenWeek', {
      canteenId: werk.id,
      weekStart: monday,
    })) as CanteenWeek;
    expect(seen.revision).toBe(before.revision + 1);
    expect(seen.days.find((d) => d.date === day.date)?.dishes[0]?.allergens).toEqual(['lupin']);
    // The dish's photo reaches Jonas's screen through his core, checked like any file.
    const photo = await jonas.core.readMedia(upload.value.id);
    if (!photo.ok) throw new Error(photo.error.message);
    expect(Buffer.from(photo.value.bytes).equals(photoBytes)).toBe(true);
    expect(await jonas.core.readMedia(upload.value.id, 'thumbnail')).toMatchObject({
      ok: true,
      value: { meta: { mediaType: 'image/webp' } },
    });
  });

  it('keeps the diet profile in the encrypted cache only, and reads the menu without the server', async () => {
    const lena = await signedIn('lena.weber');
    const profile = {
      allergens: ['celery', 'milk'],
      additives: ['caffeine'],
      requiredLabels: ['vegetarian'],
    };
    expect(await lena.call('saveDietProfile', profile)).toEqual(profile);
    expect(await lena.call('listOutbox')).toEqual([]);
    const werk = await werkOf(lena);
    await lena.core.close();

    const stored = await withStoppedCache(lena.dataDir, server.url, 'lena.weber', (db) =>
      db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'canteen.dietProfile'").get(),
    );
    expect(JSON.parse(stored?.value ?? 'null')).toEqual(profile);

    await server.stop();
    try {
      const offline = await cores.start(lena.dataDir);
      expect(await offline.call('getDietProfile')).toEqual(profile);
      const week = (await offline.call('getCanteenWeek', {
        canteenId: werk.id,
        weekStart: monday,
      })) as CanteenWeek;
      expect(week.days.length).toBeGreaterThan(0);
    } finally {
      await server.start();
    }
  });
});
