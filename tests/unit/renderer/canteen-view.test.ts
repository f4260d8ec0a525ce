// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as MediaModule from '@/ui/attachments/media.js';
import {
  type CanteenListing,
  type CanteenWeek,
  type DietProfile,
  type Dish,
  addDays,
  emptyDietProfile,
  weekStartOf,
} from '@flurfunk/protocol';
import type { FileMeta } from '@flurfunk/protocol';
import { startApp } from './appSupport.js';
import { type FakeHost, installFakeHost } from './fakeHost.js';

const { uploadFile } = vi.hoisted(() => ({
  uploadFile: vi.fn<(file: File) => Promise<FileMeta>>(),
}));
vi.mock('@/ui/attachments/media.js', async (importOriginal) => ({
  ...(await importOriginal<typeof MediaModule>()),
  uploadFile,
}));

const soupPhoto: FileMeta = {
  id: '00000000-0000-4000-a400-000000000001',
  name: 'suppe.jpg',
  mediaType: 'image/jpeg',
  size: 90_000,
  sha256: 'b'.repeat(64),
  width: 800,
  height: 600,
};

const plantId = '00000000-0000-4000-b000-000000000001';
const officeId = '00000000-0000-4000-b000-000000000002';
// A Tuesday: the canteens are open, and Wednesday is a holiday.
const today = '2026-12-01';
const monday = weekStartOf(today);

const canteenAt = (id: string, name: string, locationId: string, locationName: string): CanteenListing => ({
  id,
  locationId,
  locationName,
  name,
  openingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '11:30', closes: '14:00' })),
  priceGroups: [
    { key: 'employee', name: { de: 'Beschäftigte', en: 'Employees' } },
    { key: 'guest', name: { de: 'Gäste', en: 'Guests' } },
  ],
  lines: [
    { key: 'daily', name: { de: 'Tagesgericht', en: 'Dish of the day' } },
    { key: 'vegan', name: { de: 'Vegan', en: 'Vegan' } },
  ],
  managerIds: [],
});
const werk = canteenAt('00000000-0000-4000-a100-000000000001', 'Werkskantine', plantId, 'Werk Gütersloh');
const office = canteenAt('00000000-0000-4000-a100-000000000002', 'Betriebsrestaurant', officeId, 'Bielefeld');

const dish = (id: number, line: string, de: string, en: string, extra: Partial<Dish> = {}): Dish => ({
  id: `00000000-0000-4000-a200-${String(id).padStart(12, '0')}`,
  line,
  name: { de, en },
  description: { de: '', en: '' },
  prices: { employee: 590, guest: 940 },
  allergens: [],
  additives: [],
  labels: [],
  nutrition: null,
  co2Grams: null,
  photo: null,
  ...extra,
});

function weekOf(canteenId: string, dishes: Dish[], revision = 1): CanteenWeek {
  return {
    id: `00000000-0000-4000-a300-${canteenId.slice(-12)}`,
    canteenId,
    weekStart: monday,
    revision,
    updatedAt: new Date().toISOString(),
    days: [0, 1, 2, 3, 4].map((offset) => {
      const date = addDays(monday, offset);
      return offset === 2
        ? { date, status: 'holiday' as const, note: { de: 'Betriebsfeier', en: 'Company party' }, dishes: [] }
        : {
            date,
            status: 'open' as const,
            note: { de: '', en: '' },
            // Each day's dishes are dishes of their own.
            dishes: dishes.map((d) => ({ ...d, id: `${d.id.slice(0, -2)}${offset}${d.id.slice(-1)}` })),
          };
    }),
  };
}

let host: FakeHost;
let weeks: CanteenWeek[];
let profile: DietProfile;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(2026, 11, 1, 10, 0));
  window.localStorage.clear();
  host = installFakeHost(3);
  host.people[0] = { ...host.people[0]!, locationId: plantId };
  weeks = [
    weekOf(werk.id, [
      dish(1, 'daily', 'Gulasch mit Nudeln', 'Goulash with noodles', {
        allergens: ['gluten', 'eggs', 'celery'],
        additives: ['preservative'],
        labels: ['beef'],
        nutrition: { energyKcal: 780, proteinG: 41, carbohydrateG: 70, fatG: 30.5, saltG: 2.4 },
        co2Grams: 3100,
        photo: soupPhoto,
      }),
      dish(2, 'vegan', 'Linsen-Dal', 'Lentil dal', { allergens: ['mustard'], labels: ['vegan'] }),
    ]),
    weekOf(office.id, [dish(3, 'daily', 'Kartoffelsuppe', 'Potato soup')]),
  ];
  profile = emptyDietProfile;
  const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
  host.api.listCanteens = () => ok([office, werk]);
  host.api.getCanteenWeek = ({ canteenId, weekStart }) =>
    ok(weeks.find((w) => w.canteenId === canteenId && w.weekStart === weekStart) ?? null);
  host.api.getDietProfile = () => ok(profile);
  host.api.saveDietProfile = (next) => {
    profile = next;
    return ok(next);
  };
  await host.api.login({ serverUrl: 'http://127.0.0.1:4100', username: 'lena.weber', password: 'x' });
});

afterEach(() => {
  vi.useRealTimers();
  delete window.flurfunk;
  document.body.innerHTML = '';
});

const main = () => document.querySelector('main')!;
const dishNamed = (name: string) => main().querySelector<HTMLElement>(`article[aria-label="${name}"]`);

describe('the canteen menu', () => {
  it("opens on today's menu at the user's location, with allergens, additives, diet and prices in words", async () => {
    const { wrapper } = await startApp('#/canteen');
    expect((wrapper.get('select').element as HTMLSelectElement).value).toBe(werk.id);
    expect(main().querySelector('h3')?.textContent).toBe('Tuesday, December 1');
    const goulash = dishNamed('Goulash with noodles')!;
    expect(goulash.textContent).toMatch(/A\s*Gluten/);
    expect(goulash.textContent).toMatch(/L\s*Celery/);
    expect(goulash.textContent).toMatch(/2\s*preservative/);
    expect(goulash.textContent).toContain('beef');
    expect(goulash.textContent).toContain('Employees €5.90');
    expect(goulash.textContent).toContain('Guests €9.40');
    expect(goulash.textContent).toContain(
      '780 kcal, 41 g protein, 70 g carbohydrates, 30.5 g fat, 2.4 g salt',
    );
    expect(goulash.textContent).toContain('3,100 g CO₂e');
    expect(main().textContent).toContain('Open 11:30–14:00');
    expect(goulash.querySelector('img')?.getAttribute('src')).toBe(`/media/${soupPhoto.id}?thumbnail=`);
    expect(dishNamed('Lentil dal')!.querySelector('img')).toBeNull();
  });

  it('flags what the diet profile rules out, hides it on request, and keeps the profile on the device', async () => {
    const { wrapper } = await startApp('#/canteen');
    await wrapper
      .findAll('button')
      .find((b) => b.text().startsWith('My allergens and diet'))!
      .trigger('click');
    await flushPromises();
    const dialog = document.querySelector('dialog')!;
    expect(dialog.textContent).toContain('never sent to the server');
    const celery = [...dialog.querySelectorAll('label')].find((l) => l.textContent?.includes('Celery'))!;
    celery.querySelector('input')!.click();
    const vegetarian = [...dialog.querySelectorAll('label')].find((l) =>
      l.textContent?.includes('vegetarian'),
    )!;
    vegetarian.querySelector('input')!.click();
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await flushPromises();
    expect(profile).toEqual({ allergens: ['celery'], additives: [], requiredLabels: ['vegetarian'] });
    const note = dishNamed('Goulash with noodles')!.querySelector('[role="note"]')!;
    expect(note.textContent).toContain('Not for you: contains Celery, not vegetarian');
    expect(dishNamed('Lentil dal')!.querySelector('[role="note"]')).toBeNull();

    const hide = [...main().querySelectorAll('label')].find((l) => l.textContent?.includes('Hide dishes'))!;
    hide.querySelector('input')!.click();
    await flushPromises();
    expect(dishNamed('Goulash with noodles')).toBeNull();
    expect(main().textContent).toContain('One dish hidden');
  });

  it('flags a dish the moment sync brings new allergens, without reloading', async () => {
    profile = { allergens: ['peanuts'], additives: [], requiredLabels: [] };
    await startApp('#/canteen');
    expect(dishNamed('Lentil dal')!.querySelector('[role="note"]')).toBeNull();
    const changed = weekOf(
      werk.id,
      weeks[0]!.days[0]!.dishes.map((d) =>
        d.line === 'vegan' ? { ...d, allergens: ['peanuts' as const] } : d,
      ),
      2,
    );
    weeks = [changed, weeks[1]!];
    host.emit('dataChanged', { changes: [{ entity: 'canteenWeek', ids: [changed.id] }] });
    await flushPromises();
    expect(dishNamed('Lentil dal')!.querySelector('[role="note"]')?.textContent).toContain(
      'contains Peanuts',
    );
  });

  it('shows the week with its holiday, moves between weeks and switches canteens', async () => {
    const { wrapper } = await startApp('#/canteen');
    const weekButton = wrapper.findAll('button').find((b) => b.text() === 'Week')!;
    await weekButton.trigger('click');
    await flushPromises();
    expect(weekButton.attributes('aria-pressed')).toBe('true');
    expect(main().querySelectorAll('section[aria-label] h3')).toHaveLength(5);
    expect(main().textContent).toContain('Public holiday: Company party');
    await wrapper
      .findAll('button')
      .find((b) => b.text().startsWith('Next week'))!
      .trigger('click');
    await flushPromises();
    expect(main().textContent).toContain('No menu has been published for this week yet.');
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'This week')!
      .trigger('click');
    await wrapper.get('select').setValue(office.id);
    await flushPromises();
    expect(dishNamed('Potato soup')).not.toBeNull();
  });

  it('reads in German, and grows for the kiosk terminals', async () => {
    host.deviceSettings = { language: 'de', theme: 'system' };
    const { wrapper, router } = await startApp('#/canteen');
    expect(wrapper.get('h1').text()).toBe('Kantine');
    const large = wrapper.findAll('button').find((b) => b.text() === 'Große Schrift')!;
    await large.trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query.large).toBe('1');
    expect(wrapper.get('section.canteen').classes()).toContain('canteen--large');
    const goulash = dishNamed('Gulasch mit Nudeln')!;
    expect(goulash.textContent).toContain('Glutenhaltiges Getreide');
    expect(goulash.textContent).toContain('mit Konservierungsstoff');
    expect(goulash.textContent).toMatch(/Beschäftigte 5,90\s€/);
  });
});

describe("the canteen manager's week editor", () => {
  /** Signs Lena in again as the manager of the plant's canteen. */
  async function asManager(): Promise<void> {
    const login = host.api.login;
    host.api.login = async (args) => {
      const result = await login(args);
      if (result.ok && result.value.status === 'signedIn')
        result.value.user.roles = ['employee', 'canteenManager'];
      return result;
    };
    werk.managerIds = [host.people[0]!.id];
    await host.api.login({ serverUrl: 'http://127.0.0.1:4100', username: 'lena.weber', password: 'x' });
  }
  let saved: unknown[];

  beforeEach(() => {
    saved = [];
    host.api.saveCanteenWeek = (week) => {
      saved.push(week);
      return Promise.resolve({ ok: true as const, value: { ...weeks[0]!, revision: 2 } });
    };
  });
  afterEach(() => {
    werk.managerIds = [];
  });

  const buttonNamed = (wrapper: Awaited<ReturnType<typeof startApp>>['wrapper'], name: string | RegExp) =>
    wrapper
      .findAll('button')
      .find((b) => (typeof name === 'string' ? b.text() === name : name.test(b.text())))!;

  it('is not offered to someone who does not manage the canteen', async () => {
    const { wrapper } = await startApp('#/canteen');
    await buttonNamed(wrapper, 'Week').trigger('click');
    await flushPromises();
    expect(buttonNamed(wrapper, 'Edit this week')).toBeUndefined();
  });

  it('checks a new dish inline, then saves the week with its allergens', async () => {
    await asManager();
    const { wrapper } = await startApp('#/canteen');
    await buttonNamed(wrapper, 'Week').trigger('click');
    await flushPromises();
    await buttonNamed(wrapper, 'Edit this week').trigger('click');
    await flushPromises();
    const monday = wrapper.findAll('fieldset.editor__day')[0]!;
    await monday
      .findAll('button')
      .find((b) => b.text() === 'Add a dish')!
      .trigger('click');
    await buttonNamed(wrapper, 'Save and publish').trigger('click');
    await flushPromises();
    expect(saved).toEqual([]);
    expect(wrapper.get('[role="alert"]').text()).toMatch(
      /Nothing was saved: correct the \d+ marked fields first/,
    );
    const dish = wrapper.findAll('fieldset.editor__day')[0]!.findAll('fieldset.dish-form').at(-1)!;
    expect(dish.get('input[aria-invalid="true"]').attributes('aria-describedby')).toBeTruthy();
    expect(dish.text()).toContain('Required');

    await dish.findAll('input.ff-input')[0]!.setValue('Kürbissuppe');
    const prices = dish.findAll('input[inputmode="decimal"]');
    await prices[0]!.setValue('3,20');
    await prices[0]!.trigger('change');
    await prices[1]!.setValue('5.10');
    await prices[1]!.trigger('change');
    const celery = dish.findAll('label').find((l) => l.text().includes('Celery'))!;
    await celery.get('input').setValue(true);
    await buttonNamed(wrapper, 'Preview').trigger('click');
    expect(wrapper.text()).toContain('Kürbissuppe');
    await buttonNamed(wrapper, 'Save and publish').trigger('click');
    await flushPromises();
    expect(saved).toHaveLength(1);
    const week = saved[0] as {
      baseRevision: number;
      days: { date: string; dishes: { name: { de: string }; prices: unknown; allergens: string[] }[] }[];
    };
    expect(week.baseRevision).toBe(1);
    const soup = week.days[0]!.dishes.at(-1)!;
    expect(soup).toMatchObject({
      name: { de: 'Kürbissuppe' },
      prices: { employee: 320, guest: 510 },
      allergens: ['celery'],
    });
    expect(buttonNamed(wrapper, 'Save and publish')).toBeUndefined();
  });

  it('gives a dish a photo, shows it in the preview and saves it with the week', async () => {
    await asManager();
    const newPhoto = { ...soupPhoto, id: '00000000-0000-4000-a400-000000000002', name: 'dal.jpg' };
    uploadFile.mockResolvedValue(newPhoto);
    const { wrapper } = await startApp('#/canteen');
    await buttonNamed(wrapper, 'Week').trigger('click');
    await flushPromises();
    await buttonNamed(wrapper, 'Edit this week').trigger('click');
    await flushPromises();
    const dal = wrapper.findAll('fieldset.editor__day')[0]!.findAll('fieldset.dish-form')[1]!;
    const input = dal.get('input[type="file"]');
    const picture = new File(['jpg'], 'dal.jpg', { type: 'image/jpeg' });
    Object.defineProperty(input.element, 'files', { value: [picture], configurable: true });
    await input.trigger('change');
    await flushPromises();
    expect(uploadFile.mock.calls[0]?.[0]).toBe(picture);
    expect(dal.get('img').attributes('src')).toBe(`/media/${newPhoto.id}?thumbnail=`);
    await buttonNamed(wrapper, 'Preview').trigger('click');
    const preview = main().querySelector<HTMLElement>('article[aria-label="Lentil dal"]')!;
    expect(preview.querySelector('img')?.getAttribute('src')).toBe(`/media/${newPhoto.id}?thumbnail=`);
    await buttonNamed(wrapper, 'Save and publish').trigger('click');
    await flushPromises();
    const week = saved[0] as { days: { dishes: { photoFileId: string | null }[] }[] };
    expect(week.days[0]!.dishes.map((d) => d.photoFileId)).toEqual([soupPhoto.id, newPhoto.id]);
  });

  it("copies last week's dishes as new ones onto the same weekdays", async () => {
    await asManager();
    const lastWeek = {
      ...weekOf(werk.id, [dish(9, 'daily', 'Frikadellen', 'Meatballs')]),
      weekStart: addDays(monday, -7),
    };
    lastWeek.days = lastWeek.days.map((d) => ({ ...d, date: addDays(d.date, -7) }));
    weeks.push(lastWeek);
    const { wrapper } = await startApp('#/canteen');
    await buttonNamed(wrapper, 'Week').trigger('click');
    await flushPromises();
    await buttonNamed(wrapper, 'Edit this week').trigger('click');
    await buttonNamed(wrapper, 'Copy last week').trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="status"].editor__notice').text()).toContain("Last week's dishes were copied");
    await buttonNamed(wrapper, 'Save and publish').trigger('click');
    await flushPromises();
    const week = saved[0] as {
      days: { date: string; status: string; dishes: { id: string; name: { de: string } }[] }[];
    };
    expect(week.days[0]!.dishes.map((d) => d.name.de)).toEqual(['Frikadellen']);
    expect(week.days[0]!.dishes[0]!.id).not.toBe(lastWeek.days[0]!.dishes[0]!.id);
    expect(week.days[2]).toMatchObject({ status: 'holiday', dishes: [] });
  });
});

describe('a lunch date', () => {
  /** The chat writes the dialog made (the chat screen it opens reads as well). */
  const writes = () =>
    host.chatCalls.filter((c) => ['openDirectConversation', 'createGroup', 'sendMessage'].includes(c.method));
  const buttonNamed = (name: string | RegExp) =>
    [...document.querySelectorAll('button')].find((b) =>
      typeof name === 'string'
        ? b.textContent?.trim() === name
        : name.test(b.getAttribute('aria-label') ?? b.textContent ?? ''),
    )!;
  async function invite(names: string[]): Promise<HTMLDialogElement> {
    const dialog = document.querySelector('dialog')!;
    for (const name of names) {
      const search = dialog.querySelector<HTMLInputElement>('input[type="search"]')!;
      search.value = name;
      search.dispatchEvent(new Event('input'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await flushPromises();
      [...dialog.querySelectorAll('button')]
        .find((b) => b.getAttribute('aria-label') === `Invite ${name}`)!
        .click();
      await flushPromises();
    }
    return dialog;
  }

  it('asks a colleague along for a dish, in their direct chat, with the day, time and dish', async () => {
    const { router } = await startApp('#/canteen');
    buttonNamed(/Who’s coming for Goulash with noodles\?/).click();
    await flushPromises();
    const dialog = await invite(['Person 0001']);
    const time = dialog.querySelector('select')!;
    expect([...time.options].map((o) => o.value)).toContain('13:45');
    expect(time.value).toBe('12:00');
    expect(dialog.querySelector('textarea')!.value).toBe(
      'Who’s coming to lunch? Tuesday, December 1 at 12:00, Werkskantine: Goulash with noodles.',
    );
    [...dialog.querySelectorAll('button')]
      .find((b) => b.textContent?.trim() === 'Invite one colleague')!
      .click();
    await flushPromises();
    expect(writes().map((c) => c.method)).toEqual(['openDirectConversation', 'sendMessage']);
    expect(writes()[1]!.args).toMatchObject({ body: expect.stringContaining('Goulash with noodles') });
    expect(router.currentRoute.value.name).toBe('chatConversation');
  });

  it('asks several colleagues along in a new group, and reuses that group next time', async () => {
    const { router } = await startApp('#/canteen');
    for (const round of [1, 2]) {
      buttonNamed('Who’s coming?').click();
      await flushPromises();
      const dialog = await invite(['Person 0001', 'Person 0002']);
      [...dialog.querySelectorAll('button')]
        .find((b) => b.textContent?.trim() === 'Invite 2 colleagues')!
        .click();
      await flushPromises();
      expect(writes().map((c) => c.method)).toEqual(
        round === 1 ? ['createGroup', 'sendMessage'] : ['createGroup', 'sendMessage', 'sendMessage'],
      );
      await router.push({ name: 'canteen' });
      await flushPromises();
    }
    expect(writes()[0]!.args).toMatchObject({ title: 'Lunch Tuesday, December 1' });
  });
});
