/**
 * `sync.messageLatency.*`: how long a message takes from one user's client to another's cache,
 * through the server on loopback: client A's `sendMessage` (optimistic row + outbox), the outbox
 * POST, the commit, the live notice to client B, B's pull and B's cache write, until B's core
 * announces the message in a `dataChanged` event. Messages go one after another.
 *
 * Baseline: the bare HTTP round trip of the same mutation POST with `fetch`, no client core.
 */
import { report } from '../harness.js';
import { messageArrivals, openBenchCore, signInAndSync } from './bench-core.js';
import { note, syncBenchSizes } from './bench-env.js';
import { withResources } from './resources.js';
import { type StorageName, newServerStorage, syncFigure } from './server-storage.js';
import { postMutations, sendMessageMutation, tokenMinter } from './server-api.js';
import {
  createGroups,
  insertDevices,
  personIdOf,
  seedCompany,
  withServerDatabase,
} from './server-database.js';
import { newJwtSecret, startServerProcess } from './server-process.js';
import { nowMs, percentile } from './stats.js';

/** The demo company's default size: latency does not depend on the directory. */
const companySize = 300;
/** Sent first and not counted, so the JIT and the caches are warm. */
const warmup = 20;
const arrivalTimeoutMs = 10_000;

export async function runMessageLatencyBenchmark(storageName: StorageName): Promise<void> {
  const count = syncBenchSizes.latencyMessages;
  await withResources(async (resources) => {
    const storage = await newServerStorage(resources, storageName, 'latency');
    const jwtSecret = newJwtSecret();
    const seeded = await withServerDatabase(storage, async (db) => {
      await seedCompany(db, companySize);
      const lena = await personIdOf(db, 'lena.weber');
      const jonas = await personIdOf(db, 'jonas.becker');
      const [group] = await createGroups(db, { count: 1, memberIds: [lena, jonas], title: 'Schnell' });
      const devices = await insertDevices(db, [lena]);
      return { lena, group: group ?? '', lenaDevice: devices.get(lena) ?? '' };
    });
    const server = await startServerProcess({ storage, jwtSecret });
    resources.hold('the server', server, (s) => s.stop());

    const sender = await openBenchCore(resources, await resources.tempDir('latency-a'));
    const receiver = await openBenchCore(resources, await resources.tempDir('latency-b'));
    await signInAndSync(sender, server.url, 'lena.weber');
    await signInAndSync(receiver, server.url, 'jonas.becker');
    const arrivals = messageArrivals(receiver, nowMs);

    note(`message latency (${storageName}): ${count} messages from one client to another`);
    const latencies: number[] = [];
    for (let i = 0; i < warmup + count; i++) {
      const start = nowMs();
      const sent = await sender.call('sendMessage', { conversationId: seeded.group, body: `Nachricht ${i}` });
      const arrived = await arrivals.waitFor(sent.id, arrivalTimeoutMs);
      if (i >= warmup) latencies.push(arrived - start);
    }
    await sender.close();
    await receiver.close();

    note(`message latency: baseline (${count} bare mutation POSTs)`);
    const token = await tokenMinter(jwtSecret)({
      personId: seeded.lena,
      deviceId: seeded.lenaDevice,
      roles: ['employee'],
    });
    const roundTrips: number[] = [];
    for (let i = 0; i < warmup + count; i++) {
      const mutation = sendMessageMutation(seeded.group, `Nachricht ${i}`);
      const start = nowMs();
      await postMutations(server.url, token, [mutation]);
      if (i >= warmup) roundTrips.push(nowMs() - start);
    }
    report(
      syncFigure(storage, 'messageLatency.p50'),
      'ms',
      percentile(latencies, 50),
      percentile(roundTrips, 50),
    );
    report(
      syncFigure(storage, 'messageLatency.p99'),
      'ms',
      percentile(latencies, 99),
      percentile(roundTrips, 99),
    );
  });
}
