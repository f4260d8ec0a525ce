// @vitest-environment happy-dom
import axe from 'axe-core';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import PersonDetail from '@/features/directory/PersonDetail.vue';
import { contactText, contactVCard } from '@/features/directory/profile/contactText.js';
import { createAppI18n } from '@/i18n/index.js';
import { chatUserId, installFakeHost, makePerson } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';
import { makeProfile, serveProfiles, signedInAsPersonZero } from './profileSupport.js';
import type { ProfileHost } from './profileSupport.js';

let host: FakeHost;
let served: ProfileHost;

const werkstatt = { id: '00000000-0000-4000-8000-00000000a001', name: 'Werkstatt' };
const production = { id: '00000000-0000-4000-8000-00000000a002', name: 'Produktion' };
const company = { id: '00000000-0000-4000-8000-00000000a003', name: 'Muster GmbH' };
const summary = (index: number) => {
  const person = makePerson(index);
  return { id: person.id, displayName: person.displayName, title: person.title, photoFileId: null };
};

/** Person 1 with everything a profile can show. */
const full = makeProfile(1, {
  orgUnitId: werkstatt.id,
  unitPath: [company, production, werkstatt],
  mobile: '+49 151 2345 678',
  privatePhone: '+49 711 99 88 77',
  pronouns: 'she/her',
  languages: ['Deutsch', 'Englisch'],
  skills: ['SPS-Programmierung', 'Schweißen'],
  outOfOffice: { message: 'Auf Montage in Ulm.', until: '2999-12-31' },
  birthday: '03-14',
  workAnniversary: '2012-04-01',
  manager: summary(3),
  directReports: [summary(4), summary(5)],
});

beforeEach(() => {
  host = installFakeHost(12);
  served = serveProfiles(host, [
    full,
    makeProfile(0),
    makeProfile(2),
    ...Array.from({ length: 10 }, (_, i) => makeProfile(i + 3)),
  ]);
});

afterEach(() => {
  delete window.flurfunk;
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

async function renderDetail(personId: string, locale: 'en' | 'de' = 'en') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'directory', component: { render: () => null } },
      { path: '/chat/:conversationId', name: 'chatConversation', component: { render: () => null } },
    ],
  });
  await router.push('/');
  await router.isReady();
  const wrapper = mount(PersonDetail, {
    props: { personId },
    global: { plugins: [signedInAsPersonZero(), createAppI18n(locale), router] },
    attachTo: document.body,
  });
  await flushPromises();
  return { wrapper, router };
}

/** The visible facts as label → text. */
function facts(wrapper: Awaited<ReturnType<typeof renderDetail>>['wrapper']): Record<string, string> {
  return Object.fromEntries(
    wrapper.findAll('dl > div').map((row) => [row.get('dt').text(), row.get('dd').text()]),
  );
}

const button = (wrapper: Awaited<ReturnType<typeof renderDetail>>['wrapper'], name: string) =>
  wrapper.findAll('button').find((found) => found.text() === name);

describe('person profile', () => {
  it('shows the person picked last even when an earlier answer arrives after it', async () => {
    const first = makeProfile(2);
    const slowAnswer = served.hold(first.id);
    const { wrapper } = await renderDetail(first.id);
    await wrapper.setProps({ personId: full.id });
    await flushPromises();
    expect(wrapper.get('h2').text()).toBe(full.displayName);
    slowAnswer.release();
    await flushPromises();
    expect(wrapper.get('h2').text()).toBe(full.displayName);
    expect(wrapper.text()).toContain(full.phone);
    expect(wrapper.text()).not.toContain(first.phone);
  });

  it('says so when the person is no longer in the directory', async () => {
    const { wrapper } = await renderDetail('00000000-0000-4000-8000-0000000fffff');
    expect(wrapper.text()).toContain('This person is no longer in the directory.');
  });

  it('shows everything the profile holds', async () => {
    const { wrapper } = await renderDetail(full.id);
    expect(wrapper.get('h2').text()).toBe(full.displayName);
    expect(document.activeElement).toBe(wrapper.get('h2').element);
    expect(wrapper.get('.detail__pronouns').text()).toBe('(she/her)');
    expect(wrapper.get('.detail__title').text()).toBe(full.title);
    // Initials while there is no photo.
    expect(wrapper.get('.detail__top .photo').text()).toBe('P0');

    const away = wrapper.get('section[aria-label="Out of office"]');
    expect(away.text()).toContain('Auf Montage in Ulm.');
    expect(away.text()).toContain('Until December 31, 2999');

    const shown = facts(wrapper);
    expect(Object.keys(shown)).toEqual([
      'Department',
      'Manager',
      'Direct reports (2)',
      'Location',
      'Room',
      'Phone',
      'Mobile',
      'Private',
      'Email',
      'Languages',
      'Skills',
      'Birthday',
      'Work anniversary',
    ]);
    expect(shown).toMatchObject({
      Location: full.locationName,
      Room: full.room,
      Phone: full.phone,
      Mobile: full.mobile,
      Email: full.email,
      Birthday: 'March 14',
      'Work anniversary': 'At the company since 2012',
    });
    expect(shown.Manager).toContain(makePerson(3).displayName);
    expect(shown['Direct reports (2)']).toContain(makePerson(4).displayName);
    expect(shown['Direct reports (2)']).toContain(makePerson(5).displayName);
    const path = wrapper.get('nav[aria-label="Department path"]').findAll('li');
    expect(path.map((unit) => unit.text())).toEqual(['Muster GmbH', 'Produktion', 'Werkstatt']);
    expect(wrapper.get('dd a[href="tel:+497115551001"]').text()).toBe(full.phone);
    expect(wrapper.get('a[href="tel:+491512345678"]').text()).toBe(full.mobile);
    expect(wrapper.get('a[href^="mailto:"]').attributes('href')).toBe('mailto:person.1%40example.com');
    expect(wrapper.findAll('.detail__chips li').map((chip) => chip.text())).toEqual([
      'Deutsch',
      'Englisch',
      'SPS-Programmierung',
      'Schweißen',
    ]);
    const call = wrapper.get('a[aria-label^="Call"]');
    expect(call.attributes()).toMatchObject({
      href: 'tel:+497115551001',
      'aria-label': `Call ${full.displayName} at ${full.phone}`,
    });
  });

  it('writes dates the German way in German', async () => {
    const { wrapper } = await renderDetail(full.id, 'de');
    const shown = facts(wrapper);
    expect(shown.Geburtstag).toBe('14. März');
    expect(shown.Betriebszugehörigkeit).toBe('Im Unternehmen seit 2012');
    expect(wrapper.get('section[aria-label="Abwesend"]').text()).toContain('Bis 31. Dezember 2999');
  });

  it('leaves out what is empty', async () => {
    served.profiles.set(makeProfile(2).id, makeProfile(2, { phone: '', room: '', locationName: null }));
    const { wrapper } = await renderDetail(makeProfile(2).id);
    expect(facts(wrapper)).toEqual({ Department: 'Werkstatt', Email: 'person.2@example.com' });
    expect(wrapper.find('.detail__pronouns').exists()).toBe(false);
    expect(wrapper.find('section[aria-label="Out of office"]').exists()).toBe(false);
    expect(wrapper.find('a[aria-label^="Call"]').exists()).toBe(false);
    expect(button(wrapper, 'Show in org chart')).toBeUndefined();
    expect(wrapper.text()).not.toContain('Private');
  });

  it('calls the mobile number when there is no desk phone', async () => {
    served.profiles.set(makeProfile(2).id, makeProfile(2, { phone: '', mobile: '0151 1234' }));
    const { wrapper } = await renderDetail(makeProfile(2).id);
    expect(wrapper.get('a[aria-label^="Call"]').attributes('href')).toBe('tel:01511234');
  });

  it('shows a private number only when the server sent one, saying who sees it', async () => {
    const { wrapper } = await renderDetail(full.id);
    expect(facts(wrapper).Private).toContain(full.privatePhone);
    const link = wrapper.get('a[href="tel:+49711998877"]');
    const note = document.getElementById(link.attributes('aria-describedby')!);
    expect(note?.textContent).toBe('Private number, shown only to the person, their manager and HR');

    served.profiles.set(full.id, { ...full, privatePhone: null });
    await wrapper.setProps({ personId: makeProfile(2).id });
    await wrapper.setProps({ personId: full.id });
    await flushPromises();
    expect(facts(wrapper).Private).toBeUndefined();
    expect(wrapper.text()).not.toContain(full.privatePhone);
  });

  it('no longer shows an out-of-office note whose last day has passed', async () => {
    served.profiles.set(full.id, { ...full, outOfOffice: { message: 'Urlaub', until: '2000-01-07' } });
    const { wrapper } = await renderDetail(full.id);
    expect(wrapper.find('section[aria-label="Out of office"]').exists()).toBe(false);
    expect(wrapper.text()).not.toContain('Urlaub');
  });

  it('shows an open-ended out-of-office note without a date', async () => {
    served.profiles.set(full.id, { ...full, outOfOffice: { message: 'Elternzeit', until: null } });
    const { wrapper } = await renderDetail(full.id);
    const away = wrapper.get('section[aria-label="Out of office"]');
    expect(away.text()).toContain('Elternzeit');
    expect(away.text()).not.toContain('Until');
  });

  it('opens the manager and direct reports', async () => {
    const { wrapper } = await renderDetail(full.id);
    await wrapper.get('dl button.detail__person').trigger('click');
    const reports = wrapper.findAll('.detail__people button');
    await reports[1]!.trigger('click');
    expect(wrapper.emitted('openPerson')).toEqual([[makePerson(3).id], [makePerson(5).id]]);
  });

  it('folds a long list of direct reports', async () => {
    const reports = Array.from({ length: 10 }, (_, i) => summary(i + 3));
    served.profiles.set(full.id, { ...full, directReports: reports });
    const { wrapper } = await renderDetail(full.id);
    expect(wrapper.findAll('.detail__people li')).toHaveLength(5);
    const toggle = button(wrapper, 'Show all 10')!;
    expect(toggle.attributes('aria-expanded')).toBe('false');
    await toggle.trigger('click');
    expect(wrapper.findAll('.detail__people li')).toHaveLength(10);
    expect(button(wrapper, 'Show fewer')!.attributes('aria-expanded')).toBe('true');
  });

  it('shows the department and its units in the org chart', async () => {
    const { wrapper } = await renderDetail(full.id);
    await button(wrapper, 'Show in org chart')!.trigger('click');
    const path = wrapper.get('nav[aria-label="Department path"]').findAll('button');
    expect(path.map((unit) => unit.attributes('aria-label'))).toEqual([
      'Show Muster GmbH in the org chart',
      'Show Produktion in the org chart',
      'Show Werkstatt in the org chart',
    ]);
    expect(path[2]!.attributes('aria-current')).toBe('location');
    await path[1]!.trigger('click');
    expect(wrapper.emitted('showInOrgChart')).toEqual([[werkstatt.id], [production.id]]);
  });

  it('opens a direct chat with the person and goes there', async () => {
    const { wrapper, router } = await renderDetail(full.id);
    await button(wrapper, 'Message')!.trigger('click');
    await flushPromises();
    expect(host.chatCalls).toEqual([{ method: 'openDirectConversation', args: { personId: full.id } }]);
    const opened = host.conversations[0]!;
    expect(router.currentRoute.value.name).toBe('chatConversation');
    expect(router.currentRoute.value.params.conversationId).toBe(opened.id);
  });

  it('says that a chat needs a connection when it cannot be opened offline', async () => {
    host.chatError = { code: 'unreachable', message: 'offline' };
    const { wrapper, router } = await renderDetail(full.id);
    await button(wrapper, 'Message')!.trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe(
      'A chat can only be started while connected to the server. Please try again when you are online.',
    );
    expect(router.currentRoute.value.name).toBe('directory');
  });

  it('offers no chat with oneself or a deactivated account, and editing only of one’s own profile', async () => {
    const { wrapper } = await renderDetail(full.id);
    expect(button(wrapper, 'Message')).toBeDefined();
    expect(button(wrapper, 'Edit profile')).toBeUndefined();

    await wrapper.setProps({ personId: chatUserId });
    await flushPromises();
    expect(button(wrapper, 'Message')).toBeUndefined();
    expect(button(wrapper, 'Edit profile')).toBeDefined();

    served.profiles.set(full.id, { ...full, deactivated: true });
    await wrapper.setProps({ personId: full.id });
    await flushPromises();
    expect(wrapper.text()).toContain('This account has been deactivated.');
    expect(button(wrapper, 'Message')).toBeUndefined();
  });

  it('copies the contact details as plain text', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined);
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    const { wrapper } = await renderDetail(full.id);
    await button(wrapper, 'Copy contact')!.trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(
      [
        'Person 0001',
        'Mechatroniker',
        'Department: Werkstatt',
        'Location: Werk Esslingen',
        'Room: B1',
        'Phone: +49 711 555-1001',
        'Mobile: +49 151 2345 678',
        'Email: person.1@example.com',
      ].join('\n'),
    );
    // The private number is not passed on.
    expect(writeText.mock.calls[0]![0]).not.toContain(full.privatePhone);
    expect(wrapper.get('[role="status"]').text()).toBe('Contact details copied.');
  });

  it('says so when the contact details cannot be copied', async () => {
    const writeText = vi.fn().mockRejectedValue(new Error('denied'));
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    const { wrapper } = await renderDetail(full.id);
    await button(wrapper, 'Copy contact')!.trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="status"]').text()).toBe('The contact details could not be copied.');
  });

  it('shows what sync changed without moving the focus', async () => {
    const { wrapper } = await renderDetail(full.id);
    const copy = button(wrapper, 'Copy contact')!;
    (copy.element as HTMLElement).focus();
    served.profiles.set(full.id, { ...full, birthday: null, title: 'Meisterin' });
    host.emit('dataChanged', { changes: [{ entity: 'person', ids: [full.id] }] });
    await flushPromises();
    expect(wrapper.get('.detail__title').text()).toBe('Meisterin');
    expect(facts(wrapper).Birthday).toBeUndefined();
    expect(document.activeElement).toBe(copy.element);
  });

  it('has no accessibility violations axe can find, editor open included', async () => {
    served.profiles.set(chatUserId, { ...full, id: chatUserId });
    const { wrapper } = await renderDetail(chatUserId);
    await button(wrapper, 'Edit profile')!.trigger('click');
    for (const box of wrapper.findAll('dialog input[type="checkbox"]')) await box.setValue(true);
    expect(wrapper.findAll('dialog select')).toHaveLength(2);
    // Colours need a real layout engine: the end-to-end tests check them.
    const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.passes.map((rule) => rule.id)).toEqual(expect.arrayContaining(['label', 'button-name']));
    expect(result.violations.map((violation) => `${violation.id}: ${violation.nodes[0]?.html}`)).toEqual([]);
  });

  it('lets the user edit their own profile and shows what was saved', async () => {
    const { wrapper } = await renderDetail(chatUserId);
    const edit = button(wrapper, 'Edit profile')!;
    (edit.element as HTMLElement).focus();
    await edit.trigger('click');
    const dialog = wrapper.get('dialog');
    expect(dialog.attributes('aria-modal')).toBe('true');
    await dialog.get('input[type="text"]').setValue('he/him');
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(served.updateCalls).toHaveLength(1);
    expect(wrapper.find('dialog').exists()).toBe(false);
    expect(wrapper.get('.detail__pronouns').text()).toBe('(he/him)');
    expect(document.activeElement).toBe(edit.element);
  });
});

describe('contact text', () => {
  const labels = {
    department: 'Abteilung',
    location: 'Standort',
    room: 'Raum',
    phone: 'Telefon',
    mobile: 'Mobil',
    email: 'E-Mail',
  };

  it('has one labelled line per filled-in field', () => {
    const person = makeProfile(2, { mobile: '', room: ' ', locationName: null, title: 'Redakteurin\nTeam' });
    expect(contactText(person, labels)).toBe(
      [
        'Person 0002',
        'Redakteurin Team',
        'Abteilung: Werkstatt',
        'Telefon: +49 711 555-1002',
        'E-Mail: person.2@example.com',
      ].join('\n'),
    );
  });

  it('makes a vCard 3.0 with escaped values and folded lines', () => {
    const person = makeProfile(2, {
      firstName: 'Jörg',
      lastName: 'Müller; Sohn',
      displayName: 'Jörg Müller',
      title: 'Leiter, Instandhaltung',
      mobile: '0151 1234',
    });
    const card = contactVCard(person, ['Muster GmbH', 'Instandhaltung']);
    expect(card.split('\r\n')).toEqual([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Müller\\; Sohn;Jörg;;;',
      'FN:Jörg Müller',
      'TITLE:Leiter\\, Instandhaltung',
      'ORG:Muster GmbH;Instandhaltung',
      'TEL;TYPE=WORK,VOICE:+49 711 555-1002',
      'TEL;TYPE=WORK,CELL:0151 1234',
      'EMAIL;TYPE=INTERNET,WORK:person.2@example.com',
      'NOTE:B2\\, Zentrale Stuttgart',
      'END:VCARD',
      '',
    ]);
    const long = contactVCard({ ...person, title: 'Ä'.repeat(60) });
    const lines = long.split('\r\n');
    const encoder = new TextEncoder();
    expect(lines.every((line) => encoder.encode(line).length <= 75)).toBe(true);
    const unfolded = long.replace(/\r\n /g, '');
    expect(unfolded).toContain(`TITLE:${'Ä'.repeat(60)}`);
  });
});
