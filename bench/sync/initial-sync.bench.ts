/**
 * `sync.initial.*`: a new device signs in to a large company and pulls everything it may see, the
 * whole directory plus a long chat history, until its cache is complete. Newsfeed posts are not
 * seeded here yet (the feed suite measures a cache of 10,000 of them); a company's posts belong in
 * this sync too, once the seeding covers them.
 *
 * Baselines: the time to read the same rows straight from the server's database and store them
 * with the core's stores in one transaction; and for the bytes, the same entities as one compact
 * JSON array, so the ratio is the protocol's overhead (envelopes, paging, HTTP headers).
 *
 * The server runs as its own process (server-process.ts), as in production, so the client's and
 * the server's work do not share one event loop; the bytes are counted on the wire by a TCP relay
 * between them (byte-counter.ts).
 */
import path from 'node:path';
import { report } from '../harness.js';
import { openBenchCore, openClosedCache, signInAndSync } from './bench-core.js';
import { note, syncBenchSizes } from './bench-env.js';
import { startByteCounter } from './byte-counter.js';
import { applyInOneTransaction, openFreshCache, readVisibleState } from './direct-apply.js';
import { withResources } from './resources.js';
import { type StorageName, newServerStorage, syncFigure } from './server-storage.js';
import {
  createGroups,
  insertMessages,
  personIdOf,
  seedCompany,
  withServerDatabase,
} from './server-database.js';
import { newJwtSecret, startServerProcess } from './server-process.js';
import { settleDisk } from './settle-disk.js';
import { nowMs } from './stats.js';

/** The user's chat history lives in a few busy groups. */
const groupCount = 4;

export async function runInitialSyncBenchmark(storageName: StorageName): Promise<void> {
  const { people, messages } = syncBenchSizes;
  await withResources(async (resources) => {
    const storage = await newServerStorage(resources, storageName, 'initial');
    note(`initial sync (${storageName}): seeding ${people} people and ${messages} messages`);
    const direct = await withServerDatabase(storage, async (db) => {
      await seedCompany(db, people);
      const lena = await personIdOf(db, 'lena.weber');
      const members = [await personIdOf(db, 'jonas.becker'), lena, await personIdOf(db, 'petra.koch')];
      const groups = await createGroups(db, {
        count: groupCount,
        memberIds: members,
        title: 'Schichtgruppe',
      });
      await insertMessages(db, { conversationIds: groups, authorIds: members, total: messages });

      note('initial sync: baseline (read the rows from the server database, store them directly)');
      await settleDisk();
      const cacheDir = await resources.tempDir('initial-direct');
      const start = nowMs();
      const state = await readVisibleState(db, lena);
      const cache = openFreshCache(path.join(cacheDir, 'cache.db'));
      try {
        applyInOneTransaction(cache, { epoch: 'direct', ...state }, { kind: 'main', after: '0' });
      } finally {
        cache.close();
      }
      const ms = nowMs() - start;
      const payloads = state.changes.map((change) => ('data' in change ? change.data : null));
      return {
        ms,
        rows: state.changes.length,
        messages: state.changes.filter((change) => change.type === 'message.upsert').length,
        bytes: Buffer.byteLength(JSON.stringify(payloads)),
      };
    });

    const server = await startServerProcess({ storage, jwtSecret: newJwtSecret() });
    resources.hold('the server', server, (s) => s.stop());
    const counter = await startByteCounter(server.url);
    resources.hold('the byte counter', counter, (c) => c.close());
    const client = await openBenchCore(resources, await resources.tempDir('initial-client'));

    note(`initial sync: a new client signs in and pulls ${direct.rows} entities`);
    await settleDisk();
    const start = nowMs();
    await signInAndSync(client, counter.url, 'lena.weber');
    const ms = nowMs() - start;
    const received = counter.received;
    await client.close();

    const cache = await openClosedCache(client, counter.url, 'lena.weber');
    const cached = cache.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    cache.close();
    if (cached !== direct.messages) {
      throw new Error(`the client cached ${cached} messages, expected ${direct.messages}`);
    }
    note(`initial sync: ${received} bytes from the server, ${counter.sent} to it`);
    report(syncFigure(storage, 'initial.wallTime'), 'ms', ms, direct.ms);
    report(syncFigure(storage, 'initial.bytes'), 'bytes', received, direct.bytes);
  });
}
