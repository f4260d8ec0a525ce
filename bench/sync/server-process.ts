/**
 * The company server in a child process, started like an operator starts it (the CLI), so its
 * event loop, heap and RSS are its own: the client side of a benchmark runs in this process and
 * must neither slow the server down nor be counted in its memory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gcDoneMarker } from './gc-on-signal.js';
import type { ServerStorage } from './server-storage.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  pid: number;
  /**
   * After a full garbage collection: the resident set size (VmRSS from /proc) and what V8 counts
   * as in use (heap plus external memory such as buffers and PGlite's WebAssembly memory).
   */
  settledMemory(): Promise<{ rssBytes: number; heapBytes: number }>;
  stop(): Promise<void>;
}

/** A random access-token key (FLURFUNK_JWT_SECRET), so the benchmark can mint tokens itself. */
export function newJwtSecret(): string {
  return randomBytes(32).toString('base64');
}

const startTimeoutMs = 120_000;
const stopTimeoutMs = 10_000;

/**
 * Runs `server/src/cli.ts` under tsx's loader in a plain `node` child (not `npx tsx`, whose
 * wrapper processes would stand between us and the server's pid, and own the RSS we read).
 */
export function startServerProcess(options: {
  storage: ServerStorage;
  jwtSecret: string;
  /** Default: any free one. A restarted server takes its old port, so clients find it again. */
  port?: number;
}): Promise<ServerProcess> {
  const { location } = options.storage;
  const args = ['--port', String(options.port ?? 0), '--log-level', 'silent'];
  if ('dataDir' in location) args.push('--data-dir', location.dataDir);
  return startListeningChild('server/src/cli.ts', args, {
    TSX_TSCONFIG_PATH: 'server/tsconfig.json',
    FLURFUNK_JWT_SECRET: options.jwtSecret,
    // Also set for PGlite, so a DATABASE_URL of the caller's shell cannot take its place.
    DATABASE_URL: 'databaseUrl' in location ? location.databaseUrl : '',
  });
}

/**
 * Runs a TypeScript entry of this repository in a child `node` and resolves once it printed
 * `listening on <url>`.
 */
export function startListeningChild(
  entry: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  // BENCH_SERVER_CPU_PROFILE=<dir>: the child writes a V8 CPU profile there when it exits.
  const profileDir = process.env.BENCH_SERVER_CPU_PROFILE;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const preload = ['--expose-gc', ...profile, '--import', 'tsx', '--import', './bench/sync/gc-on-signal.ts'];
  const child = spawn(process.execPath, [...preload, entry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Whatever happens to this process, the child must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  let stderr = '';
  const gcWaiters: Array<(heapBytes: number) => void> = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    const gcDone = new RegExp(`${gcDoneMarker} (\\d+)\\n`).exec(text);
    if (gcDone) gcWaiters.splice(0).forEach((done) => done(Number(gcDone[1])));
    stderr = (stderr + text).slice(-4000);
  });
  const settledMemory = async () => {
    const heapBytes = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${entry} did not answer the GC request`)), 10_000);
      gcWaiters.push((bytes) => {
        clearTimeout(timer);
        resolve(bytes);
      });
      child.kill('SIGUSR2');
    });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the allocator returns pages lazily
    return { rssBytes: rssOf(child.pid ?? 0), heapBytes };
  };

  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
  };

  return new Promise<ServerProcess>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error(`${entry} did not start in time`)), startTimeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stop().finally(() => reject(new Error(`${error.message}\n${stderr}`)));
    };
    const exitedEarly = (code: number | null) =>
      fail(new Error(`${entry} exited with ${code} before it listened`));
    child.once('exit', exitedEarly);
    const listening = (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      child.stdout?.off('data', listening);
      child.stdout?.resume(); // later output is not read, but must not fill the pipe
      resolve({ url: match[1], pid: child.pid ?? 0, settledMemory, stop });
    };
    child.stdout?.on('data', listening);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}

/** VmRSS of a process in bytes. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
