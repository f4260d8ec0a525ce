/**
 * The settings a person expects of a desktop app, in the real core against the real server: the
 * device's language and theme (kept encrypted, in the first paint's stylesheet), the devices
 * signed in to the account (one signed out from another is wiped there), the export of their
 * data, and clearing the local cache, which never loses a change waiting to be sent.
 */
import type { ConversationSummary, DeviceList, SessionState } from '@flurfunk/protocol';
import { unzipSync, strFromU8 } from 'fflate';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import {
  cacheFileNames,
  expectError,
  noticesOf,
  readAllFiles,
  removeTempDirs,
  startDemoServer,
  tempDir,
  testCores,
} from '../support/core-harness.js';

let server: DemoServer;
const cores = testCores();

beforeAll(async () => {
  server = await startDemoServer();
});

afterAll(async () => {
  await cores.closeAll();
  await server?.stop();
  await removeTempDirs();
});

const started = (dataDir?: string) => cores.start(dataDir);
const signedIn = (username: string, dataDir?: string) => cores.signedIn(server.url, username, dataDir);

const stylesheetOf = async (test: TestCore) => {
  const result = await test.core.readAppearanceFile('/appearance.css');
  if (!result.ok) throw new Error(result.error.message);
  return Buffer.from(result.value.bytes).toString('utf8');
};

async function until<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('device settings', () => {
  it('keeps the language and theme for the profile, encrypted, and puts the theme into the first paint', async () => {
    const dataDir = await tempDir('core');
    const lena = await signedIn('lena.weber', dataDir);
    expect(await lena.call('getDeviceSettings')).toEqual({ language: 'system', theme: 'system' });
    expect(await stylesheetOf(lena)).not.toContain('color-scheme');

    await lena.call('saveDeviceSettings', { language: 'de', theme: 'dark' });
    expect(await lena.waitForEvent('deviceSettingsChanged')).toEqual({ language: 'de', theme: 'dark' });
    expect(await stylesheetOf(lena)).toContain('color-scheme: dark;');
    await expectError(lena.callRaw('saveDeviceSettings', { language: 'fr', theme: 'dark' }), 'invalid_args');

    for (const { bytes } of await readAllFiles(join(dataDir, 'settings'))) {
      expect(bytes.includes('dark')).toBe(false);
    }
    // They belong to the device, not the user: signed out, and after a restart, they stay.
    await lena.call('logout');
    await lena.core.close();
    const restarted = await started(dataDir);
    expect(await restarted.call('getDeviceSettings')).toEqual({ language: 'de', theme: 'dark' });
    expect(await stylesheetOf(restarted)).toContain('color-scheme: dark;');
  });
});

describe('signed-in devices', () => {
  it('lists this device and signs another one out, which then wipes its data', async () => {
    const office = await signedIn('jonas.becker');
    const laptop = await signedIn('jonas.becker');
    const listed = (await office.call('listDevices')) as DeviceList;
    expect(listed.devices.filter((device) => device.current)).toHaveLength(1);
    expect(listed.devices.length).toBeGreaterThanOrEqual(2);
    const other = listed.devices.find((device) => !device.current)!;
    expect(other.name).toBe('Integration test');

    const after = (await office.call('signOutDevice', { deviceId: other.id })) as DeviceList;
    expect(after.devices.map((device) => device.id)).not.toContain(other.id);

    // The laptop hears it on its live socket (or at its next pull) and wipes its data.
    await laptop.waitForEvent(
      'sessionChanged',
      (payload) => (payload as SessionState).status === 'signedOut',
    );
    expect(await noticesOf(laptop)).toEqual([{ code: 'deviceRevoked' }]);
    expect((await cacheFileNames(laptop.dataDir)).filter((name) => name.endsWith('.db'))).toEqual([]);
    // The office computer stays signed in.
    expect((await office.call('syncNow')).error).toBeNull();
  });

  it('needs the server, and says so', async () => {
    const lena = await signedIn('lena.weber');
    await server.stop();
    try {
      await expectError(lena.callRaw('listDevices'), 'unreachable');
    } finally {
      await server.start();
    }
  });
});

describe('export my data', () => {
  it('hands over the server’s ZIP of everything about the user, named for them', async () => {
    const lena = await signedIn('lena.weber');
    const result = await lena.core.readDataExport();
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.fileName).toMatch(/^flurfunk-export-lena\.weber-\d{4}-\d{2}-\d{2}\.zip$/);
    const entries = unzipSync(result.value.bytes);
    const data = JSON.parse(strFromU8(entries['data.json']!)) as { account: { username: string } };
    expect(data.account.username).toBe('lena.weber');
    expect(Object.keys(entries)).toContain('README.txt');
  });
});

describe('clearing the local data', () => {
  it('refuses while a change waits to be sent, then clears, stays signed in and syncs everything again', async () => {
    const lena = await signedIn('lena.weber');
    const usage = await lena.call('getCacheUsage');
    expect(usage.bytes).toBeGreaterThan(0);
    expect(usage.unsentChanges).toBe(0);
    const [conversation] = (await lena.call('listConversations')) as ConversationSummary[];

    await server.stop();
    let sentId: string;
    try {
      sentId = (
        await lena.call('sendMessage', { conversationId: conversation!.id, body: 'Noch im Funkloch' })
      ).id;
      expect((await lena.call('getCacheUsage')).unsentChanges).toBe(1);
      await expectError(lena.callRaw('clearCache'), 'unsent_changes');
      // Nothing was lost: the message still waits.
      expect((await lena.call('listOutbox')).map((entry) => entry.entityId)).toEqual([sentId]);
    } finally {
      await server.start();
    }
    await until('the message sent', async () => (await lena.call('listOutbox')).length === 0);

    const cleared = await lena.call('clearCache');
    expect(cleared.unsentChanges).toBe(0);
    expect(cleared.bytes).toBeLessThan(usage.bytes);
    expect((await lena.call('getSession')).status).toBe('signedIn');
    await lena.call('syncNow');
    const people = await lena.call('listPeople', { query: 'lena weber' });
    expect(people.people.map((person) => person.username)).toEqual(['lena.weber']);
    const messages = await lena.call('listMessages', { conversationId: conversation!.id, limit: 50 });
    expect(messages.map((message) => message.id)).toContain(sentId);
  });
});
