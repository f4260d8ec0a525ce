import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from './dist.js';

/** A child process whose output is kept, so a failing start can say why. */
class Child {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly process: ChildProcess) {
    for (const stream of [process.stdout, process.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.output.push(line));
    }
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGTERM');
    const stopped = await Promise.race([this.exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!stopped) {
      this.process.kill('SIGKILL');
      await this.exited;
    }
  }

  describe(): string {
    return this.output.slice(-30).join('\n');
  }
}

function runNode(args: string[]): Child {
  return new Child(spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] }));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface DemoServer {
  url: string;
  /** Stops the server process (the client goes offline); `start` brings it back on the same port and data. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** The real company server from dist/server/cli.js with the demo company, on a free loopback port. */
export async function startDemoServer(dataDir: string): Promise<DemoServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: Child | null = null;

  async function start(): Promise<void> {
    const started = runNode([
      'dist/server/cli.js',
      '--demo',
      '--data-dir',
      dataDir,
      '--port',
      String(port),
      '--log-level',
      'warn',
    ]);
    child = started;
    for (let waited = 0; waited < 120_000; waited += 200) {
      if (started.process.exitCode !== null) break;
      const healthy = await fetch(`${url}/api/v1/health`).then(
        (res) => res.ok,
        () => false,
      );
      if (healthy) return;
      await sleep(200);
    }
    await started.stop();
    throw new Error(`The demo server did not start:\n${started.describe()}`);
  }

  await start();
  return {
    url,
    start,
    async stop() {
      await child?.stop();
      child = null;
    },
  };
}

export interface HostProcess {
  /** The address the host printed, token included. */
  url: string;
  origin: string;
  stop(): Promise<void>;
}

/** The real browser host CLI (dist/browser-host/cli.js) with the real core worker and keychain. */
export async function startHostProcess(options: {
  userDataDir: string;
  defaultServerUrl: string;
}): Promise<HostProcess> {
  const child = runNode([
    'dist/browser-host/cli.js',
    '--user-data-dir',
    options.userDataDir,
    '--port',
    '0',
    '--default-server-url',
    options.defaultServerUrl,
  ]);
  const printed = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/;
  for (let waited = 0; waited < 60_000 && child.process.exitCode === null; waited += 100) {
    const url = child.output.map((line) => printed.exec(line)?.[1]).find((found) => found !== undefined);
    if (url !== undefined) return { url, origin: new URL(url).origin, stop: () => child.stop() };
    await sleep(100);
  }
  await child.stop();
  throw new Error(`The browser host did not print its address:\n${child.describe()}`);
}
