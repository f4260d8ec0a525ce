import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DirectoryPage, type Person, SyncPage } from '@flurfunk/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Queryable } from '../../../server/src/db/database.js';
import { openDatabase } from '../../../server/src/db/open.js';
import { runImportDirectory } from '../../../server/src/directory/import/command.js';
import { describeEachStorage, type TestServer, type TestStorage } from '../support/server-backends.js';
import { apiClient, demoPassword, signIn } from '../support/server-client.js';

const run = promisify(execFile);
/** On PGlite the server stops and starts again around each import: seconds each on 2 cores. */
const timeout = 120_000;
const fixtures = join(import.meta.dirname, '../../fixtures/import-directory');

interface ImportRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `import-directory` as an operator does (`npm run server -- import-directory …`). */
async function importWithCli(storage: TestStorage, file: string, ...flags: string[]): Promise<ImportRun> {
  const env = { ...process.env, DATABASE_URL: '', FLURFUNK_DATA_DIR: '' };
  if ('databaseUrl' in storage) env.DATABASE_URL = storage.databaseUrl;
  const where = 'dataDir' in storage ? ['--data-dir', storage.dataDir] : [];
  const args = ['--tsconfig', 'server/tsconfig.json', 'server/src/cli.ts', 'import-directory', file];
  try {
    const { stdout, stderr } = await run(
      'node_modules/.bin/tsx',
      [...args, ...flags, ...where, '--log-level', 'silent'],
      {
        env,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The command's own code in this process: what the CLI runs, without starting Node again. */
async function importInProcess(storage: TestStorage, file: string, ...flags: string[]): Promise<ImportRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...text: unknown[]) => void stdout.push(text.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...text: unknown[]) => void stderr.push(text.join(' ')));
  try {
    const code = await runImportDirectory({
      file,
      ...('databaseUrl' in storage ? { databaseUrl: storage.databaseUrl } : { dataDir: storage.dataDir }),
      logLevel: 'silent',
      dryRun: flags.includes('--dry-run'),
      deactivateMissing: flags.includes('--deactivate-missing'),
    });
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

interface LogPosition {
  people: number;
  changes: number;
  lastSeq: string;
}

describeEachStorage('import-directory', (backend) => {
  let storage: TestStorage;
  let server: TestServer | undefined;
  let workDir: string;
  let peopleCsv: string;

  /** PGlite allows one process per data directory: the CLI runs while the server is stopped. */
  const stopEmbeddedServer = async () => {
    if (server && 'dataDir' in storage) {
      await server.close();
      server = undefined;
    }
  };
  const cli = async (file: string, ...flags: string[]) => {
    await stopEmbeddedServer();
    return importWithCli(storage, file, ...flags);
  };
  const imported = async (file: string, ...flags: string[]) => {
    await stopEmbeddedServer();
    return importInProcess(storage, file, ...flags);
  };
  const api = async () => {
    server ??= await backend.start({ demo: true }, storage);
    return apiClient(server.url);
  };
  const inDatabase = async <T>(work: (db: Queryable) => Promise<T>): Promise<T> => {
    await stopEmbeddedServer();
    const db = await openDatabase(storage, pino({ level: 'silent' }));
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  };
  const logPosition = () =>
    inDatabase(async (db): Promise<LogPosition> => {
      const [row] = await db.query<LogPosition>(
        `SELECT (SELECT count(*)::int FROM persons) AS people,
                (SELECT count(*)::int FROM change_log) AS changes,
                (SELECT coalesce(max(seq), 0)::text FROM change_log) AS "lastSeq"`,
      );
      if (!row) throw new Error('no log position');
      return row;
    });
  const idOf = (username: string) =>
    inDatabase(async (db) => {
      const [row] = await db.query<{ id: string }>('SELECT id FROM persons WHERE username = $1', [username]);
      if (!row) throw new Error(`no ${username}`);
      return row.id;
    });
  const write = async (name: string, text: string) => {
    const path = join(workDir, name);
    await writeFile(path, text);
    return path;
  };
  const directory = async (): Promise<Person[]> => {
    const client = await api();
    const { accessToken } = await signIn(client, 'lena.weber');
    const response = await client.get('/api/v1/directory?limit=500', { token: accessToken });
    expect(response.status).toBe(200);
    return DirectoryPage.parse(response.body).people;
  };
  const login = async (username: string) =>
    (await api()).post('/api/v1/auth/login', {
      json: { username, password: demoPassword, deviceName: 'import test' },
    });

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'flurfunk-import-'));
    peopleCsv = join(fixtures, 'people.csv');
    server = await backend.start({ demo: true });
    storage = server.storage;
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  it(
    'creates people, org units with their parents and heads, locations and accounts',
    async () => {
      // A channel for everyone with the employee role: new accounts start it read, like any newcomer.
      const channel = { id: randomUUID(), messageId: randomUUID() };
      await inDatabase(async (db) => {
        await db.query(
          `INSERT INTO conversations (id, kind, title, audience, read_only) VALUES ($1, 'channel', $2, $3, false)`,
          [channel.id, 'Alle Beschäftigten', 'role:employee'],
        );
        await db.query(
          `INSERT INTO messages (id, conversation_id, author_id, body)
           SELECT $1, $2, id, 'Hallo zusammen' FROM persons WHERE username = 'lena.weber'`,
          [channel.messageId, channel.id],
        );
      });

      const { code, stdout } = await cli(peopleCsv);
      expect(code).toBe(0);
      expect(stdout).toContain(
        'Imported people.csv: created 5, updated 0, deactivated 0, reactivated 0, unchanged 0, units created 3, unit heads changed 0, locations created 1.',
      );
      expect(stdout).toContain(
        'New org units: Geschäftsführung / Digitalisierung, Geschäftsführung / Digitalisierung / Plattform, Geschäftsführung / Digitalisierung / Daten',
      );

      const stored = await inDatabase(async (db) => ({
        units: await db.query<{ name: string; parent: string; head: string | null }>(
          `SELECT u.name, parent.name AS parent, head.username AS head
           FROM org_units u JOIN org_units parent ON parent.id = u.parent_id
           LEFT JOIN persons head ON head.id = u.manager_id
          WHERE u.name IN ('Digitalisierung', 'Plattform', 'Daten') ORDER BY u.name`,
        ),
        accounts: await db.query<{ username: string; password_hash: string | null; roles: string[] }>(
          `SELECT p.username, a.password_hash, a.roles FROM accounts a JOIN persons p ON p.id = a.person_id
          WHERE p.username IN ('anna.schulte', 'carla.yilmaz')  ORDER BY p.username`,
        ),
        homeoffice: await db.query('SELECT kind, address FROM locations WHERE name = $1', ['Homeoffice']),
        readInChannel: await db.query<{ username: string }>(
          `SELECT p.username FROM conversation_settings s JOIN persons p ON p.id = s.person_id
            WHERE s.conversation_id = $1 AND s.last_read_message_id = $2 ORDER BY p.username`,
          [channel.id, channel.messageId],
        ),
      }));
      expect(stored.units).toEqual([
        { name: 'Daten', parent: 'Digitalisierung', head: null },
        { name: 'Digitalisierung', parent: 'Geschäftsführung', head: 'anna.schulte' },
        { name: 'Plattform', parent: 'Digitalisierung', head: 'bernd.krause' },
      ]);
      expect(stored.accounts).toEqual([
        { username: 'anna.schulte', password_hash: null, roles: ['employee'] },
        { username: 'carla.yilmaz', password_hash: null, roles: ['employee'] },
      ]);
      expect(stored.homeoffice).toEqual([{ kind: 'other', address: '' }]);
      expect(stored.readInChannel.map((row) => row.username)).toEqual([
        'anna.schulte',
        'bernd.krause',
        'carla.yilmaz',
        'dirk.otto',
        'emre.demir',
      ]);

      const people = await directory();
      const bernd = people.find((p) => p.username === 'bernd.krause');
      const carla = people.find((p) => p.username === 'carla.yilmaz');
      expect(carla).toMatchObject({
        displayName: 'Carla Yılmaz',
        title: 'Softwareentwicklerin',
        managerId: bernd?.id,
        orgUnitId: bernd?.orgUnitId,
        email: 'carla.yilmaz@brenner-maschinenbau.example',
        deactivated: false,
      });
      expect(people.find((p) => p.username === 'emre.demir')).toMatchObject({
        room: 'Halle 1, Büro 3',
        phone: '+49 5241 555-310',
      });
    },
    timeout,
  );

  it(
    'changes nothing when the same file comes again: no change-log rows',
    async () => {
      const before = await logPosition();
      const { stdout } = await imported(peopleCsv);
      expect(stdout).toContain(
        'created 0, updated 0, deactivated 0, reactivated 0, unchanged 5, units created 0, unit heads changed 0, locations created 0.',
      );
      expect(await logPosition()).toEqual(before);
    },
    timeout,
  );

  it(
    'updates only the people whose row changed',
    async () => {
      const before = await logPosition();
      const original = await readFile(peopleCsv, 'utf8');
      const edited = await write(
        'edited.csv',
        original.replace(';Softwareentwicklerin;', ';Senior-Softwareentwicklerin;'),
      );
      const { stdout } = await imported(edited);
      expect(stdout).toContain('created 0, updated 1, deactivated 0, reactivated 0, unchanged 4');

      const carlaId = await idOf('carla.yilmaz');
      const changed = await inDatabase((db) =>
        db.query<{ entity_type: string; entity_id: string }>(
          'SELECT DISTINCT entity_type, entity_id FROM change_log WHERE seq > $1',
          [before.lastSeq],
        ),
      );
      expect(changed).toEqual([{ entity_type: 'person', entity_id: carlaId }]);
      expect((await directory()).find((p) => p.id === carlaId)?.title).toBe('Senior-Softwareentwicklerin');
    },
    timeout,
  );

  it(
    'deactivates an inactive row (gone from the directory, cannot sign in, keeps the name) and reactivates an active one',
    async () => {
      const before = await logPosition();
      const client = await api();
      const jonasSession = await signIn(client, 'jonas.becker');
      const leaving = await write(
        'leaving.csv',
        'username;first_name;last_name;status\njonas.becker;Jonas;Becker;inaktiv\n',
      );

      const { stdout } = await imported(leaving);
      expect(stdout).toContain('created 0, updated 0, deactivated 1, reactivated 0, unchanged 0');
      expect((await directory()).map((p) => p.username)).not.toContain('jonas.becker');
      expect((await login('jonas.becker')).status).toBe(401);
      const refreshed = await (
        await api()
      ).post('/api/v1/auth/refresh', {
        json: { refreshToken: jonasSession.refreshToken },
      });
      expect(refreshed.status).toBe(401);
      // Colleagues' clients learn it with the names kept, so his messages keep their author.
      const changes = await (async () => {
        const { accessToken } = await signIn(await api(), 'lena.weber');
        const found: SyncPage['changes'] = [];
        let after = before.lastSeq;
        for (;;) {
          const response = await (
            await api()
          ).get(`/api/v1/sync?after=${after}&limit=1000`, { token: accessToken });
          const page = SyncPage.parse(response.body);
          found.push(...page.changes);
          after = page.cursor;
          if (!page.hasMore) return found;
        }
      })();
      const jonas = changes.findLast(
        (change) => change.type === 'person.upsert' && change.data.username === 'jonas.becker',
      );
      expect(jonas).toMatchObject({
        data: { displayName: 'Jonas Becker', deactivated: true, title: '', orgUnitId: null },
      });

      const back = await write(
        'back.csv',
        'username;first_name;last_name;status\njonas.becker;Jonas;Becker;aktiv\n',
      );
      expect((await imported(back)).stdout).toContain(
        'created 0, updated 0, deactivated 0, reactivated 1, unchanged 0',
      );
      expect((await directory()).map((p) => p.username)).toContain('jonas.becker');
      expect((await login('jonas.becker')).status).toBe(200);
      expect((await imported(back)).stdout).toContain('reactivated 0, unchanged 1');
    },
    timeout,
  );

  /** 200 new people below an existing unit, managed by the first of them. */
  const manyRows = (badLine?: number) => {
    const lines = ['Benutzername;Vorname;Nachname;Abteilung;Vorgesetzter;Eintrittsdatum'];
    for (let i = 1; lines.length < 201; i++) {
      const hiredOn = lines.length + 1 === badLine ? '31.02.2024' : '01.02.2024';
      const manager = i === 1 ? '' : 'import.person1';
      lines.push(`import.person${i};Person;Nummer ${i};Geschäftsführung / Produktion;${manager};${hiredOn}`);
    }
    return `${lines.join('\n')}\n`;
  };

  it(
    'writes nothing from a file with one bad row among many, and names its line and column',
    async () => {
      const before = await logPosition();
      const bad = await write('bad.csv', manyRows(150));
      const failure = await cli(bad);
      expect(failure.code).toBe(1);
      expect(failure.stdout).toBe('');
      expect(failure.stderr).toContain('bad.csv: 1 error, nothing was imported:');
      expect(failure.stderr).toContain(
        'line 150, column "Eintrittsdatum": "31.02.2024" is not a date (write YYYY-MM-DD or DD.MM.YYYY)',
      );
      expect(await logPosition()).toEqual(before);
    },
    timeout,
  );

  it(
    '--dry-run says what would change and writes nothing',
    async () => {
      const before = await logPosition();
      const good = await write('good.csv', manyRows());
      const { stdout } = await imported(good, '--dry-run');
      expect(stdout).toContain(
        'Dry run of good.csv, nothing was written. The import would change: created 200, updated 0',
      );
      expect(await logPosition()).toEqual(before);
    },
    timeout,
  );

  it(
    'takes the JSON variant, naming JSON paths in its errors',
    async () => {
      const { stdout } = await imported(join(fixtures, 'people.json'));
      expect(stdout).toContain(
        'created 1, updated 1, deactivated 0, reactivated 0, unchanged 0, units created 1',
      );
      const people = await directory();
      expect(people.find((p) => p.username === 'anna.schulte')?.phone).toBe('+49 521 555-2199');
      expect(people.find((p) => p.username === 'frieda.lang')).toMatchObject({
        displayName: 'Frieda Lang-Hoffmann',
        managerId: people.find((p) => p.username === 'emre.demir')?.id,
      });

      const broken = await write(
        'broken.json',
        JSON.stringify({ people: [{ username: 'x', hiredOn: '2024-13-01' }] }),
      );
      expect(await imported(broken)).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('people[0].hiredOn: "2024-13-01" is not a date'),
      });
    },
    timeout,
  );

  it(
    '--deactivate-missing deactivates everyone not in the file, but never every admin',
    async () => {
      expect(await imported(peopleCsv, '--deactivate-missing', '--dry-run')).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('the import would deactivate every admin (admin)'),
      });
      const original = await readFile(peopleCsv, 'utf8');
      const withAdmin = await write('with-admin.csv', `${original}admin;;;;;;;;;;;;;aktiv\r\n`);
      const active = await inDatabase(async (db) => {
        const [row] = await db.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM persons WHERE deactivated_at IS NULL',
        );
        return row?.count ?? 0;
      });
      const { stdout } = await imported(withAdmin, '--deactivate-missing', '--dry-run');
      expect(stdout).toContain(`deactivated ${active - 6}, reactivated 0`);
      expect(stdout).toMatch(/Deactivated as not in the file: [a-z.-]+, .*, and \d+ more$/m);
    },
    timeout,
  );
});
