// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFakeHost } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';
import { startApp } from './appSupport.js';

let host: FakeHost;

beforeEach(() => {
  window.localStorage.clear();
  host = installFakeHost(5);
});

afterEach(() => {
  delete window.flurfunk;
  document.body.innerHTML = '';
});

async function signIn() {
  await host.api.login({ serverUrl: 'http://127.0.0.1:4100', username: 'lena.weber', password: 'x' });
}

describe('app shell', () => {
  it('shows the login screen to a signed-out user', async () => {
    const { wrapper } = await startApp('#/settings');
    expect(wrapper.find('nav').exists()).toBe(false);
    expect(wrapper.get('h1').text()).toBe('Sign in to Flurfunk');
  });

  it('offers every section in the navigation', async () => {
    await signIn();
    const { wrapper, router } = await startApp('#/feed');
    const nav = wrapper.get('nav');
    expect(nav.attributes('aria-label')).toBe('Main');
    expect(nav.findAll('a').map((a) => a.text())).toEqual([
      'Newsfeed',
      'Chat',
      'Directory',
      'Canteen',
      'Settings',
    ]);
    expect(nav.get('[aria-current="page"]').text()).toBe('Newsfeed');
    expect(wrapper.get('h1').text()).toBe('Newsfeed');
    expect(wrapper.get('main').text()).toContain('No posts yet.');
    expect(wrapper.get('[role="status"]').text()).toContain('Online');
    await router.push({ name: 'canteen' });
    await flushPromises();
    expect(nav.get('[aria-current="page"]').text()).toBe('Canteen');
    expect(document.title).toBe('Canteen – Flurfunk');
  });

  it('switches the language in Settings and remembers the choice', async () => {
    await signIn();
    const { wrapper } = await startApp('#/settings');
    const select = wrapper.get('select');
    expect(wrapper.get(`label[for="${select.attributes('id')}"]`).text()).toBe('Language');
    await select.setValue('de');
    await flushPromises();
    expect(
      wrapper
        .get('nav')
        .findAll('a')
        .map((a) => a.text()),
    ).toContain('Einstellungen');
    expect(document.documentElement.lang).toBe('de');
    // Kept by the core for the device, so the desktop notifications speak German too.
    expect(host.deviceSettings.language).toBe('de');
  });

  it('shows who is signed in and signs out back to the login screen', async () => {
    await signIn();
    const { wrapper } = await startApp('#/settings');
    expect(wrapper.get('main').text()).toContain('Lena Weber (lena.weber)');
    expect(wrapper.get('main').text()).toContain('http://127.0.0.1:4100');
    const signOut = wrapper.findAll('button').find((button) => button.text() === 'Sign out');
    await signOut?.trigger('click');
    await flushPromises();
    expect(wrapper.find('nav').exists()).toBe(false);
    expect(wrapper.get('h1').text()).toBe('Sign in to Flurfunk');
  });

  it('shows the notices the core kept from before the window opened, until dismissed', async () => {
    host.raiseNotice({ code: 'cacheRebuilt', reason: 'keyMissing' });
    await signIn();
    const { wrapper } = await startApp('#/chat');
    expect(wrapper.findAll('[role="alert"]').map((alert) => alert.text())).toEqual([
      'The key for your local data was missing from the system keychain, so Flurfunk started a fresh local copy and is reloading it from the server.',
    ]);
    await wrapper
      .findAll('button')
      .find((button) => button.text() === 'Dismiss')
      ?.trigger('click');
    await flushPromises();
    expect(wrapper.findAll('[role="alert"]')).toHaveLength(0);
    expect(host.notices).toEqual([]);
  });

  it('follows the notice list the core announces and ignores a malformed one', async () => {
    await signIn();
    const { wrapper } = await startApp('#/chat');
    host.raiseNotice({ code: 'cacheFromNewerVersion' });
    await flushPromises();
    const shown = () => wrapper.findAll('[role="alert"]').map((alert) => alert.text());
    const newerVersion =
      "This computer's Flurfunk data was written by a newer version of Flurfunk. Update Flurfunk to use it; nothing was deleted.";
    expect(shown()).toEqual([newerVersion]);
    host.emit('noticesChanged', [{ id: 'x', raisedAt: 'yesterday', notice: { code: 'made-up' } }]);
    await flushPromises();
    expect(shown()).toEqual([newerVersion]);
  });

  it('returns to the login screen with an explanation when the session expires', async () => {
    await signIn();
    const { wrapper } = await startApp('#/directory');
    host.raiseNotice({ code: 'sessionExpired' });
    host.emit('sessionChanged', { status: 'signedOut', serverUrl: 'http://127.0.0.1:4100' });
    await flushPromises();
    expect(wrapper.get('h1').text()).toBe('Sign in to Flurfunk');
    expect(wrapper.get('[role="alert"]').text()).toBe('Your session has expired. Please sign in again.');
    expect((wrapper.get('#login-serverUrl').element as HTMLInputElement).value).toBe('http://127.0.0.1:4100');
  });

  it('says "Connecting…" until the core reports how syncing goes', async () => {
    await signIn();
    const held = host.holdSyncStatus();
    const { wrapper } = await startApp('#/chat');
    expect(wrapper.get('[role="status"]').text()).toBe('Connecting…');
    held.release();
    await flushPromises();
    expect(wrapper.get('[role="status"]').text()).toContain('Online');
  });
});
