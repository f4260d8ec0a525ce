/**
 * Runs the server test suites against both storage paths: embedded PGlite in a temp dir and a
 * real PostgreSQL started for the test file. Without PostgreSQL binaries the PostgreSQL variant
 * fails with a message that says what to install (scripts/setup-debian.sh installs them).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, type ServerOptions, startServer } from '@flurfunk/server';
import { afterAll, describe } from 'vitest';
import { newPgliteDataDir } from './pglite-data-dir.js';
import { type PostgresCluster, startPostgres } from './postgres.js';

export type StorageName = 'pglite' | 'postgresql';

/** Where a server keeps its data; reuse it to restart a server on the same data. */
export type TestStorage = ({ dataDir: string } | { databaseUrl: string }) & { filesDir: string };

export interface TestBackend {
  name: StorageName;
  newStorage(): Promise<TestStorage>;
  /** Starts the real server on a random loopback port; closed after the file's tests. */
  start(
    options?: Omit<ServerOptions, 'dataDir' | 'databaseUrl' | 'filesDir'>,
    storage?: TestStorage,
  ): Promise<TestServer>;
}

export interface TestServer extends RunningServer {
  storage: TestStorage;
}

function createBackend(name: StorageName): TestBackend & { dispose(): Promise<void> } {
  const tempDirs: string[] = [];
  const servers: RunningServer[] = [];
  let cluster: Promise<PostgresCluster> | undefined;
  let databases = 0;

  const newStorage = async (): Promise<TestStorage> => {
    const filesDir = await mkdtemp(join(tmpdir(), 'flurfunk-server-files-'));
    tempDirs.push(filesDir);
    if (name === 'pglite') {
      const dataDir = await newPgliteDataDir();
      tempDirs.push(dataDir);
      return { dataDir, filesDir };
    }
    cluster ??= startPostgres();
    databases += 1;
    return { databaseUrl: await (await cluster).createDatabase(`flurfunk_test_${databases}`), filesDir };
  };

  return {
    name,
    newStorage,
    async start(options = {}, storage) {
      const where = storage ?? (await newStorage());
      const server = await startServer({
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        ...options,
        ...where,
      });
      servers.push(server);
      return { url: server.url, close: () => server.close(), storage: where };
    },
    async dispose() {
      await Promise.all(servers.map((server) => server.close()));
      if (cluster) await (await cluster).stop();
      await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

export function describeEachStorage(title: string, suite: (backend: TestBackend) => void): void {
  for (const name of ['pglite', 'postgresql'] as const) describeWithStorage(name, title, suite);
}

/** For behaviour of the server's own code that no SQL takes part in: one storage shows it. */
export function describeWithStorage(
  name: StorageName,
  title: string,
  suite: (backend: TestBackend) => void,
): void {
  describe(`${title} (${name})`, () => {
    const backend = createBackend(name);
    afterAll(() => backend.dispose());
    suite(backend);
  });
}
