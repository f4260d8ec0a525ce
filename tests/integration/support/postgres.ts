/**
 * A throwaway PostgreSQL cluster for integration tests: initdb into a temp dir, listen on a free
 * loopback port (and a unix socket in the same dir), stop and delete on `stop()`.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user via runuser.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const superuser = 'flurfunk';

export interface PostgresCluster {
  /** URL of the cluster's default database `flurfunk`. */
  databaseUrl: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The directory with initdb/pg_ctl: $PG_BIN_DIR or Debian's newest /usr/lib/postgresql/<v>/bin. */
export function postgresBinDir(): string | null {
  const candidates = [
    process.env.PG_BIN_DIR,
    ...[17, 16, 15, 14, 13].map((version) => `/usr/lib/postgresql/${version}/bin`),
  ];
  return (
    candidates.find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ??
    null
  );
}

export const postgresMissingMessage =
  'PostgreSQL server binaries not found (install the Debian package "postgresql" or set PG_BIN_DIR)';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * `durable`: commits wait for the disk as in production (benchmarks). Tests leave it off: a
 * cluster deleted after the run has no use for durability.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error(postgresMissingMessage);
  const asRoot = process.getuid?.() === 0;
  const pgCommand = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(binDir, tool), ...args])
      : run(join(binDir, tool), args);

  const dir = await mkdtemp(join(tmpdir(), 'flurfunk-pg-'));
  const dataDir = join(dir, 'data');
  if (asRoot) {
    await run('chown', ['postgres:postgres', dir]);
    await chmod(dir, 0o700);
  }
  try {
    await pgCommand('initdb', [
      '-D',
      dataDir,
      '-U',
      superuser,
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    const port = await freePort();
    const serverOptions = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ].join(' ');
    await pgCommand('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      join(dir, 'server.log'),
      '-o',
      serverOptions,
      '-w',
      '-t',
      '60',
      'start',
    ]);

    const urlFor = (database: string) => `postgresql://${superuser}@127.0.0.1:${port}/${database}`;
    const admin = new pg.Client({ connectionString: urlFor('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${superuser}`);
    return {
      databaseUrl: urlFor(superuser),
      async createDatabase(name) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
        await admin.query(`CREATE DATABASE ${name}`);
        return urlFor(name);
      },
      async stop() {
        await admin.end().catch(() => undefined);
        await pgCommand('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await pgCommand('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`could not start a throwaway PostgreSQL: ${reason}`, { cause: error });
  }
}
