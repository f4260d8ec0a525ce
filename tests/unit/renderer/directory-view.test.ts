// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Celebration, Location, OrgChartUnit } from '@flurfunk/protocol';
import DirectoryView from '@/features/directory/DirectoryView.vue';
import { mountWithApp, settle } from './chatSupport.js';
import { installFakeHost, makePerson } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';

let host: FakeHost;

const unit = (id: number, name: string, parentId: string | null = null): OrgChartUnit => ({
  id: `01900000-0000-7000-8000-00000000000${id}`,
  name,
  parentId,
  manager: null,
  memberCount: 3,
});
const company = unit(1, 'Brenner Maschinenbau');
const production = unit(2, 'Produktion', company.id);
const workshop = unit(3, 'Werkstatt', production.id);
const plant: Location = {
  id: '01900000-0000-7000-8000-0000000000a1',
  name: 'Werk Gütersloh',
  kind: 'plant',
  address: '',
};

beforeEach(() => {
  host = installFakeHost(30);
  host.api.getOrgChart = async () => ({ ok: true, value: { units: [company, production, workshop] } });
  host.api.listLocations = async () => ({ ok: true, value: [plant] });
});

afterEach(() => {
  delete window.flurfunk;
  document.body.innerHTML = '';
});

describe('the directory screen', () => {
  it('offers people, org chart and phone list as tabs that are addresses', async () => {
    const { wrapper, router } = await mountWithApp(DirectoryView, { path: '/directory' });
    const tabs = wrapper.findAll('nav a');
    expect(tabs.map((tab) => tab.text())).toEqual(['People', 'Org chart', 'Phone list']);
    expect(tabs[0]?.attributes('aria-current')).toBe('page');
    await router.push('/directory/phone-list');
    await flushPromises();
    expect(wrapper.find('nav a[aria-current="page"]').text()).toBe('Phone list');
  });

  it('filters by a unit with its sub-units, and by location, from choices in tree order', async () => {
    const { wrapper } = await mountWithApp(DirectoryView, { path: '/directory' });
    await flushPromises();
    const [departments, locations] = wrapper.findAll('select');
    expect(departments?.findAll('option').map((option) => option.text())).toEqual([
      'All departments',
      'Brenner Maschinenbau',
      'Produktion',
      'Werkstatt',
    ]);
    // Sub-units are indented under their parent.
    expect(departments?.findAll('option')[3]?.element.textContent).toMatch(/^\u00a0{6}Werkstatt$/);
    await departments?.setValue(production.id);
    await flushPromises();
    expect(host.listPeopleCalls.at(-1)).toMatchObject({ orgUnitId: production.id, includeSubUnits: true });
    await wrapper.get('input[type="checkbox"]').setValue(false);
    await flushPromises();
    expect(host.listPeopleCalls.at(-1)).toMatchObject({ orgUnitId: production.id, includeSubUnits: false });
    await locations?.setValue(plant.id);
    await flushPromises();
    expect(host.listPeopleCalls.at(-1)).toMatchObject({ locationId: plant.id, offset: 0 });
  });

  it('offers "best match" only while searching', async () => {
    const { wrapper } = await mountWithApp(DirectoryView, { path: '/directory' });
    const sortChoices = () =>
      wrapper
        .findAll('select')[2]!
        .findAll('option')
        .map((option) => option.text());
    expect(sortChoices()).toEqual(['Name', 'Department', 'Location']);
    await wrapper.get('#directory-search').setValue('Person');
    await settle(300);
    expect(sortChoices()).toEqual(['Best match', 'Name', 'Department', 'Location']);
  });

  it('opens the profile named in the address, and the unit filter from the org chart', async () => {
    const person = makePerson(4);
    const { wrapper, router } = await mountWithApp(DirectoryView, {
      path: `/directory?person=${person.id}&unit=${workshop.id}`,
    });
    await flushPromises();
    expect(wrapper.get('h2#person-detail-title, [aria-labelledby] h2').text()).toContain(person.displayName);
    expect(host.listPeopleCalls.at(-1)).toMatchObject({ orgUnitId: workshop.id });
    const close = wrapper.findAll('button').find((button) => button.text() === 'Close profile');
    await close!.trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query.person).toBeUndefined();
    expect(router.currentRoute.value.query.unit).toBe(workshop.id);
  });

  it('shows today’s birthdays on one line and anniversaries by years, each opening the profile', async () => {
    const summary = (index: number) => {
      const person = makePerson(index);
      return { id: person.id, displayName: person.displayName, title: person.title, photoFileId: null };
    };
    const today: Celebration[] = [
      { person: summary(1), kind: 'birthday', years: null },
      { person: summary(2), kind: 'birthday', years: null },
      { person: summary(3), kind: 'workAnniversary', years: 10 },
    ];
    const asked: string[] = [];
    host.api.listCelebrations = async ({ date }) => {
      asked.push(date);
      return { ok: true, value: today };
    };
    const { wrapper, router } = await mountWithApp(DirectoryView, { path: '/directory' });
    await flushPromises();
    const region = wrapper.get('section[aria-labelledby="directory-today"]');
    const lines = region.findAll('li').map((line) => line.text().replace(/\s+/g, ' '));
    expect(lines).toEqual(['Birthday: Person 0001, Person 0002', '10 years at the company: Person 0003']);
    expect(asked[0]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await region.findAll('button')[2]!.trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query.person).toBe(makePerson(3).id);
  });

  it('says when a search matched more people than it lists', async () => {
    host.api.listPeople = async () => ({
      ok: true,
      value: { people: [makePerson(1)], total: 1000, more: true },
    });
    const { wrapper } = await mountWithApp(DirectoryView, { path: '/directory' });
    await wrapper.get('#directory-search').setValue('a');
    await settle(300);
    expect(wrapper.get('.directory__summary').text()).toBe(
      'More than 1,000 people: add a word to narrow the search.',
    );
  });
});
