// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  FlurfunkApi,
  IpcResult,
  Location,
  MethodArgs,
  OrgChartUnit,
  PhoneBook,
  PhoneBookEntry,
} from '@flurfunk/protocol';
import PhoneListView from '@/features/directory/phone-list/PhoneListView.vue';
import { createAppI18n } from '@/i18n/index.js';
import type { SupportedLocale } from '@/i18n/index.js';

const unitId = (index: number) => `00000000-0000-4000-9000-${index.toString(16).padStart(12, '0')}`;
const locationId = (index: number) => `00000000-0000-4000-b000-${index.toString(16).padStart(12, '0')}`;
const personId = (index: number) => `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

function unit(index: number, name: string, parent: number | null): OrgChartUnit {
  return {
    id: unitId(index),
    name,
    parentId: parent === null ? null : unitId(parent),
    manager: null,
    memberCount: 1,
  };
}

const units = [
  unit(0, 'Flurfunk AG', null),
  unit(1, 'Vertrieb', 0),
  unit(2, 'Vertrieb Süd', 1),
  unit(3, 'Werkstatt', 0),
];
const locations: Location[] = [
  { id: locationId(2), name: 'Zentrale Stuttgart', kind: 'headOffice', address: '' },
  { id: locationId(1), name: 'Werk Esslingen', kind: 'plant', address: '' },
];

/** A person of the fake company, with the ids of their unit and location to filter by. */
interface FakePerson extends PhoneBookEntry {
  unitId: string | null;
  locationId: string | null;
}

function person(
  index: number,
  displayName: string,
  unitIndex: number | null,
  locationIndex: number | null,
  fields: Partial<PhoneBookEntry> = {},
): FakePerson {
  return {
    id: personId(index),
    displayName,
    title: 'Sachbearbeitung',
    phone: `+49 711 555-${1000 + index}`,
    mobile: '',
    email: `person.${index}@example.com`,
    room: `R${index}`,
    orgUnitName: unitIndex === null ? null : units[unitIndex]!.name,
    locationName:
      locationIndex === null ? null : locations.find((l) => l.id === locationId(locationIndex))!.name,
    unitId: unitIndex === null ? null : unitId(unitIndex),
    locationId: locationIndex === null ? null : locationId(locationIndex),
    ...fields,
  };
}

/** Directory order: last name, first name. */
function company(): FakePerson[] {
  return [
    person(1, 'Anna Bauer', 1, 2, { title: 'Vertriebsleitung', mobile: '+49 170 1111', room: 'A 1.01' }),
    person(2, 'Jürgen Müller', 3, 1, { title: 'Meister', room: '' }),
    person(3, 'Zoe Schmidt', 2, 2, { title: 'Außendienst' }),
    person(4, 'Ömer Yilmaz', null, null, { title: 'Praktikant', phone: '', email: '' }),
  ];
}

interface PhoneBookHost {
  people: FakePerson[];
  calls: MethodArgs<'listPhoneBook'>[];
  /** While true, listPhoneBook fails as a broken cache would. */
  failing: boolean;
  /** Holds back the next listPhoneBook answer until `release()` is called. */
  holdNext(): { release(): void };
  emit(event: string, payload: unknown): void;
  appHost: 'browser' | 'electron';
  pdfCalls: MethodArgs<'savePageAsPdf'>[];
  /** Rows of the print copy when the PDF was asked for. */
  pdfRows: number;
  pdfFails: boolean;
}

const byName = new Intl.Collator('de', { sensitivity: 'base', numeric: true });

/** Answers like the core: groups sorted by name (the people without one last), entries in directory order. */
function phoneBookOf(people: FakePerson[], args: MethodArgs<'listPhoneBook'>): PhoneBook {
  const below = (id: string | null | undefined): Set<string> => {
    const found = new Set<string>();
    const walk = (current: string) => {
      found.add(current);
      for (const child of units.filter((u) => u.parentId === current)) walk(child.id);
    };
    if (id) walk(id);
    return found;
  };
  const inUnit = below(args.orgUnitId);
  const chosen = people.filter(
    (p) =>
      (!args.orgUnitId || (p.unitId !== null && inUnit.has(p.unitId))) &&
      (!args.locationId || p.locationId === args.locationId),
  );
  const groups = new Map<string, { id: string | null; name: string; entries: PhoneBookEntry[] }>();
  for (const { unitId: unit, locationId: place, ...entry } of chosen) {
    const id = args.groupBy === 'location' ? place : unit;
    const name = (args.groupBy === 'location' ? entry.locationName : entry.orgUnitName) ?? '';
    const key = id ?? '';
    if (!groups.has(key)) groups.set(key, { id, name, entries: [] });
    groups.get(key)!.entries.push(entry);
  }
  return {
    groups: [...groups.values()].sort((a, b) =>
      a.name === '' ? 1 : b.name === '' ? -1 : byName.compare(a.name, b.name),
    ),
  };
}

function installPhoneBookHost(people = company()): PhoneBookHost {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const ok = <T>(value: T): Promise<IpcResult<T>> => Promise.resolve({ ok: true, value });
  let held: Promise<void> | null = null;
  const host: PhoneBookHost = {
    people,
    calls: [],
    failing: false,
    appHost: 'browser',
    pdfCalls: [],
    pdfRows: 0,
    pdfFails: false,
    holdNext() {
      let release = () => {};
      held = new Promise<void>((resolve) => (release = resolve));
      return { release: () => release() };
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
  const api = {
    listPhoneBook: async (args: MethodArgs<'listPhoneBook'>): Promise<IpcResult<PhoneBook>> => {
      host.calls.push(args);
      const gate = held;
      held = null;
      const answer = phoneBookOf(host.people, args);
      if (gate) await gate;
      if (host.failing) return { ok: false, error: { code: 'internal', message: 'cache unreadable' } };
      return { ok: true, value: answer };
    },
    getOrgChart: () => ok({ units }),
    listLocations: () => ok(locations),
    getAppInfo: () => ok({ version: '0.1.0-test', host: host.appHost, defaultServerUrl: null }),
    savePageAsPdf: async (args: MethodArgs<'savePageAsPdf'>): Promise<IpcResult<{ saved: boolean }>> => {
      host.pdfCalls.push(args);
      const copy = document.querySelector('body > .ff-phone-list-print');
      host.pdfRows = copy ? copy.querySelectorAll('tbody tr').length : 0;
      return host.pdfFails
        ? { ok: false, error: { code: 'internal', message: 'disk full' } }
        : { ok: true, value: { saved: true } };
    },
    on(event: string, listener: (payload: unknown) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  window.flurfunk = api as unknown as FlurfunkApi;
  return host;
}

let host: PhoneBookHost;

beforeEach(() => {
  host = installPhoneBookHost();
});

afterEach(() => {
  delete window.flurfunk;
  document.body.innerHTML = '';
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

async function renderList(locale: SupportedLocale = 'en') {
  const wrapper = mount(PhoneListView, {
    global: { plugins: [createAppI18n(locale)] },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

type Wrapper = Awaited<ReturnType<typeof renderList>>;

const text = (element: Element) => element.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** The on-screen tables (not the print copy). */
function tables(wrapper: Wrapper): HTMLTableElement[] {
  const root = wrapper.element as HTMLElement;
  return [...root.querySelectorAll<HTMLTableElement>('.phone-list__groups table')];
}

function captions(wrapper: Wrapper): string[] {
  return tables(wrapper).map((table) => text(table.querySelector('.phone-list__caption-name')!));
}

function columnHeaders(table: HTMLTableElement): string[] {
  return [...table.querySelectorAll('thead th')].map(text).map((label) => label.replace(/\s*[▲▼↕]$/, ''));
}

function namesIn(table: HTMLTableElement): string[] {
  return [...table.querySelectorAll('tbody th[scope="row"]')].map(text);
}

function headerButton(table: HTMLTableElement, label: string): HTMLButtonElement {
  const th = [...table.querySelectorAll('thead th')].find((found) => text(found).startsWith(label));
  if (!th) throw new Error(`no column "${label}"`);
  return th.querySelector('button')!;
}

function select(wrapper: Wrapper, label: string) {
  const found = wrapper.findAll('label[for]').find((candidate) => candidate.text() === label);
  if (!found) throw new Error(`no field "${label}"`);
  return wrapper.get(`[id="${found.attributes('for')}"]`);
}

function buttonNamed(wrapper: Wrapper, name: string) {
  const found = wrapper.findAll('button').find((candidate) => text(candidate.element) === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

describe('phone list', () => {
  it('lists everyone by location, with the people without one last, and counts them', async () => {
    const wrapper = await renderList();
    expect(host.calls).toEqual([{ groupBy: 'location', orgUnitId: null, locationId: null }]);
    expect(captions(wrapper)).toEqual(['Werk Esslingen', 'Zentrale Stuttgart', 'No location']);
    expect(wrapper.text()).toContain('4 people');
    const [esslingen, stuttgart] = tables(wrapper);
    expect(columnHeaders(stuttgart!)).toEqual([
      'Name',
      'Title',
      'Phone',
      'Mobile',
      'Email',
      'Room',
      'Department',
    ]);
    expect(namesIn(esslingen!)).toEqual(['Jürgen Müller']);
    expect(namesIn(stuttgart!)).toEqual(['Anna Bauer', 'Zoe Schmidt']);
    expect(text(stuttgart!.querySelector('tbody tr')!)).toContain('Vertriebsleitung');
    expect(text(stuttgart!.querySelector('tbody tr')!)).toContain('Vertrieb');
  });

  it('groups by department when asked, with a location column instead', async () => {
    const wrapper = await renderList();
    await wrapper.get('input[type="radio"][value="orgUnit"]').setValue(true);
    await flushPromises();
    expect(host.calls.at(-1)).toEqual({ groupBy: 'orgUnit', orgUnitId: null, locationId: null });
    expect(captions(wrapper)).toEqual(['Vertrieb', 'Vertrieb Süd', 'Werkstatt', 'No department']);
    expect(columnHeaders(tables(wrapper)[0]!)).toEqual([
      'Name',
      'Title',
      'Phone',
      'Mobile',
      'Email',
      'Room',
      'Location',
    ]);
    expect(wrapper.findAll('fieldset legend')[0]!.text()).toBe('Group by');
  });

  it('shows the grouping chosen last even when an earlier answer arrives after it', async () => {
    const slow = host.holdNext();
    const wrapper = mount(PhoneListView, {
      global: { plugins: [createAppI18n('en')] },
      attachTo: document.body,
    });
    await flushPromises();
    await wrapper.get('input[type="radio"][value="orgUnit"]').setValue(true);
    await flushPromises();
    expect(captions(wrapper)).toEqual(['Vertrieb', 'Vertrieb Süd', 'Werkstatt', 'No department']);
    slow.release();
    await flushPromises();
    expect(captions(wrapper)).toEqual(['Vertrieb', 'Vertrieb Süd', 'Werkstatt', 'No department']);
  });

  it('filters by department (with its sub-units) and by location', async () => {
    const wrapper = await renderList();
    const departments = select(wrapper, 'Department');
    expect(departments.findAll('option').map((option) => option.element.textContent)).toEqual([
      'All departments',
      'Flurfunk AG',
      '\u00a0\u00a0\u00a0Vertrieb',
      '\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0Vertrieb Süd',
      '\u00a0\u00a0\u00a0Werkstatt',
    ]);
    await departments.setValue(unitId(1));
    await flushPromises();
    expect(host.calls.at(-1)).toEqual({ groupBy: 'location', orgUnitId: unitId(1), locationId: null });
    expect(captions(wrapper)).toEqual(['Zentrale Stuttgart']);
    expect(namesIn(tables(wrapper)[0]!)).toEqual(['Anna Bauer', 'Zoe Schmidt']);

    const places = select(wrapper, 'Location');
    expect(places.findAll('option').map((option) => option.text())).toEqual([
      'All locations',
      'Werk Esslingen',
      'Zentrale Stuttgart',
    ]);
    await places.setValue(locationId(1));
    await flushPromises();
    expect(host.calls.at(-1)).toEqual({
      groupBy: 'location',
      orgUnitId: unitId(1),
      locationId: locationId(1),
    });
    expect(tables(wrapper)).toEqual([]);
    expect(wrapper.text()).toContain('No one matches these filters.');
  });

  it('sorts the rows of each group by a column header: ascending, descending, then directory order', async () => {
    host.people = company().map((p) => ({
      ...p,
      locationId: locationId(2),
      locationName: 'Zentrale Stuttgart',
    }));
    const wrapper = await renderList();
    const table = () => tables(wrapper)[0]!;
    const nameHeader = () => headerButton(table(), 'Name').closest('th')!;
    expect(namesIn(table())).toEqual(['Anna Bauer', 'Jürgen Müller', 'Zoe Schmidt', 'Ömer Yilmaz']);
    expect(nameHeader().hasAttribute('aria-sort')).toBe(false);

    headerButton(table(), 'Name').click();
    await flushPromises();
    expect(nameHeader().getAttribute('aria-sort')).toBe('ascending');
    // The language's collation: Ö sorts with O, not after Z.
    expect(namesIn(table())).toEqual(['Anna Bauer', 'Jürgen Müller', 'Ömer Yilmaz', 'Zoe Schmidt']);

    headerButton(table(), 'Name').click();
    await flushPromises();
    expect(nameHeader().getAttribute('aria-sort')).toBe('descending');
    expect(namesIn(table())).toEqual(['Zoe Schmidt', 'Ömer Yilmaz', 'Jürgen Müller', 'Anna Bauer']);

    headerButton(table(), 'Name').click();
    await flushPromises();
    expect(nameHeader().hasAttribute('aria-sort')).toBe(false);
    expect(namesIn(table())).toEqual(['Anna Bauer', 'Jürgen Müller', 'Zoe Schmidt', 'Ömer Yilmaz']);

    // Another column: only it says how the table is sorted; people without a room come last.
    headerButton(table(), 'Room').click();
    await flushPromises();
    expect(headerButton(table(), 'Room').closest('th')!.getAttribute('aria-sort')).toBe('ascending');
    expect(nameHeader().hasAttribute('aria-sort')).toBe(false);
    expect(namesIn(table())).toEqual(['Anna Bauer', 'Zoe Schmidt', 'Ömer Yilmaz', 'Jürgen Müller']);
  });

  it('links phone numbers with tel: and emails with mailto:', async () => {
    const wrapper = await renderList();
    const row = tables(wrapper)[1]!.querySelector('tbody tr')!;
    const links = [...row.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'tel:+497115551001',
      'tel:+491701111',
      'mailto:person.1@example.com',
    ]);
    expect(links[0]!.getAttribute('aria-label')).toBe('Call Anna Bauer at +49 711 555-1001');
    expect(links[1]!.getAttribute('aria-label')).toBe('Call Anna Bauer on their mobile at +49 170 1111');
    // Someone without phone or email gets no dead links.
    expect(tables(wrapper)[2]!.querySelectorAll('tbody a')).toHaveLength(0);
  });

  it("opens a person's details from their name", async () => {
    const wrapper = await renderList();
    await buttonNamed(wrapper, 'Zoe Schmidt').trigger('click');
    expect(wrapper.emitted('openPerson')).toEqual([[personId(3)]]);
  });

  it('says when the list could not be loaded and tries again', async () => {
    host.failing = true;
    const wrapper = await renderList();
    expect(wrapper.get('[role="alert"]').text()).toContain('The phone list could not be loaded.');
    expect(tables(wrapper)).toEqual([]);
    host.failing = false;
    await buttonNamed(wrapper, 'Try again').trigger('click');
    await flushPromises();
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    expect(captions(wrapper)).toEqual(['Werk Esslingen', 'Zentrale Stuttgart', 'No location']);
  });

  it('shows that it is loading before the first answer', async () => {
    const wrapper = mount(PhoneListView, {
      global: { plugins: [createAppI18n('en')] },
      attachTo: document.body,
    });
    expect(wrapper.text()).toContain('Loading the phone list…');
    await flushPromises();
    expect(wrapper.text()).not.toContain('Loading the phone list…');
  });

  it('reloads when sync changed people, units or locations, and only then', async () => {
    const wrapper = await renderList();
    expect(host.calls).toHaveLength(1);
    host.emit('dataChanged', { changes: [{ entity: 'outboxEntry', ids: null }] });
    await flushPromises();
    expect(host.calls).toHaveLength(1);

    host.people = [...host.people, person(5, 'Bea Neu', 3, 1)];
    host.emit('dataChanged', { changes: [{ entity: 'person', ids: [personId(5)] }] });
    await flushPromises();
    expect(host.calls).toHaveLength(2);
    expect(namesIn(tables(wrapper)[0]!)).toEqual(['Jürgen Müller', 'Bea Neu']);
    expect(wrapper.text()).toContain('5 people');

    host.emit('dataChanged', { changes: [{ entity: 'location', ids: null }] });
    await flushPromises();
    expect(host.calls).toHaveLength(3);
  });

  it('speaks German', async () => {
    const wrapper = await renderList('de');
    expect(captions(wrapper)).toEqual(['Werk Esslingen', 'Zentrale Stuttgart', 'Ohne Standort']);
    expect(columnHeaders(tables(wrapper)[0]!)).toEqual([
      'Name',
      'Funktion',
      'Telefon',
      'Mobil',
      'E-Mail',
      'Raum',
      'Abteilung',
    ]);
    expect(wrapper.text()).toContain('4 Personen');
    expect(wrapper.text()).toContain('Gruppieren nach');
    expect(buttonNamed(wrapper, 'Drucken').exists()).toBe(true);
    expect(buttonNamed(wrapper, 'Als CSV exportieren').exists()).toBe(true);
  });

  it('keeps a large list quick: the first rows of a group, the rest on request', async () => {
    host.people = Array.from({ length: 1_050 }, (_, i) =>
      person(100 + i, `Person ${i}`, i < 150 ? 3 : 1, i < 150 ? 1 : 2),
    );
    const wrapper = await renderList();
    expect(wrapper.text()).toContain('1,050 people');
    expect(namesIn(tables(wrapper)[0]!)).toHaveLength(100);
    expect(namesIn(tables(wrapper)[1]!)).toHaveLength(100);
    await buttonNamed(wrapper, 'Show all 150 people in Werk Esslingen').trigger('click');
    expect(namesIn(tables(wrapper)[0]!)).toHaveLength(150);
    expect(namesIn(tables(wrapper)[1]!)).toHaveLength(100);
    expect(buttonNamed(wrapper, 'Show all 900 people in Zentrale Stuttgart').exists()).toBe(true);
  });

  it('shows many groups a batch at a time', async () => {
    host.people = Array.from({ length: 510 }, (_, i) => ({
      ...person(100 + i, `Person ${i}`, null, null),
      locationId: locationId(1000 + Math.floor(i / 10)),
      locationName: `Ort ${String(Math.floor(i / 10)).padStart(3, '0')}`,
    }));
    const wrapper = await renderList();
    expect(tables(wrapper)).toHaveLength(50);
    expect(wrapper.text()).toContain('50 of 51 groups shown.');
    await buttonNamed(wrapper, 'Show more groups').trigger('click');
    expect(tables(wrapper)).toHaveLength(51);
    expect(wrapper.text()).not.toContain('groups shown');
  });

  it('prints every person of the filter with a header, then takes the print copy away', async () => {
    host.people = Array.from({ length: 250 }, (_, i) => person(100 + i, `Person ${i}`, 3, 1));
    const wrapper = await renderList();
    let printed: { title: string; header: string; rows: number; captions: string[] } | null = null;
    // happy-dom has no print dialog.
    const print = vi.fn(() => {
      const copy = document.querySelector('body > .ff-phone-list-print');
      if (!copy) throw new Error('nothing to print');
      printed = {
        title: text(copy.querySelector('h1')!),
        header: text(copy.querySelector('header')!),
        rows: copy.querySelectorAll('tbody tr').length,
        captions: [...copy.querySelectorAll('caption')].map(text),
      };
    });
    vi.stubGlobal('print', print);
    await buttonNamed(wrapper, 'Print').trigger('click');
    await flushPromises();
    expect(print).toHaveBeenCalledTimes(1);
    expect(printed).toMatchObject({ title: 'Phone list', rows: 250, captions: ['Werk Esslingen'] });
    expect(printed!.header).toContain('Grouped by location · All departments · All locations');
    expect(printed!.header).toContain('As of');
    expect(printed!.header).toContain('250 people');
    expect(document.querySelector('.ff-phone-list-print')).toBeNull();
    // On screen the list still shows only its first rows.
    expect(namesIn(tables(wrapper)[0]!)).toHaveLength(100);
  });

  it('saves a PDF of every person of the filter in the desktop app, and prints when that fails', async () => {
    host.appHost = 'electron';
    host.people = Array.from({ length: 150 }, (_, i) => person(100 + i, `Person ${i}`, 3, 1));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 2, 5, 9, 0));
    const print = vi.fn();
    vi.stubGlobal('print', print);
    const wrapper = await renderList('de');
    await buttonNamed(wrapper, 'Drucken').trigger('click');
    await flushPromises();
    expect(host.pdfCalls).toEqual([{ fileName: 'Telefonliste-2026-03-05.pdf' }]);
    expect(host.pdfRows).toBe(150);
    expect(print).not.toHaveBeenCalled();
    expect(document.querySelector('.ff-phone-list-print')).toBeNull();

    host.pdfFails = true;
    await buttonNamed(wrapper, 'Drucken').trigger('click');
    await flushPromises();
    expect(print).toHaveBeenCalledTimes(1);
  });

  it('exports the list as CSV in the user language', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 2, 5, 9, 0));
    const saved: { name: string; href: string }[] = [];
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:app://flurfunk/1';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, href: this.getAttribute('href') ?? '' });
    });

    const wrapper = await renderList('de');
    headerButton(tables(wrapper)[1]!, 'Name').click();
    headerButton(tables(wrapper)[1]!, 'Name').click();
    await flushPromises();
    await buttonNamed(wrapper, 'Als CSV exportieren').trigger('click');
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(saved).toEqual([{ name: 'Telefonliste-2026-03-05.csv', href: 'blob:app://flurfunk/1' }]);
    expect(revoke).toHaveBeenCalledWith('blob:app://flurfunk/1');
    const bytes = new Uint8Array(await blobs[0]!.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    expect(csv.split('\r\n')).toEqual([
      'Gruppe;Name;Funktion;Telefon;Mobil;E-Mail;Raum;Abteilung;Standort',
      'Werk Esslingen;Jürgen Müller;Meister;+49 711 555-1002;;person.2@example.com;;Werkstatt;Werk Esslingen',
      // As sorted on screen: by name, descending.
      'Zentrale Stuttgart;Zoe Schmidt;Außendienst;+49 711 555-1003;;person.3@example.com;R3;Vertrieb Süd;Zentrale Stuttgart',
      'Zentrale Stuttgart;Anna Bauer;Vertriebsleitung;+49 711 555-1001;+49 170 1111;person.1@example.com;A 1.01;Vertrieb;Zentrale Stuttgart',
      'Ohne Standort;Ömer Yilmaz;Praktikant;;;;R4;;',
      '',
    ]);
  });

  it('uses commas and English names in English', async () => {
    const blobs: Blob[] = [];
    const names: string[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:app://flurfunk/2';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    const wrapper = await renderList('en');
    await buttonNamed(wrapper, 'Export CSV').trigger('click');
    expect(names[0]).toMatch(/^phone-list-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = new TextDecoder().decode(await blobs[0]!.arrayBuffer());
    expect(csv.split('\r\n')[0]).toBe('Group,Name,Title,Phone,Mobile,Email,Room,Department,Location');
    expect(csv).toContain('No location,Ömer Yilmaz');
  });
});
