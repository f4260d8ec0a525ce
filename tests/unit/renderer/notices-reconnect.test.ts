// @vitest-environment happy-dom
import type { AddressInfo } from 'node:net';
import { flushPromises, mount } from '@vue/test-utils';
import { BridgeCall, defaultBranding, defaultDeviceSettings } from '@flurfunk/protocol';
import type { ActiveNotice } from '@flurfunk/protocol';
import { createPinia } from 'pinia';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import App from '@/App.vue';
import { createAppI18n } from '@/i18n/index.js';
import { createAppRouter } from '@/router/index.js';

/** A stand-in for the browser host: answers the start-up calls; the notices come from `kept`. */
let server: WebSocketServer;
let kept: ActiveNotice[] = [];

const answers: Record<string, () => unknown> = {
  getAppInfo: () => ({ version: '0.1.0-test', host: 'browser', defaultServerUrl: null }),
  getSession: () => ({ status: 'signedOut', serverUrl: null }),
  getSyncStatus: () => ({ connection: 'online', state: 'idle', lastSyncedAt: null, error: null }),
  getNotices: () => kept,
  getBranding: () => defaultBranding,
  getDeviceSettings: () => defaultDeviceSettings,
};

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const call = BridgeCall.parse(JSON.parse(String(data)));
      const answer = answers[call.method];
      const result = answer
        ? { ok: true, value: answer() }
        : { ok: false, error: { code: 'internal', message: `not in this test: ${call.method}` } };
      socket.send(JSON.stringify({ id: call.id, result }));
    });
  });
  await new Promise((resolve) => server.once('listening', resolve));
});

afterAll(async () => {
  for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
});

const notice = (id: string, code: 'cacheFromNewerVersion' | 'sessionExpired'): ActiveNotice => ({
  id,
  raisedAt: '2025-01-06T08:00:00.000Z',
  notice: { code },
});

describe('notices in the browser', () => {
  it('reads the notices the core kept at start, and again after the connection to the host came back', async () => {
    kept = [notice('n1', 'sessionExpired')];
    const port = (server.address() as AddressInfo).port;
    // The page's own address is where the renderer looks for the host (and its token).
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(
      `http://127.0.0.1:${port}/?token=t0ken`,
    );
    const router = createAppRouter();
    const wrapper = mount(App, {
      global: { plugins: [createPinia(), createAppI18n('en'), router] },
      attachTo: document.body,
    });
    const alerts = () => wrapper.findAll('[role="alert"]').map((alert) => alert.text());
    await expect.poll(alerts).toEqual(['Your session has expired. Please sign in again.']);

    // Raised while the page was cut off from the host: no event reached it.
    kept = [...kept, notice('n2', 'cacheFromNewerVersion')];
    for (const socket of server.clients) socket.terminate();
    await expect
      .poll(alerts, { timeout: 5000 })
      .toEqual([
        'Your session has expired. Please sign in again.',
        "This computer's Flurfunk data was written by a newer version of Flurfunk. Update Flurfunk to use it; nothing was deleted.",
      ]);
    wrapper.unmount();
    await flushPromises();
  });
});
