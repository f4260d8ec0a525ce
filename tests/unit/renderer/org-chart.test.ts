// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cardOf,
  chartScale,
  company,
  focusedUnitName,
  installOrgChartHost,
  makeCompany,
  makeUnit,
  managerId,
  mountOrgChart,
  settle,
  shownUnitNames,
  unitId,
} from './orgChartSupport.js';

afterEach(() => {
  delete window.flurfunk;
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

function button(name: string, within: ParentNode = document): HTMLButtonElement {
  const found = [...within.querySelectorAll('button')].find(
    (candidate) => (candidate.getAttribute('aria-label') ?? candidate.textContent?.trim()) === name,
  );
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

async function click(element: HTMLElement): Promise<void> {
  element.click();
  await settle();
}

async function press(key: string, target: Element | null = document.activeElement): Promise<void> {
  if (!target) throw new Error('nothing has focus');
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  await settle();
}

async function wheel(init: WheelEventInit): Promise<void> {
  const viewport = document.querySelector('[role="tree"]')!;
  const event = new WheelEvent('wheel', { bubbles: true, cancelable: true, ...init });
  // happy-dom's WheelEvent drops the modifier keys and the pointer position.
  for (const key of ['ctrlKey', 'clientX', 'clientY'] as const) {
    if (init[key] !== undefined) Object.defineProperty(event, key, { value: init[key] });
  }
  viewport.dispatchEvent(event);
  await settle();
}

const numbersIn = (transform: string) => [...transform.matchAll(/-?[\d.]+(?=px)/g)].map(Number);

function searchBox(): HTMLInputElement {
  const label = [...document.querySelectorAll('label')].find(
    (found) => found.textContent?.trim() === 'Find a unit or person',
  );
  return document.getElementById(label!.htmlFor) as HTMLInputElement;
}

async function search(text: string): Promise<void> {
  const input = searchBox();
  input.focus();
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await settle();
}

function breadcrumb(): string[] {
  const nav = document.querySelector('nav[aria-label="Path to the top"]');
  return [...(nav?.querySelectorAll('button') ?? [])].map((entry) => entry.textContent!.trim());
}

describe('org chart', () => {
  it('shows the top two levels with each unit’s manager, head count and hidden sub-units', async () => {
    installOrgChartHost(makeCompany());
    await mountOrgChart();

    expect(document.querySelector('[role="tree"]')?.getAttribute('aria-label')).toBe('Org units');
    expect(shownUnitNames()).toContain(company.root);
    expect(shownUnitNames()).toContain('Division 05');
    expect(shownUnitNames().some((name) => name.startsWith('Department'))).toBe(false);

    const division = cardOf('Division 05');
    expect(division.textContent).toContain('Manager 405');
    expect(division.textContent).toContain('Head of unit');
    expect(division.textContent).toContain('9 people');
    expect(button('10 sub-units', division).getAttribute('aria-expanded')).toBe('false');
    expect(division.getAttribute('aria-level')).toBe('2');
    expect(division.getAttribute('aria-posinset')).toBe('5');
    expect(division.getAttribute('aria-setsize')).toBe('10');
    expect(division.getAttribute('aria-expanded')).toBe('false');
    expect(cardOf(company.root).getAttribute('aria-expanded')).toBe('true');
  });

  it('says when a unit has no manager, and shows several top units', async () => {
    installOrgChartHost([
      makeUnit(1, { name: 'Works council', manager: null, memberCount: 1 }),
      makeUnit(2, { name: 'Holding' }),
    ]);
    await mountOrgChart();
    expect(shownUnitNames()).toEqual(['Holding', 'Works council']);
    expect(cardOf('Works council').textContent).toContain('No manager');
    expect(cardOf('Works council').textContent).toContain('One person');
    expect(cardOf('Works council').querySelectorAll('button')).toHaveLength(1);
  });

  it('keeps only the cards in view in the DOM with all 1,011 units expanded, and follows a pan', async () => {
    installOrgChartHost(makeCompany());
    await mountOrgChart();
    await click(button('Expand all'));

    const before = shownUnitNames();
    expect(before.length).toBeGreaterThan(5);
    expect(before.length).toBeLessThan(100);
    expect(document.querySelectorAll('.org-canvas__edges path').length).toBeLessThan(150);

    await wheel({ deltaY: 6000 });
    const after = shownUnitNames();
    expect(after.length).toBeLessThan(100);
    expect(after.filter((name) => name !== company.root && before.includes(name))).toEqual([]);
    // The root has the tree's tab stop, so it stays in the DOM however far away it is.
    expect(after).toContain(company.root);
    expect(cardOf(company.root).tabIndex).toBe(0);
  });

  it('pans by dragging', async () => {
    installOrgChartHost(makeCompany());
    await mountOrgChart();
    const layer = document.querySelector<HTMLElement>('.org-canvas__layer')!;
    const viewport = document.querySelector('[role="tree"]')!;
    const translate = () =>
      /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(layer.style.transform)!.slice(1).map(Number);
    const [x, y] = translate();
    const pointer = (type: string, clientX: number, clientY: number) =>
      viewport.dispatchEvent(
        new PointerEvent(type, { bubbles: true, pointerId: 1, button: 0, clientX, clientY }),
      );
    pointer('pointerdown', 500, 400);
    pointer('pointermove', 560, 300);
    pointer('pointerup', 560, 300);
    await settle();
    expect(translate()).toEqual([x! + 60, y! - 100]);
  });

  it('moves focus, expands and collapses with the arrow keys, panning the focused unit into view', async () => {
    installOrgChartHost(makeCompany());
    await mountOrgChart();
    cardOf(company.root).focus();
    await settle();
    expect(focusedUnitName()).toBe(company.root);

    await press('ArrowDown');
    expect(focusedUnitName()).toBe('Division 01');
    expect(cardOf('Division 01').getAttribute('aria-selected')).toBe('true');
    expect(cardOf('Division 01').tabIndex).toBe(0);
    expect(cardOf(company.root).getAttribute('aria-selected')).toBe('false');
    expect(cardOf(company.root).tabIndex).toBe(-1);

    await press('ArrowRight');
    expect(cardOf('Division 01').getAttribute('aria-expanded')).toBe('true');
    expect(focusedUnitName()).toBe('Division 01');
    await press('ArrowRight');
    expect(focusedUnitName()).toBe('Department 01.01');
    expect(cardOf('Department 01.01').getAttribute('aria-level')).toBe('3');
    await press('ArrowLeft');
    expect(focusedUnitName()).toBe('Division 01');
    await press('ArrowLeft');
    expect(cardOf('Division 01').getAttribute('aria-expanded')).toBe('false');
    expect(shownUnitNames().some((name) => name.startsWith('Department 01.'))).toBe(false);
    await press(' ');
    expect(cardOf('Division 01').getAttribute('aria-expanded')).toBe('true');

    await press('End');
    expect(focusedUnitName()).toBe('Division 10');
    await press('Home');
    expect(focusedUnitName()).toBe(company.root);
  });

  it('keeps a unit in place on screen when its sub-units are shown, and collapses all back to the top', async () => {
    installOrgChartHost(makeCompany());
    await mountOrgChart();
    const screenPosition = (name: string) => {
      const [cardX, cardY] = numbersIn(cardOf(name).style.transform);
      const [x, y] = numbersIn(document.querySelector<HTMLElement>('.org-canvas__layer')!.style.transform);
      return [cardX! + x!, cardY! + y!];
    };
    const before = screenPosition('Division 05');

    await click(button('10 sub-units', cardOf('Division 05')));
    expect(cardOf('Division 05').getAttribute('aria-expanded')).toBe('true');
    expect(shownUnitNames()).toContain('Department 05.05');
    expect(screenPosition('Division 05')).toEqual(before);

    cardOf('Department 05.05').focus();
    await settle();
    await click(button('Collapse all'));
    expect(shownUnitNames()).toEqual([company.root]);
    expect(cardOf(company.root).tabIndex).toBe(0);
    expect(breadcrumb()).toEqual([company.root]);
  });

  it('finds someone who manages nothing through the directory and jumps to their unit', async () => {
    const host = installOrgChartHost(makeCompany());
    const logistics = host.units.find((unit) => unit.name === company.logistics)!;
    host.people = [
      { id: '00000000-0000-4000-a000-0000000000ee', displayName: 'Ute Sommer', orgUnitId: logistics.id },
    ];
    await mountOrgChart();
    await search('sommer');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await settle();
    const options = [...document.querySelectorAll('[role="listbox"] [role="option"]')];
    expect(options.map((option) => option.textContent)).toEqual([
      `Ute Sommer, Works in ${company.logistics}`,
    ]);
    await press('Enter', searchBox());
    expect(focusedUnitName()).toBe(company.logistics);
    expect(breadcrumb()).toEqual([company.root, 'Division 02', company.logistics]);
  });

  it('finds “mueller” as Jana Müller, expands the units above hers, focuses it and shows its path', async () => {
    installOrgChartHost(makeCompany());
    await mountOrgChart();
    await search('mueller');

    const options = [...document.querySelectorAll('[role="listbox"] [role="option"]')];
    expect(options.map((option) => option.textContent)).toEqual(['Jana Müller, Manages Department 02.04']);
    expect(searchBox().getAttribute('aria-expanded')).toBe('true');
    await press('Enter', searchBox());

    expect(focusedUnitName()).toBe(company.logistics);
    expect(cardOf('Division 02').getAttribute('aria-expanded')).toBe('true');
    expect(breadcrumb()).toEqual([company.root, 'Division 02', company.logistics]);
    const current = document.querySelector('nav[aria-label="Path to the top"] [aria-current="location"]');
    expect(current?.textContent?.trim()).toBe(company.logistics);
    expect(searchBox().getAttribute('aria-expanded')).toBe('false');

    await click(button('Division 02', document.querySelector('nav')!));
    expect(focusedUnitName()).toBe('Division 02');
    expect(breadcrumb()).toEqual([company.root, 'Division 02']);
  });

  it('picks a search hit with the arrow keys and says when nothing matches', async () => {
    installOrgChartHost(makeCompany());
    await mountOrgChart();
    await search('division 0');
    await press('ArrowDown', searchBox());
    await press('ArrowDown', searchBox());
    const selected = document.querySelector('[role="option"][aria-selected="true"]');
    expect(searchBox().getAttribute('aria-activedescendant')).toBe(selected?.id);
    expect(selected?.textContent).toContain('Division 03');
    await press('Enter', searchBox());
    expect(focusedUnitName()).toBe('Division 03');

    await search('zebra');
    expect(document.querySelector('[role="status"]')?.textContent).toBe('No unit or person matches “zebra”.');
  });

  it('zooms with the buttons, the keys and ctrl + wheel, within 20 % and 200 %', async () => {
    installOrgChartHost(makeCompany());
    await mountOrgChart();
    expect(chartScale()).toBe(1);

    await click(button('Zoom in'));
    expect(chartScale()).toBeCloseTo(1.25);
    for (let i = 0; i < 8; i++) await click(button('Zoom in'));
    expect(chartScale()).toBe(2);
    expect(document.querySelector('output')?.textContent).toBe('200%');
    for (let i = 0; i < 16; i++) await click(button('Zoom out'));
    expect(chartScale()).toBe(0.2);

    await click(button('Reset'));
    expect(chartScale()).toBe(1);
    await press('-', cardOf(company.root));
    expect(chartScale()).toBeCloseTo(0.8);
    await press('+', cardOf(company.root));
    expect(chartScale()).toBeCloseTo(1);

    await wheel({ deltaY: -100, ctrlKey: true, clientX: 300, clientY: 300 });
    expect(chartScale()).toBeGreaterThan(1);
    await click(button('Fit'));
    expect(chartScale()).toBeLessThan(1);
  });

  it('animates button zooms, but not when the system asks for reduced motion', async () => {
    installOrgChartHost(makeCompany());
    await mountOrgChart();
    const layer = document.querySelector('.org-canvas__layer')!;
    await click(button('Zoom in'));
    expect(layer.classList.contains('org-canvas__layer--animated')).toBe(true);

    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query.includes('reduce'), media: query }));
    await click(button('Zoom in'));
    expect(layer.classList.contains('org-canvas__layer--animated')).toBe(false);
  });

  it('reveals and focuses the unit named by focusUnitId, however deep it is', async () => {
    const units = makeCompany();
    installOrgChartHost(units);
    const deep = units.find((unit) => unit.name === company.deepTeam)!;
    const wrapper = await mountOrgChart({ focusUnitId: deep.id });

    expect(focusedUnitName()).toBe(company.deepTeam);
    expect(breadcrumb()).toEqual([company.root, 'Division 07', 'Department 07.03', company.deepTeam]);

    await wrapper.setProps({ focusUnitId: unitId(0) });
    await settle();
    expect(focusedUnitName()).toBe(company.root);
  });

  it('asks to open a manager’s profile or a unit’s people', async () => {
    installOrgChartHost(makeCompany());
    const wrapper = await mountOrgChart();
    const root = cardOf(company.root);

    await click(button('Manager 0', root));
    await click(button('Show people', root));
    await press('Enter', cardOf('Division 04'));

    expect(wrapper.emitted('openPerson')).toEqual([[managerId(0)]]);
    expect(wrapper.emitted('openUnit')).toEqual([[unitId(0)], [cardOf('Division 04').dataset.unitId]]);
  });

  it('shows an error with a retry when the units cannot be loaded', async () => {
    const host = installOrgChartHost(makeCompany());
    host.failing = true;
    await mountOrgChart();
    expect(document.querySelector('[role="alert"]')?.textContent).toBe('The org chart could not be loaded.');
    expect(document.querySelector('[role="tree"]')).toBeNull();

    host.failing = false;
    await click(button('Try again'));
    expect(host.calls).toBe(2);
    expect(document.querySelector('[role="alert"]')).toBeNull();
    expect(shownUnitNames()).toContain(company.root);
  });

  it('says so when there are no units yet', async () => {
    installOrgChartHost([]);
    await mountOrgChart();
    expect(document.body.textContent).toContain('No org units yet.');
  });

  it('reloads when sync changes units or people, and only then', async () => {
    const host = installOrgChartHost([
      makeUnit(1, { name: 'Holding' }),
      makeUnit(2, { parentId: unitId(1) }),
    ]);
    await mountOrgChart();
    host.units = [...host.units, makeUnit(3, { name: 'New unit', parentId: unitId(1) })];

    host.emit('dataChanged', { changes: [{ entity: 'message', ids: null }] });
    await settle();
    expect(host.calls).toBe(1);

    host.emit('dataChanged', { changes: [{ entity: 'orgUnit', ids: [unitId(3)] }] });
    await settle();
    expect(host.calls).toBe(2);
    expect(shownUnitNames()).toContain('New unit');
  });
});
