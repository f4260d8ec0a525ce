/**
 * `sync.catchUp`: a client that was closed while its chats went on (thousands of messages across
 * hundreds of conversations) is started again and pulls what it missed. Measured from starting
 * the core (restoring the session, opening the cache) until the cache is current: what a user
 * waits for in the morning.
 *
 * Baseline: opening a copy of the same cache and storing the same changes, already in memory,
 * with the core's stores in one transaction.
 */
import { copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { readCursor } from '../../electron/core/sync/sync-state.js';
import { report } from '../harness.js';
import { cacheFileOf, openBenchCore, openClosedCache, signInAndSync, syncUntilIdle } from './bench-core.js';
import { note, syncBenchSizes } from './bench-env.js';
import { applyInOneTransaction } from './direct-apply.js';
import { withResources } from './resources.js';
import { type StorageName, newServerStorage, syncFigure } from './server-storage.js';
import { pullChanges, tokenMinter } from './server-api.js';
import {
  createGroups,
  insertDevices,
  insertMessages,
  personIdOf,
  seedCompany,
  somePeople,
  withServerDatabase,
} from './server-database.js';
import { newJwtSecret, startServerProcess } from './server-process.js';
import { nowMs } from './stats.js';

export async function runCatchUpBenchmark(storageName: StorageName): Promise<void> {
  const { people, catchUpChanges, catchUpConversations } = syncBenchSizes;
  await withResources(async (resources) => {
    const storage = await newServerStorage(resources, storageName, 'catchup');
    const jwtSecret = newJwtSecret();
    note(`catch-up (${storageName}): seeding ${people} people and ${catchUpConversations} groups`);
    const seeded = await withServerDatabase(storage, async (db) => {
      await seedCompany(db, people);
      const lena = await personIdOf(db, 'lena.weber');
      const jonas = await personIdOf(db, 'jonas.becker');
      const colleagues = (await somePeople(db, 3))
        .map((p) => p.id)
        .filter((id) => id !== lena && id !== jonas);
      const groups = await createGroups(db, {
        count: catchUpConversations,
        memberIds: [jonas, lena, ...colleagues.slice(0, 2)],
        title: 'Projekt',
      });
      const devices = await insertDevices(db, [lena, jonas]);
      return { lena, jonas, groups, devices };
    });
    const server = await startServerProcess({ storage, jwtSecret });
    resources.hold('the server', server, (s) => s.stop());
    const serverUrl = server.url;
    const mint = tokenMinter(jwtSecret);
    const tokenOf = (personId: string) =>
      mint({ personId, deviceId: seeded.devices.get(personId) ?? '', roles: ['employee'] });

    note('catch-up: the client signs in and syncs');
    const clientDir = await resources.tempDir('catchup-client');
    const first = await openBenchCore(resources, clientDir);
    await signInAndSync(first, serverUrl, 'lena.weber');
    await first.close();

    // Written straight into the database while the server is down: the change log ends up as
    // the server's own writes leave it (one row per message in its chat scope), and it takes a
    // second instead of a minute of mutation requests.
    note(`catch-up: ${catchUpChanges} messages are written while the client is closed`);
    await server.stop();
    await withServerDatabase(storage, (db) =>
      insertMessages(db, {
        conversationIds: seeded.groups,
        authorIds: [seeded.jonas],
        total: catchUpChanges,
      }),
    );
    const restarted = await startServerProcess({
      storage,
      jwtSecret,
      port: Number(new URL(serverUrl).port),
    });
    resources.hold('the restarted server', restarted, (s) => s.stop());

    // The cache as the closed client left it, copied for the baseline, and its position.
    const before = await openClosedCache(first, serverUrl, 'lena.weber');
    const cursor = readCursor(before);
    const messagesBefore = before.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    before.close();
    const copyDir = await resources.tempDir('catchup-direct');
    const original = await cacheFileOf(clientDir);
    for (const name of await readdir(path.dirname(original))) {
      if (name.startsWith(path.basename(original))) {
        await copyFile(path.join(path.dirname(original), name), path.join(copyDir, name));
      }
    }
    const missed = await pullChanges(serverUrl, await tokenOf(seeded.lena), cursor);
    if (missed.changes.length !== catchUpChanges) {
      throw new Error(`the client missed ${missed.changes.length} changes, expected ${catchUpChanges}`);
    }

    note('catch-up: baseline (open a copy of the cache, store the changes directly)');
    const copy = path.join(copyDir, path.basename(original));
    const directStart = nowMs();
    const direct = await openClosedCache(first, serverUrl, 'lena.weber', copy);
    try {
      applyInOneTransaction(direct, missed, { kind: 'main', after: cursor });
    } finally {
      direct.close();
    }
    const directMs = nowMs() - directStart;

    note('catch-up: the client starts again and syncs');
    const start = nowMs();
    const again = await openBenchCore(resources, clientDir, first.vault);
    const restoredMs = nowMs() - start;
    await syncUntilIdle(again);
    const ms = nowMs() - start;
    note(
      `catch-up: the core was started after ${restoredMs.toFixed(0)} ms, current after ${ms.toFixed(0)} ms`,
    );
    await again.close();

    const after = await openClosedCache(again, serverUrl, 'lena.weber');
    const cached = after.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    after.close();
    if (cached !== messagesBefore + catchUpChanges) {
      throw new Error(
        `the client cached ${cached - messagesBefore} new messages, expected ${catchUpChanges}`,
      );
    }
    report(syncFigure(storage, 'catchUp'), 'ms', ms, directMs);
  });
}
