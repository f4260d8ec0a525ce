/**
 * `sync.fanout.*`: one server holding thousands of live sockets, one message to a large group.
 *
 * - `sync.fanout.p95`: from the POST of the message until each member's socket got a `changes`
 *   frame announcing its seq, 95th percentile over every member and several messages. Baseline:
 *   the same latency with a single connected member on the same server.
 * - `sync.fanout.nonMemberNotices`: non-member sockets that were told about the message (must be
 *   0); its baseline is the number of non-member sockets, so the ratio is the share that leaked.
 * - `sync.fanout.memoryPerConnection`: the server's RSS (VmRSS) with every socket connected minus
 *   before, per socket. Baseline: the server's RSS before, also per socket, so the ratio is how
 *   much holding the sockets adds to what the server needs anyway (0.05 = 5 % more). A bare
 *   WebSocket server is no usable reference for RSS: at a few KiB per socket its RSS barely moves,
 *   since V8 reuses pages it already holds (measured between 0 and 8 KiB per socket in repeated runs).
 * - `sync.fanout.heapPerConnection`: what V8 accounts for (heap plus external memory) with every
 *   socket connected minus before, per socket, which is exact where RSS is coarse. Baseline: the
 *   same for a bare `ws` server holding the same sockets (bare-live-server.ts), so the ratio is
 *   what Flurfunk's live layer (Fastify upgrade, token check, scopes, presence, coalescing state)
 *   costs on top of the WebSocket itself.
 *
 * Memory is read after forced garbage collections (gc-on-signal.ts) once readings a second apart
 * agree, and only for a second round of connections: the first round warms the code and makes the
 * server give back start-up memory, which would otherwise fall into the measurement.
 *
 * The server runs in its own process; the sockets all live in this one, so the members' receive
 * times include this process working through up to a thousand frames in a row: the figure is an
 * upper bound of what separate machines would see.
 */
import { report } from '../harness.js';
import { note, syncBenchSizes } from './bench-env.js';
import { type LiveSocket, openLiveSocket, openLiveSockets } from './live-sockets.js';
import { type Resources, withResources } from './resources.js';
import { type StorageName, newServerStorage, syncFigure } from './server-storage.js';
import { postMutations, sendMessageMutation, tokenMinter } from './server-api.js';
import {
  createGroups,
  insertDevices,
  seedCompany,
  somePeople,
  withServerDatabase,
} from './server-database.js';
import {
  type ServerProcess,
  newJwtSecret,
  startListeningChild,
  startServerProcess,
} from './server-process.js';
import { nowMs, percentile, sleep } from './stats.js';

const baselineMessages = 30;
/** Sent first and not counted, so the JIT and the caches are warm. */
const warmupMessages = 5;
const fanoutMessages = 5;
/** Longer than the live hub's coalescing window, so every message gets its own frame. */
const pauseBetweenMessagesMs = 250;
const deliveryTimeoutMs = 15_000;
/** How long non-members are watched for a frame they must not get. */
const leakWatchMs = 500;
/** Lets connection set-up work (scope reads, presence) finish before memory is read. */
const settleMs = 1_000;
const steadyReadingsAtMost = 15;

export async function runFanoutBenchmark(storageName: StorageName): Promise<void> {
  const clients = syncBenchSizes.fanoutClients;
  const groupSize = Math.max(1, Math.ceil(clients / 2));
  await withResources(async (resources) => {
    const storage = await newServerStorage(resources, storageName, 'fanout');
    const jwtSecret = newJwtSecret();
    note(`fanout (${storageName}): seeding ${clients} people with a device each and a group of ${groupSize}`);
    const seeded = await withServerDatabase(storage, async (db) => {
      await seedCompany(db, Math.max(clients, 300));
      const people = await somePeople(db, clients);
      const [group] = await createGroups(db, {
        count: 1,
        memberIds: people.slice(0, groupSize).map((p) => p.id),
        title: 'Alle Schichten',
      });
      const devices = await insertDevices(
        db,
        people.map((p) => p.id),
      );
      return { people, group: group ?? '', devices };
    });
    const server = await startServerProcess({ storage, jwtSecret });
    resources.hold('the server', server, (s) => s.stop());
    const mint = tokenMinter(jwtSecret);
    const tokens = await Promise.all(
      seeded.people.map((p) =>
        mint({ personId: p.id, deviceId: seeded.devices.get(p.id) ?? '', roles: p.roles }),
      ),
    );
    const authorToken = tokens[0] ?? '';
    const send = async (i: number) => {
      const start = nowMs();
      const [result] = await postMutations(server.url, authorToken, [
        sendMessageMutation(seeded.group, `Durchsage ${i}`),
      ]);
      if (!result?.seq) throw new Error('the message got no seq');
      return { start, answeredAfter: nowMs() - start, seq: BigInt(result.seq) };
    };

    note(`fanout: baseline (${baselineMessages} messages to one connected member)`);
    const single = await openLiveSocket(server.url, tokens[Math.min(1, groupSize - 1)] ?? '', nowMs);
    const singleLatencies: number[] = [];
    const singleAnswers: number[] = [];
    try {
      for (let i = 0; i < warmupMessages + baselineMessages; i++) {
        const { start, answeredAfter, seq } = await send(i);
        const [latency] = await deliveries([single], seq, start);
        if (latency === undefined) throw new Error('the single member never heard of the message');
        if (i >= warmupMessages) {
          singleLatencies.push(latency);
          singleAnswers.push(answeredAfter);
        }
        await sleep(pauseBetweenMessagesMs);
      }
    } finally {
      single.close();
    }

    note(`fanout: connecting ${clients} live sockets`);
    const { sockets, perSocket, connectMs, idleRss } = await connectMeasuringMemory(server, tokens);
    resources.hold('the live sockets', sockets, (all) => all.forEach((socket) => socket.close()));
    note(
      `fanout: connected in ${(connectMs.cold / 1000).toFixed(1)} s (again, warm: ${(connectMs.warm / 1000).toFixed(1)} s); ` +
        `${kib(perSocket.rss)} KiB RSS, ${kib(perSocket.heap)} KiB V8 heap+external per socket ` +
        `(idle RSS ${(idleRss / 1024 / 1024).toFixed(1)} MiB)`,
    );

    const members = sockets.slice(0, groupSize);
    const nonMembers = sockets.slice(groupSize);
    const latencies: number[] = [];
    const answers: number[] = [];
    let missed = 0;
    let leaked = 0;
    for (let i = 0; i < fanoutMessages; i++) {
      await sleep(pauseBetweenMessagesMs);
      const { start, answeredAfter, seq } = await send(i);
      answers.push(answeredAfter);
      const heard = await deliveries(members, seq, start);
      for (const latency of heard) if (latency === undefined) missed++;
      latencies.push(...heard.filter((latency): latency is number => latency !== undefined));
      await sleep(leakWatchMs);
      leaked += nonMembers.filter((socket) => socket.heardOf(seq) !== undefined).length;
    }
    for (const socket of sockets) socket.close();
    if (missed > 0) note(`fanout: ${missed} member notices did not arrive within ${deliveryTimeoutMs} ms`);
    note(`fanout: ${leaked} notices reached non-members`);
    const spread = (samples: number[]) =>
      `min ${Math.min(...samples).toFixed(1)} / p50 ${percentile(samples, 50).toFixed(1)} / max ${Math.max(...samples).toFixed(1)} ms`;
    note(
      `fanout: one member alone heard after ${spread(singleLatencies)}; POST answered after ${spread(singleAnswers)}`,
    );
    note(
      `fanout: ${groupSize} members heard after ${spread(latencies)}; the POST was answered after ${spread(answers)}`,
    );

    const bare = await bareSocketMemory(resources, clients);
    note(
      `fanout: a bare ws server: ${kib(bare.rss)} KiB RSS, ${kib(bare.heap)} KiB V8 heap+external per socket`,
    );
    report(
      syncFigure(storage, 'fanout.p95'),
      'ms',
      percentile(latencies, 95),
      percentile(singleLatencies, 95),
    );
    report(
      syncFigure(storage, 'fanout.nonMemberNotices'),
      'sockets',
      leaked,
      nonMembers.length * fanoutMessages,
    );
    report(syncFigure(storage, 'fanout.memoryPerConnection'), 'bytes', perSocket.rss, idleRss / clients);
    report(syncFigure(storage, 'fanout.heapPerConnection'), 'bytes', perSocket.heap, bare.heap);
  });
}

/** Per socket: ms from `start` until it heard of `seq`, or undefined if it did not in time. */
async function deliveries(sockets: readonly LiveSocket[], seq: bigint, start: number) {
  const deadline = nowMs() + deliveryTimeoutMs;
  while (nowMs() < deadline && sockets.some((socket) => socket.heardOf(seq) === undefined)) await sleep(5);
  return sockets.map((socket) => {
    const at = socket.heardOf(seq);
    return at === undefined ? undefined : at - start;
  });
}

/** Memory per socket of a bare `ws` server holding `count` sockets, measured the same way. */
async function bareSocketMemory(resources: Resources, count: number) {
  const bare = await startListeningChild('bench/sync/bare-live-server.ts', []);
  resources.hold('the bare live server', bare, (s) => s.stop());
  const { sockets, perSocket } = await connectMeasuringMemory(bare, new Array<string>(count).fill('none'));
  for (const socket of sockets) socket.close();
  await bare.stop();
  return perSocket;
}

/**
 * Connects a socket per token twice: the first round is closed again (it warms the code, and the
 * server gives back start-up memory some seconds after its first sockets close, which would
 * otherwise land in the middle of the measurement); the second round is measured from steady
 * memory before to steady memory after.
 */
async function connectMeasuringMemory(server: ServerProcess, tokens: readonly string[]) {
  let start = nowMs();
  const first = await openLiveSockets(server.url, tokens, nowMs);
  const cold = nowMs() - start;
  for (const socket of first) socket.close();
  await sleep(settleMs);
  const before = await steadyMemory(server);
  start = nowMs();
  const sockets = await openLiveSockets(server.url, tokens, nowMs);
  const warm = nowMs() - start;
  await sleep(settleMs);
  const after = await steadyMemory(server).catch((error: unknown) => {
    for (const socket of sockets) socket.close();
    throw error;
  });
  return {
    sockets,
    connectMs: { cold, warm },
    idleRss: before.rssBytes,
    perSocket: {
      rss: (after.rssBytes - before.rssBytes) / tokens.length,
      heap: (after.heapBytes - before.heapBytes) / tokens.length,
    },
  };
}

/** Settled memory once it stopped moving: readings a second apart until three agree within 1 MiB. */
async function steadyMemory(server: ServerProcess) {
  const readings = [await server.settledMemory()];
  const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
  while (readings.length < steadyReadingsAtMost) {
    const last3 = readings.slice(-3);
    const steady =
      last3.length === 3 &&
      spread(last3.map((r) => r.rssBytes)) < 1024 * 1024 &&
      spread(last3.map((r) => r.heapBytes)) < 1024 * 1024;
    if (steady) break;
    await sleep(1000);
    readings.push(await server.settledMemory());
  }
  return readings.at(-1) ?? { rssBytes: Number.NaN, heapBytes: Number.NaN };
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
