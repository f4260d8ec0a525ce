// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"disableCSSFileLoading": true, "handleDisabledFileLoadingAsSuccess": true}}
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Branding, defaultBranding } from '@flurfunk/protocol';
import { startApp } from './appSupport.js';
import { installFakeHost } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';

let host: FakeHost;

const acme: Branding = {
  ...defaultBranding,
  revision: 4,
  updatedAt: '2026-11-27T08:00:00.000Z',
  appName: 'Acme Funk',
  primaryColor: '#7a1f5c',
  logo: { id: 'a'.repeat(64), mediaType: 'image/svg+xml', size: 812 },
};

beforeEach(() => {
  window.localStorage.clear();
  host = installFakeHost(5);
  // What the build puts into index.html's head (renderer/vite.config.ts).
  const link = document.createElement('link');
  link.id = 'ff-appearance';
  link.rel = 'stylesheet';
  link.setAttribute('href', '/appearance.css');
  document.head.append(link);
});

afterEach(() => {
  delete window.flurfunk;
  document.body.innerHTML = '';
  document.getElementById('ff-appearance')?.remove();
});

async function signIn(roles: FakeHost['roles'] = ['employee']) {
  host.roles = roles;
  await host.api.login({ serverUrl: 'http://127.0.0.1:4100', username: 'lena.weber', password: 'x' });
}

describe('company branding', () => {
  it('names the login screen and the window after the company’s app', async () => {
    host.branding = acme;
    const { wrapper } = await startApp('#/feed');
    expect(wrapper.get('h1').text()).toBe('Sign in to Acme Funk');
    expect(document.title).toBe('Acme Funk');
    expect(wrapper.get('.login__brand img').attributes('src')).toBe(`/branding/${'a'.repeat(64)}`);
  });

  it('follows a new branding live: header, logo, title and the stylesheet of its revision', async () => {
    await signIn();
    const { wrapper } = await startApp('#/feed');
    expect(wrapper.get('header').text()).toContain('Flurfunk');
    expect(wrapper.find('header img').exists()).toBe(false);
    expect(document.title).toBe('Newsfeed – Flurfunk');

    host.emit('brandingChanged', acme);
    await flushPromises();
    expect(wrapper.get('header').text()).toContain('Acme Funk');
    const logo = wrapper.get('header img');
    expect(logo.attributes('src')).toBe(`/branding/${'a'.repeat(64)}`);
    // The name is written next to it: the logo itself is decoration.
    expect(logo.attributes('alt')).toBe('');
    expect(document.title).toBe('Newsfeed – Acme Funk');
    // Every text that names the app says the company's name for it.
    expect(wrapper.get('main').text()).toContain('once Acme Funk has synced with the server');
    expect(document.getElementById('ff-appearance')?.getAttribute('href')).toBe(
      '/appearance.css?branding=4-2026-11-27T08%3A00%3A00.000Z&theme=system',
    );
  });

  it('shows the branding screen in Settings to IT admins only', async () => {
    await signIn(['employee']);
    const employee = await startApp('#/settings');
    expect(employee.wrapper.find('#branding-title').exists()).toBe(false);
    employee.wrapper.unmount();

    await signIn(['employee', 'admin']);
    const admin = await startApp('#/settings');
    expect(admin.wrapper.get('#branding-title').text()).toBe('Company branding');
  });

  it('marks a colour that fails contrast, with a colour that passes, and saves nothing until fixed', async () => {
    await signIn(['admin']);
    const { wrapper } = await startApp('#/settings');
    const primary = wrapper.get('#branding-primaryColor');
    await primary.setValue('#ffcc00');
    await flushPromises();
    expect(primary.attributes('aria-invalid')).toBe('true');
    const problem = wrapper.get('#branding-primaryColor-problem');
    expect(primary.attributes('aria-describedby')).toContain('branding-primaryColor-problem');
    expect(problem.text()).toMatch(
      /^#ffcc00 has a contrast of only 1\.\d+:1 here; at least 4\.5:1 is needed/,
    );
    expect(problem.text()).toMatch(/#[0-9a-f]{6} would pass\.$/);

    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe('Please correct the marked fields first.');
    expect(host.branding.revision).toBe(0);
  });

  it('saves name, colours and fonts for everyone and says what dark mode shows lighter', async () => {
    await signIn(['admin']);
    const { wrapper } = await startApp('#/settings');
    await wrapper.get('#branding-appName').setValue('Acme Funk');
    await wrapper.get('#branding-primaryColor').setValue('#003366');
    await wrapper.get('#branding-accentColor').setValue('#C2410C');
    await wrapper.get('#branding-fontFamily').setValue('Acme Sans');
    await wrapper.get('#branding-fontFallback').setValue('Segoe UI, Noto Sans');
    await flushPromises();
    expect(wrapper.get('.branding__preview').text()).toContain('Dark mode');

    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(host.branding).toMatchObject({
      appName: 'Acme Funk',
      primaryColor: '#003366',
      accentColor: '#c2410c',
      fontFamily: 'Acme Sans',
      fontFallback: ['Segoe UI', 'Noto Sans'],
      revision: 1,
    });
    expect(wrapper.get('[role="status"].branding__saved').text()).toContain('Saved.');
    expect(wrapper.text()).toMatch(/In dark mode the Primary colour is shown as #[0-9a-f]{6}/);
    expect(wrapper.get('header').text()).toContain('Acme Funk');
  });

  it('keeps the admin’s unsaved edits when a new branding arrives meanwhile (a logo upload)', async () => {
    await signIn(['admin']);
    const { wrapper } = await startApp('#/settings');
    await wrapper.get('#branding-appName').setValue('Acme Fu');
    host.emit('brandingChanged', acme);
    await flushPromises();
    expect((wrapper.get('#branding-appName').element as HTMLInputElement).value).toBe('Acme Fu');
    expect(wrapper.get('header').text()).toContain('Acme Funk');
  });

  it('speaks German on the branding screen too', async () => {
    host.deviceSettings = { language: 'de', theme: 'system' };
    await signIn(['admin']);
    const { wrapper } = await startApp('#/settings');
    expect(wrapper.get('#branding-title').text()).toBe('Firmen-Branding');
    expect(wrapper.text()).toContain('Logo (SVG, PNG, JPEG oder WebP)');
    expect(wrapper.text()).toContain('Schrift: fett kursiv (WOFF2)');
  });
});
