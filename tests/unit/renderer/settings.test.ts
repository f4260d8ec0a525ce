// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"disableCSSFileLoading": true, "handleDisabledFileLoadingAsSuccess": true}}
import { type DOMWrapper, flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApp } from './appSupport.js';
import { installFakeHost } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';

let host: FakeHost;

beforeEach(async () => {
  host = installFakeHost(3);
  const link = document.createElement('link');
  link.id = 'ff-appearance';
  link.rel = 'stylesheet';
  link.setAttribute('href', '/appearance.css');
  document.head.append(link);
  await host.api.login({ serverUrl: 'http://127.0.0.1:4100', username: 'lena.weber', password: 'x' });
});

afterEach(() => {
  delete window.flurfunk;
  document.body.innerHTML = '';
  document.getElementById('ff-appearance')?.remove();
});

const device = (fields: Partial<FakeHost['devices'][number]>) => ({
  id: '00000000-0000-4000-8000-00000000d001',
  name: 'Lenas Laptop',
  signedInAt: '2026-11-02T08:00:00.000Z',
  lastUsedAt: '2026-11-27T07:30:00.000Z',
  current: false,
  ...fields,
});

/** Clicks "Clear and reload", then the same in the dialog that asks first. */
async function clearAfterAsking(section: Pick<DOMWrapper<Element>, 'findAll' | 'get'>): Promise<void> {
  const clearIn = (within: Pick<DOMWrapper<Element>, 'findAll'>) =>
    within.findAll('button').find((b) => b.text() === 'Clear and reload from the server')!;
  await clearIn(section).trigger('click');
  await flushPromises();
  await clearIn(section.get('dialog')).trigger('click');
  await flushPromises();
}

describe('settings', () => {
  it('keeps the colour scheme for the device and restyles the page at once', async () => {
    const { wrapper } = await startApp('#/settings');
    const theme = wrapper.get('#settings-theme');
    expect(wrapper.get('label[for="settings-theme"]').text()).toBe('Appearance');
    await theme.setValue('dark');
    await flushPromises();
    expect(host.deviceSettings).toEqual({ language: 'system', theme: 'dark' });
    expect(document.getElementById('ff-appearance')?.getAttribute('href')).toContain('theme=dark');
  });

  it('offers starting with the computer only where the host can (not in a browser)', async () => {
    const { wrapper } = await startApp('#/settings');
    expect(wrapper.text()).not.toContain('Start Flurfunk when I sign in');
  });

  it('lists the signed-in devices, this one first, and signs another out after asking', async () => {
    host.devices = [
      device({ id: '00000000-0000-4000-8000-00000000d002', name: 'Werkstatt-Terminal' }),
      device({ current: true }),
    ];
    const { wrapper } = await startApp('#/settings');
    const section = wrapper.get('[aria-labelledby="devices-title"]');
    const items = section.findAll('li');
    expect(items.map((item) => item.find('.devices__name').text())).toEqual([
      'Lenas Laptop',
      'Werkstatt-Terminal',
    ]);
    expect(items[0]!.text()).toContain('This device');
    expect(items[0]!.find('button').exists()).toBe(false);

    await section.get('button[aria-label="Sign out Werkstatt-Terminal"]').trigger('click');
    await flushPromises();
    const dialog = section.get('dialog');
    expect(dialog.get('h2').text()).toBe('Sign out Werkstatt-Terminal?');
    await dialog
      .findAll('button')
      .find((button) => button.text() === 'Sign out')!
      .trigger('click');
    await flushPromises();
    expect(host.devices.map((d) => d.name)).toEqual(['Lenas Laptop']);
    expect(section.findAll('li')).toHaveLength(1);
    expect(section.text()).not.toContain('Sign out all other devices');
  });

  it('refuses to clear the local data while changes wait to be sent, and says why', async () => {
    host.cacheUsage = { bytes: 52_428_800, unsentChanges: 2 };
    const { wrapper } = await startApp('#/settings');
    const section = wrapper.get('[aria-labelledby="local-data-title"]');
    expect(section.text()).toContain('Uses 52 MB.');
    expect(section.text()).toContain('2 changes still wait to be sent.');
    await clearAfterAsking(section);
    expect(section.get('[role="alert"]').text()).toContain('some of your changes have not been sent yet');

    host.cacheUsage = { bytes: 52_428_800, unsentChanges: 0 };
    await clearAfterAsking(section);
    expect(section.get('[role="status"]').text()).toBe(
      'Cleared. Everything is being loaded from the server again.',
    );
  });

  it('says in words why the data export failed, instead of saving a broken file', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        Response.json(
          { error: { code: 'unreachable', message: 'the server cannot be reached' } },
          { status: 503 },
        ),
      ),
    );
    const { wrapper } = await startApp('#/settings');
    const section = wrapper.get('[aria-labelledby="export-title"]');
    await section.get('button').trigger('click');
    await flushPromises();
    expect(fetch).toHaveBeenCalledWith('/media/export');
    expect(section.get('[role="alert"]').text()).toBe(
      'The server cannot be reached. Export your data when you are online.',
    );
    vi.unstubAllGlobals();
  });

  it('speaks German in the new sections too', async () => {
    host.deviceSettings = { language: 'de', theme: 'system' };
    const { wrapper } = await startApp('#/settings');
    expect(wrapper.get('#devices-title').text()).toBe('Angemeldete Geräte');
    expect(wrapper.get('#local-data-title').text()).toBe('Daten auf diesem Gerät');
    expect(wrapper.get('#export-title').text()).toBe('Ihre Daten');
  });
});
