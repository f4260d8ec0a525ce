import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../../../build/electron-builder.config.cjs') as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  win: { target: Array<{ target: string }> };
  nsis: Record<string, unknown>;
  msi: Record<string, unknown>;
  mac: { target: Array<{ target: string }>; hardenedRuntime: boolean; entitlements: string };
};
// electron-builder's own validator, the one `npm run dist` runs before packaging.
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration: (config: unknown, debugLogger: { isEnabled: boolean; add(): void }) => Promise<void>;
};

describe('installer configuration (npm run dist)', () => {
  // Compiling electron-builder's large JSON schema takes a few seconds on a busy 2-core machine.
  it('passes electron-builder 26 schema validation', { timeout: 30_000 }, async () => {
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
  });

  it('sets every Electron fuse explicitly to the hardened value', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds per-machine NSIS and MSI installers for Windows', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis', 'msi']);
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false, allowElevation: true });
    expect(config.msi).toMatchObject({ perMachine: true });
  });

  it('builds DMG and PKG for macOS with hardened runtime and only the JIT entitlement', async () => {
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg', 'pkg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    const entitlements = await readFile(
      new URL(`../../../${config.mac.entitlements}`, import.meta.url),
      'utf8',
    );
    expect([...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual([
      'com.apple.security.cs.allow-jit',
    ]);
  });

  it('packages the app bundles with native modules outside the asar and rebuilt for Electron', () => {
    expect(config).toMatchObject({
      appId: 'de.flurfunk.desktop',
      productName: 'Flurfunk',
      asarUnpack: ['**/*.node'],
      npmRebuild: true,
    });
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json', '!dist/server/**']));
  });
});
