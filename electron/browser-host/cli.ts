// Runs Flurfunk's core in Node and serves the app to a browser on this machine.
// Built to dist/browser-host/cli.js; it finds dist/core/worker.js and dist/renderer next to itself.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { startCoreWorker, type Core } from '@flurfunk/core';
import { z } from 'zod';
import { startBrowserHost, type BrowserHost } from './index.js';
import { parseHostCliOptions, usage, type HostCliOptions } from './options.js';

const workerUrl = new URL('../core/worker.js', import.meta.url);
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const packageJsonUrl = new URL('../../package.json', import.meta.url);

async function main(): Promise<void> {
  let options: HostCliOptions;
  try {
    options = parseHostCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(usage);
    return;
  }

  const core = await startCoreWorker(
    {
      dataDir: options.userDataDir,
      deviceName: `Browser on ${os.hostname()}`,
      appVersion: await appVersion(),
      host: 'browser',
      defaultServerUrl: options.defaultServerUrl,
    },
    workerUrl,
  );
  let host: BrowserHost;
  try {
    host = await startHost(core, options);
  } catch (error) {
    await core.close();
    throw error;
  }
  console.log(`Flurfunk is running. Open ${host.url} in your browser.`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function startHost(core: Core, options: HostCliOptions): Promise<BrowserHost> {
  try {
    return await startBrowserHost({ core, rendererDir, port: options.port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (options.portIsExplicit) {
      throw new Error(
        `port ${options.port} on 127.0.0.1 is taken; choose another with --port (0 picks a free one).`,
        { cause: error },
      );
    }
    return startBrowserHost({ core, rendererDir, port: 0 });
  }
}

async function appVersion(): Promise<string> {
  const packageJson = z
    .object({ version: z.string() })
    .parse(JSON.parse(await readFile(packageJsonUrl, 'utf8')));
  return packageJson.version;
}

main().catch((error: unknown) => {
  console.error(
    `Flurfunk's browser host could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
