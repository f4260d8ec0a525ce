// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import type { IpcError } from '@flurfunk/protocol';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import LoginView from '@/features/session/LoginView.vue';
import { createAppI18n } from '@/i18n/index.js';
import type { SupportedLocale } from '@/i18n/index.js';
import { useSessionStore } from '@/stores/session.js';
import { installFakeHost } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';

let host: FakeHost;

beforeEach(() => {
  host = installFakeHost();
  setActivePinia(createPinia());
});

afterEach(() => {
  delete window.flurfunk;
  document.body.innerHTML = '';
});

async function renderLogin(locale: SupportedLocale = 'en') {
  const pinia = createPinia();
  setActivePinia(pinia);
  await useSessionStore().load();
  const wrapper = mount(LoginView, {
    global: { plugins: [pinia, createAppI18n(locale)] },
    attachTo: document.body,
  });
  return wrapper;
}

async function signInFailingWith(error: IpcError | null, locale: SupportedLocale = 'en') {
  host.loginError = error;
  const wrapper = await renderLogin(locale);
  await wrapper.get('#login-username').setValue('lena.weber');
  await wrapper.get('#login-password').setValue('wrong-password');
  await wrapper.get('form').trigger('submit');
  await flushPromises();
  return wrapper;
}

describe('login screen', () => {
  it('labels its fields and prefills the server address the host suggests', async () => {
    const wrapper = await renderLogin();
    const labels = wrapper.findAll('label').map((label) => [label.text(), label.attributes('for')]);
    expect(labels).toEqual([
      ['Server address', 'login-serverUrl'],
      ['Username', 'login-username'],
      ['Password', 'login-password'],
    ]);
    expect((wrapper.get('#login-serverUrl').element as HTMLInputElement).value).toBe('http://127.0.0.1:4100');
    expect(wrapper.get('button[type="submit"]').text()).toBe('Sign in');
  });

  it('says the username or password is wrong and puts the cursor back into the password', async () => {
    const wrapper = await signInFailingWith({ code: 'invalid_credentials', message: 'nope' });
    expect(wrapper.get('[role="alert"]').text()).toBe('The username or password is not correct.');
    expect(document.activeElement?.id).toBe('login-password');
    expect(wrapper.get('#login-password').attributes('aria-invalid')).toBe('true');
    expect(useSessionStore().session?.status).toBe('signedOut');
  });

  it('tells a rate-limited user how many minutes to wait', async () => {
    const wrapper = await signInFailingWith({
      code: 'rate_limited',
      message: 'slow down',
      retryAfterSeconds: 540,
    });
    expect(wrapper.get('[role="alert"]').text()).toBe(
      'Too many failed sign-in attempts. Please wait 9 minutes and try again.',
    );
    expect(document.activeElement).toBe(wrapper.get('[role="alert"]').element);
  });

  it('rounds a wait of under a minute up to one minute', async () => {
    const wrapper = await signInFailingWith({
      code: 'rate_limited',
      message: 'slow down',
      retryAfterSeconds: 20,
    });
    expect(wrapper.get('[role="alert"]').text()).toContain('Please wait one minute');
  });

  it('says the server cannot be reached', async () => {
    const wrapper = await signInFailingWith({ code: 'unreachable', message: 'ECONNREFUSED' });
    expect(wrapper.get('[role="alert"]').text()).toBe(
      'The server could not be reached. Check the address and your network connection.',
    );
  });

  it('marks the server address as invalid and focuses it', async () => {
    const wrapper = await signInFailingWith({ code: 'invalid_url', message: 'bad url' });
    expect(wrapper.get('[role="alert"]').text()).toContain('This is not a valid server address.');
    expect(document.activeElement?.id).toBe('login-serverUrl');
    expect(wrapper.get('#login-serverUrl').attributes('aria-describedby')).toContain('login-error');
  });

  it('reports a server failure separately from a wrong password', async () => {
    const wrapper = await signInFailingWith({ code: 'server_error', message: '500' });
    expect(wrapper.get('[role="alert"]').text()).toBe(
      'The server ran into a problem. Please try again later.',
    );
  });

  it("asks for an update when this account's data comes from a newer Flurfunk, nothing lost", async () => {
    const wrapper = await signInFailingWith({ code: 'cache_newer_version', message: 'schema 9 > 3' });
    expect(wrapper.get('[role="alert"]').text()).toBe(
      "This computer's Flurfunk data for this account was written by a newer version of Flurfunk. Update Flurfunk to sign in; nothing was deleted.",
    );
    expect(useSessionStore().session?.status).toBe('signedOut');
  });

  it('speaks German when the locale is German', async () => {
    const wrapper = await signInFailingWith(
      { code: 'rate_limited', message: 'x', retryAfterSeconds: 900 },
      'de',
    );
    expect(wrapper.get('[role="alert"]').text()).toContain('Bitte warten Sie 15 Minuten');
    expect(wrapper.get('button[type="submit"]').text()).toBe('Anmelden');
  });

  it('names the empty field instead of calling the core, and focuses it', async () => {
    const wrapper = await renderLogin();
    await wrapper.get('#login-username').setValue('lena.weber');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    expect(wrapper.get('#login-password-missing').text()).toBe('Enter your password.');
    expect(document.activeElement?.id).toBe('login-password');
    expect(useSessionStore().session?.status).toBe('signedOut');
  });

  it('disables the form while signing in and signs in on success', async () => {
    const wrapper = await renderLogin();
    await wrapper.get('#login-username').setValue('lena.weber');
    await wrapper.get('#login-password').setValue('flurfunk-demo');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.get('fieldset').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[role="status"]').text()).toBe('Signing in…');
    await flushPromises();
    expect(useSessionStore().user?.username).toBe('lena.weber');
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
  });
});
