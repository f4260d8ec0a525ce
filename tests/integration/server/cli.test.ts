import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/src/db/open.js';
import { readLogPosition } from '../../../server/src/sync/log-position.js';
import { describeEachStorage, type TestStorage } from '../support/server-backends.js';

const run = promisify(execFile);

/** Runs the server CLI as an operator does (`npm run server -- …`). */
function cli(args: string[], storage?: TestStorage) {
  const env = { ...process.env, DATABASE_URL: '', FLURFUNK_DATA_DIR: '' };
  if (storage && 'databaseUrl' in storage) env.DATABASE_URL = storage.databaseUrl;
  const where = storage && 'dataDir' in storage ? ['--data-dir', storage.dataDir] : [];
  return run(
    'node_modules/.bin/tsx',
    ['--tsconfig', 'server/tsconfig.json', 'server/src/cli.ts', ...args, ...where, '--log-level', 'silent'],
    { env },
  );
}

async function epochOf(storage: TestStorage): Promise<string> {
  const db = await openDatabase(storage, pino({ level: 'silent' }));
  try {
    return (await readLogPosition(db)).epoch;
  } finally {
    await db.close();
  }
}

/** Each CLI run compiles the server with tsx and opens the database: slow on a busy machine. */
const cliTestTimeoutMs = 90_000;

describeEachStorage('server CLI', (backend) => {
  it(
    'rotate-sync-epoch gives a served database a new sync epoch, and refuses a place without one',
    { timeout: cliTestTimeoutMs },
    async () => {
      const server = await backend.start();
      await server.close();
      const before = await epochOf(server.storage);

      const { stdout } = await cli(['rotate-sync-epoch'], server.storage);
      const after = await epochOf(server.storage);
      expect(after).not.toBe(before);
      expect(stdout).toContain(`New sync epoch ${after}`);

      const empty = await backend.newStorage();
      await expect(cli(['rotate-sync-epoch'], empty)).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/no Flurfunk database|no sync epoch/),
      });
    },
  );
});

describe('server CLI help', () => {
  it('documents the proxy and backup-restore options in --help', async () => {
    const { stdout } = await cli(['--help']);
    expect(stdout).toMatch(/--trust-proxy/);
    expect(stdout).toMatch(/FLURFUNK_TRUST_PROXY/);
    expect(stdout).toMatch(/rotate-sync-epoch/);
  });
});
