/**
 * Org chart test data and a host that serves only what the org chart asks for: `getOrgChart`,
 * `listPeople` for its search, and the `dataChanged` event. Kept apart from fakeHost.ts, which does not know the org chart.
 */
import { flushPromises, mount } from '@vue/test-utils';
import type { EventName, FlurfunkApi, IpcResult, OrgChartUnit } from '@flurfunk/protocol';
import OrgChart from '@/features/directory/org-chart/OrgChart.vue';
import { createAppI18n } from '@/i18n/index.js';
import { makePerson } from './fakeHost.js';

const hex = (index: number) => index.toString(16).padStart(12, '0');

export const unitId = (index: number) => `00000000-0000-4000-9000-${hex(index)}`;
export const managerId = (index: number) => `00000000-0000-4000-a000-${hex(index)}`;

export function makeUnit(index: number, fields: Partial<OrgChartUnit> = {}): OrgChartUnit {
  return {
    id: unitId(index),
    name: `Unit ${index}`,
    parentId: null,
    manager: {
      id: managerId(index),
      displayName: `Manager ${index}`,
      title: 'Head of unit',
      photoFileId: null,
    },
    memberCount: 10,
    ...fields,
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** Names of the units in `makeCompany()` that tests look for. */
export const company = {
  root: 'Flurfunk AG',
  /** Managed by "Jana Müller". */
  logistics: 'Department 02.04',
  deepTeam: 'Team 07.03.05',
};

/**
 * A company of 10,001 people in 1,011 units: one root, 10 divisions, 10 departments in each and
 * 9 teams in each department. Department 02.04 is managed by Jana Müller.
 */
export function makeCompany(): OrgChartUnit[] {
  let index = 0;
  const units: OrgChartUnit[] = [makeUnit(index++, { name: company.root, memberCount: 11 })];
  for (let d = 1; d <= 10; d++) {
    const division = makeUnit(index++, {
      name: `Division ${two(d)}`,
      parentId: units[0]!.id,
      memberCount: 9,
    });
    units.push(division);
    for (let p = 1; p <= 10; p++) {
      const name = `Department ${two(d)}.${two(p)}`;
      const department = makeUnit(index, { name, parentId: division.id, memberCount: 9 });
      if (name === company.logistics) {
        department.manager = {
          ...department.manager!,
          displayName: 'Jana Müller',
          title: 'Head of Logistics',
        };
      }
      index++;
      units.push(department);
      for (let team = 1; team <= 9; team++) {
        units.push(
          makeUnit(index++, { name: `Team ${two(d)}.${two(p)}.${two(team)}`, parentId: department.id }),
        );
      }
    }
  }
  return units;
}

export interface OrgChartHost {
  units: OrgChartUnit[];
  /** How often the chart asked for the units. */
  calls: number;
  /** While true, getOrgChart fails as a broken cache would. */
  failing: boolean;
  /** Whom listPeople finds (by a part of their name). */
  people: { id: string; displayName: string; orgUnitId: string | null }[];
  emit(event: EventName, payload: unknown): void;
}

export function installOrgChartHost(units: OrgChartUnit[]): OrgChartHost {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const host: OrgChartHost = {
    units,
    calls: 0,
    failing: false,
    people: [],
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
  const api = {
    getOrgChart: async (): Promise<IpcResult<{ units: OrgChartUnit[] }>> => {
      host.calls += 1;
      return host.failing
        ? { ok: false, error: { code: 'internal', message: 'the cache could not be read' } }
        : { ok: true, value: { units: host.units } };
    },
    listPeople: async ({ query }: { query: string }) => ({
      ok: true,
      value: {
        people: host.people
          .filter((p) => p.displayName.toLowerCase().includes(query.trim().toLowerCase()))
          .map((p, index) => ({ ...makePerson(900 + index), ...p })),
        total: 0,
        more: false,
      },
    }),
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

export const viewport = { width: 1200, height: 800 };

export async function mountOrgChart(props: { focusUnitId?: string | null } = {}) {
  const wrapper = mount(OrgChart, {
    props: { initialViewport: viewport, ...props },
    global: { plugins: [createAppI18n('en')] },
    attachTo: document.body,
  });
  await settle();
  return wrapper;
}

/** Lets answers, re-renders and the next animation frame (where culling catches up) happen. */
export async function settle(): Promise<void> {
  await flushPromises();
  await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  await flushPromises();
}

export function shownUnitNames(): string[] {
  return [...document.querySelectorAll('[role="treeitem"]')].map(
    (item) => item.querySelector('.org-card__name')?.textContent?.trim() ?? '',
  );
}

export function cardOf(name: string): HTMLElement {
  const card = [...document.querySelectorAll<HTMLElement>('[role="treeitem"]')].find(
    (item) => item.querySelector('.org-card__name')?.textContent?.trim() === name,
  );
  if (!card) throw new Error(`no card for ${name} is shown (shown: ${shownUnitNames().join(', ')})`);
  return card;
}

export function focusedUnitName(): string | null {
  const active = document.activeElement;
  return active?.getAttribute('role') === 'treeitem'
    ? (active.querySelector('.org-card__name')?.textContent?.trim() ?? null)
    : null;
}

/** The chart layer's zoom, as the CSS transform applies it. */
export function chartScale(): number {
  const layer = document.querySelector<HTMLElement>('.org-canvas__layer');
  const match = /scale\(([\d.]+)\)/.exec(layer?.style.transform ?? '');
  if (!match) throw new Error('the chart layer has no scale');
  return Number(match[1]);
}
