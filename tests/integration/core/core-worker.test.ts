/**
 * The core's worker host when the worker cannot serve: it does not start, or it crashes. (The
 * worker serving the contract against the real server is in core-session.test.ts.)
 */
import { startCoreWorker } from '@flurfunk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCoreWorker } from '../support/core-worker-build.js';
import { removeTempDirs, tempDir } from '../support/core-harness.js';

let worker: Awaited<ReturnType<typeof buildCoreWorker>>;

beforeAll(async () => {
  worker = await buildCoreWorker();
});

afterAll(async () => {
  await worker?.remove();
  await removeTempDirs();
});

const workerOptions = (dataDir: string) => ({
  dataDir,
  deviceName: 'Worker test',
  appVersion: '9.9.9',
  host: 'electron' as const,
  defaultServerUrl: null,
  syncIntervalMs: 3_600_000,
});

describe('the core worker', () => {
  it('refuses to start with options that do not fit', async () => {
    await expect(startCoreWorker({ ...workerOptions(''), dataDir: '' }, worker.url)).rejects.toThrow(
      /did not start/,
    );
  });

  it('answers pending and later calls with an internal error when the worker crashes', async () => {
    const crashing = new URL('../support/core-crashing-worker.mjs', import.meta.url);
    const core = await startCoreWorker(workerOptions(await tempDir('worker')), crashing);
    expect(await core.invoke('getSession', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await core.invoke('getAppInfo', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    await core.close();
  });
});
