/**
 * The real browser host (dist/browser-host/cli.js) with its core worker, as `npm start` runs it
 * where Electron is missing. It keeps the cache key and refresh token in the OS keychain, which
 * `npm run bench` does not provide: unless the bench already runs under one (e.g.
 * `scripts/with-keyring.sh npm run bench -- feed`), each host gets a throwaway Secret Service of
 * its own through scripts/with-keyring.sh. Only the host runs under it; the figures do not depend
 * on it, as the keychain is read once at sign-in.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../sync/server-process.js';

export interface HostProcess {
  /** The address the host printed, token included. */
  url: string;
  stop(): Promise<void>;
}

const startTimeoutMs = 60_000;
const stopTimeoutMs = 10_000;

export async function startHostProcess(options: {
  userDataDir: string;
  /** Where the throwaway keyring lives (removed by the caller). */
  keyringDir: string;
  defaultServerUrl: string;
}): Promise<HostProcess> {
  const host = [
    'dist/browser-host/cli.js',
    '--user-data-dir',
    options.userDataDir,
    '--port',
    '0',
    '--default-server-url',
    options.defaultServerUrl,
  ];
  const [command, args] = process.env.FLURFUNK_KEYRING_READY
    ? [process.execPath, host]
    : ['scripts/with-keyring.sh', [process.execPath, ...host]];
  // Its own process group: the host, D-Bus and gnome-keyring-daemon go together at the end.
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, FLURFUNK_KEYRING_DIR: options.keyringDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.on('exit', killOnExit);
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    if (stream) createInterface({ input: stream }).on('line', (line) => output.push(line));
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopGroup(child);
  };

  const printed = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/;
  for (let waited = 0; waited < startTimeoutMs && child.exitCode === null; waited += 100) {
    const url = output.map((line) => printed.exec(line)?.[1]).find((found) => found !== undefined);
    if (url !== undefined) return { url, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`the browser host did not print its address:\n${output.slice(-30).join('\n')}`);
}

/** Signals the child's process group (0: only asks whether any of it is left). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false; // the group is gone
  }
}

/** SIGTERM to the group (the host closes its core and exits), SIGKILL for whatever is left after a while. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (!signalGroup(child, 'SIGTERM')) return;
  for (let waited = 0; waited < stopTimeoutMs; waited += 100) {
    await sleep(100);
    if (!signalGroup(child, 0)) return;
  }
  signalGroup(child, 'SIGKILL');
}
