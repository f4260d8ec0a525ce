// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import type { VueWrapper } from '@vue/test-utils';
import { IpcErrorCode, Mutation, MutationRejection } from '@flurfunk/protocol';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '@/App.vue';
import { createAppI18n } from '@/i18n/index.js';
import type { SupportedLocale } from '@/i18n/index.js';
import { createAppRouter } from '@/router/index.js';
import { useOutboxStore } from '@/stores/outbox.js';
import { useSyncStatusStore } from '@/stores/syncStatus.js';
import OutboxIndicator from '@/ui/OutboxIndicator.vue';
import { installFakeHost, makeOutboxEntry } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';

let host: FakeHost;
let wrapper: VueWrapper | null = null;

beforeEach(() => {
  window.localStorage.clear();
  host = installFakeHost(5);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  delete window.flurfunk;
  document.body.innerHTML = '';
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const refused = makeOutboxEntry(1, {
  state: 'failed',
  error: { code: 'forbidden', message: 'not a member of this conversation' },
  createdAt: minutesAgo(5),
});
const waiting = makeOutboxEntry(2, { createdAt: minutesAgo(2) });
const waitingEdit = makeOutboxEntry(3, { type: 'chat.editMessage', createdAt: minutesAgo(1) });

async function mountIndicator(locale: SupportedLocale = 'en') {
  const pinia = createPinia();
  setActivePinia(pinia);
  wrapper = mount(OutboxIndicator, {
    global: { plugins: [pinia, createAppI18n(locale)] },
    attachTo: document.body,
  });
  await useSyncStatusStore().load();
  await useOutboxStore().load();
  await flushPromises();
  return wrapper;
}

function button(name: string, within: VueWrapper | Element = wrapper as VueWrapper) {
  const root = within instanceof Element ? within : within.element;
  const found = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

const toggle = () => wrapper?.get('button[aria-expanded]');
const panel = () => wrapper?.get('section');
const entries = () => wrapper?.findAll('li').map((li) => li.element as HTMLElement) ?? [];

async function press(key: string) {
  document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  await flushPromises();
}

async function click(element: HTMLElement) {
  element.click();
  await flushPromises();
}

describe('outbox indicator', () => {
  it('shows nothing while everything the user wrote has been sent', async () => {
    host.outbox = [makeOutboxEntry(1, { state: 'sent' })];
    await mountIndicator();
    expect(wrapper?.find('button').exists()).toBe(false);
  });

  it('says how many messages wait to be sent, and that they wait for the network when offline', async () => {
    host.outbox = [waiting, waitingEdit];
    await mountIndicator();
    expect(toggle()?.text()).toContain('2 messages waiting to be sent');
    host.emit('syncStatusChanged', { connection: 'offline', state: 'idle', lastSyncedAt: null, error: null });
    await flushPromises();
    expect(toggle()?.text()).toContain('2 messages waiting for network');
    host.setOutbox([]);
    await flushPromises();
    expect(wrapper?.find('button').exists()).toBe(false);
  });

  it('says how many could not be sent, and announces it', async () => {
    await mountIndicator();
    host.setOutbox([refused, waiting]);
    await flushPromises();
    expect(toggle()?.text()).toContain('1 message could not be sent');
    expect(toggle()?.text()).toContain('1 message waiting to be sent');
    expect(wrapper?.get('[aria-live="polite"]').text()).toBe('1 message could not be sent');
  });

  it('speaks of changes when not everything waiting is a message', async () => {
    host.outbox = [waiting, makeOutboxEntry(4, { type: 'chat.createGroup' })];
    await mountIndicator();
    expect(toggle()?.text()).toContain('2 changes waiting to be sent');
  });

  it('opens a panel that lists each write with what it is, its state, why it failed and when it was written', async () => {
    host.outbox = [
      refused,
      waiting,
      makeOutboxEntry(5, {
        type: 'chat.deleteMessage',
        attempts: 3,
        error: { code: 'unreachable', message: 'no answer from the server' },
        nextAttemptAt: new Date(Date.now() + 10.5 * 60_000).toISOString(),
        createdAt: minutesAgo(90),
      }),
    ];
    await mountIndicator();
    expect(toggle()?.attributes('aria-expanded')).toBe('false');
    expect(panel()?.isVisible()).toBe(false);
    await click(toggle()?.element as HTMLElement);

    expect(toggle()?.attributes('aria-expanded')).toBe('true');
    expect(toggle()?.attributes('aria-controls')).toBe(panel()?.attributes('id'));
    expect(panel()?.isVisible()).toBe(true);
    expect(document.activeElement?.textContent).toBe('Outbox');
    const [first, second, third] = entries();
    expect(first?.textContent).toContain('New message');
    expect(first?.textContent).toContain('Could not be sent');
    expect(first?.textContent).toContain('You are not allowed to do this');
    expect(first?.textContent).toContain('Written 5 minutes ago');
    expect(second?.textContent).toContain('Sending…');
    expect(second?.textContent).toContain('Written 2 minutes ago');
    expect(third?.textContent).toContain('Deletion of a message');
    expect(third?.textContent).toContain('Waiting to be sent');
    expect(third?.textContent).toContain('Last try: The server could not be reached.');
    expect(third?.textContent).toContain('Next try in 10 minutes');
    expect(third?.textContent).toContain('Written 1 hour ago');
    // Only a failed write can be retried or discarded: a waiting one goes out on its own.
    expect([...(first?.querySelectorAll('button') ?? [])].map((b) => b.textContent?.trim())).toEqual([
      'Retry',
      'Discard',
    ]);
    expect(second?.querySelectorAll('button')).toHaveLength(0);
  });

  it('closes with Escape and gives the focus back to its button', async () => {
    host.outbox = [waiting];
    await mountIndicator();
    await click(toggle()?.element as HTMLElement);
    await press('Escape');
    expect(toggle()?.attributes('aria-expanded')).toBe('false');
    expect(panel()?.isVisible()).toBe(false);
    expect(document.activeElement).toBe(toggle()?.element);
  });

  it('closes when the user clicks elsewhere', async () => {
    host.outbox = [waiting];
    await mountIndicator();
    await click(toggle()?.element as HTMLElement);
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    await flushPromises();
    expect(toggle()?.attributes('aria-expanded')).toBe('false');
  });

  it('retries a failed write and shows it waiting again', async () => {
    host.outbox = [refused];
    await mountIndicator();
    await click(toggle()?.element as HTMLElement);
    await click(button('Retry'));
    expect(host.outboxCalls).toContainEqual({ method: 'retryOutboxEntry', id: refused.id });
    expect(entries()[0]?.textContent).toContain('Sending…');
    expect(entries()[0]?.querySelectorAll('button')).toHaveLength(0);
    expect(document.activeElement).toBe(entries()[0]);
    expect(toggle()?.text()).toContain('1 message waiting to be sent');
  });

  it('asks before discarding, keeps the write when the user says so, and discards it when confirmed', async () => {
    host.outbox = [refused];
    await mountIndicator();
    await click(toggle()?.element as HTMLElement);

    await click(button('Discard'));
    expect(entries()[0]?.textContent).toContain('Discard this message? What you wrote will be lost.');
    expect(document.activeElement?.textContent?.trim()).toBe('Keep');
    await click(button('Keep'));
    expect(host.outbox).toHaveLength(1);
    expect(document.activeElement?.textContent?.trim()).toBe('Discard');

    await click(button('Discard'));
    await press('Escape');
    expect(entries()[0]?.textContent).not.toContain('What you wrote will be lost');
    expect(toggle()?.attributes('aria-expanded')).toBe('true');
    expect(document.activeElement?.textContent?.trim()).toBe('Discard');

    await click(button('Discard'));
    await click(button('Yes, discard'));
    expect(host.outboxCalls).toContainEqual({ method: 'discardOutboxEntry', id: refused.id });
    expect(host.outbox).toEqual([]);
    expect(panel()?.text()).toContain('Everything has been sent.');
    expect(document.activeElement?.textContent).toBe('Outbox');
  });

  it('says so when a write was settled elsewhere before the user discarded it', async () => {
    host.outbox = [refused, waiting];
    await mountIndicator();
    await click(toggle()?.element as HTMLElement);
    await click(button('Discard'));
    host.outbox = [waiting];
    await click(button('Yes, discard'));
    expect(wrapper?.get('[role="alert"]').text()).toBe(
      'This is no longer waiting: it was sent or discarded in the meantime.',
    );
    expect(entries()).toHaveLength(1);
  });

  it('speaks German with the formal address', async () => {
    host.outbox = [refused, waiting, waitingEdit];
    await mountIndicator('de');
    expect(toggle()?.text()).toContain('1 Nachricht konnte nicht gesendet werden');
    expect(toggle()?.text()).toContain('2 Nachrichten warten auf den Versand');
    await click(toggle()?.element as HTMLElement);
    expect(entries()[0]?.textContent).toContain('Sie dürfen das nicht');
    expect(entries()[0]?.textContent).toContain('Geschrieben vor 5 Minuten');
    await click(button('Verwerfen'));
    expect(entries()[0]?.textContent).toContain('Was Sie geschrieben haben, geht verloren.');
  });

  it('has its own words for every kind of write and every reason, in both languages', async () => {
    const types = Mutation.options.map((option) => option.shape.type.value);
    const codes = [
      ...MutationRejection.options,
      ...IpcErrorCode.extract(['unreachable', 'server_error']).options,
    ];
    host.outbox = [
      ...types.map((type, i) => makeOutboxEntry(i, { type })),
      ...codes.map((code, i) =>
        makeOutboxEntry(100 + i, { state: 'failed', error: { code, message: 'refused' } }),
      ),
    ];
    for (const locale of ['en', 'de'] as const) {
      await mountIndicator(locale);
      await click(toggle()?.element as HTMLElement);
      const texts = entries().map((li) => li.querySelector('p')?.textContent ?? '');
      const descriptions = texts.slice(0, types.length);
      expect(new Set(descriptions).size).toBe(types.length);
      const reasons = entries()
        .slice(types.length)
        .map((li) => li.querySelectorAll('p')[1]?.textContent ?? '');
      expect(new Set(reasons).size).toBe(codes.length);
      expect(panel()?.text()).not.toMatch(/outbox\./);
      wrapper?.unmount();
      wrapper = null;
    }
  });
});

describe('outbox indicator in the app', () => {
  async function startApp() {
    window.history.replaceState(null, '', '/#/chat');
    const pinia = createPinia();
    const router = createAppRouter();
    wrapper = mount(App, {
      global: { plugins: [pinia, createAppI18n('en'), router] },
      attachTo: document.body,
    });
    await router.isReady();
    await flushPromises();
    return wrapper;
  }

  it('shows the signed-in user what is waiting in the header, and nothing of it after sign-out', async () => {
    host.outbox = [refused];
    await startApp();
    expect(host.outboxCalls).toEqual([]);

    await wrapper?.get('#login-username').setValue('lena.weber');
    await wrapper?.get('#login-password').setValue('secret');
    await wrapper?.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper?.get('header').text()).toContain('1 message could not be sent');

    await wrapper?.vm.$router.push({ name: 'settings' });
    await flushPromises();
    await click(button('Sign out', document.body));
    expect(wrapper?.find('header').exists()).toBe(false);
    expect(useOutboxStore().entries).toEqual([]);
  });
});
