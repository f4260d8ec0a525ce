import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { assertBuilt } from './dist.js';
import { startDemoServer, type DemoServer } from './processes.js';

export interface DemoCompany {
  server: DemoServer;
  browser: Browser;
  /** A folder of this run's own (a user-data dir, a download), removed by `close`. */
  dir(name: string): string;
  close(): Promise<void>;
}

/**
 * What an e2e file starts with: the built app, the demo company's server and Debian's Chromium,
 * in a temporary folder of its own.
 */
export async function startDemoCompany(name: string): Promise<DemoCompany> {
  assertBuilt();
  const tempDir = await mkdtemp(path.join(os.tmpdir(), `flurfunk-e2e-${name}-`));
  const [server, browser] = await Promise.all([
    startDemoServer(path.join(tempDir, 'server')),
    launchChromium(),
  ]);
  return {
    server,
    browser,
    dir: (folder) => path.join(tempDir, folder),
    async close() {
      await browser.close();
      await server.stop();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}
