/**
 * `chat.paint.firstMessage.<n>messages`: in real Chromium, through the real browser host and its
 * core, against a real server: a user whose cache holds a conversation of 100,000 messages
 * (`BENCH_CHAT_CONVERSATION`) opens it from the conversation list; measured in the page from the
 * click until the first message row is painted (a MutationObserver sees it, then the frame that
 * shows it). Median over several visits. `chat.paint.domRows.<n>messages` is how many message rows
 * the DOM holds once the conversation is open: the virtualized list keeps a few dozen whatever
 * the size.
 *
 * Baseline: the same visits to a conversation of 20 messages of the same user, in the same
 * window, interleaved: the ratio is what the 100,000 messages cost (1.0: nothing).
 *
 * The messages reach the cache as in production: inserted into the server's database in bulk,
 * then pulled by the host's first sync after signing in through the login form.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultDemoSize } from '../../server/src/demo/seed.js';
import { demoPassword, navLink, people, signIn } from '../../tests/e2e/support/app.js';
import { englishContext, launchChromium } from '../../tests/e2e/support/browser.js';
import { assertBuilt } from '../../tests/e2e/support/dist.js';
import { startHostProcess } from '../feed/host-process.js';
import { report, sizeFromEnv } from '../harness.js';
import { clickUntilPainted } from '../paint-timing.js';
import { withResources } from '../sync/resources.js';
import {
  createGroups,
  insertMessages,
  personIdOf,
  seedCompany,
  withServerDatabase,
} from '../sync/server-database.js';
import { newJwtSecret, startServerProcess } from '../sync/server-process.js';
import type { ServerStorage } from '../sync/server-storage.js';
import { percentile } from '../sync/stats.js';
import { note } from './note.js';

const baselineSize = 20;
const warmupVisits = 2;
const measuredVisits = 11;
const settleMs = 300;
const firstSyncTimeoutMs = 600_000;
const paintTimeoutMs = 30_000;

export async function runChatPaintBenchmark(): Promise<void> {
  assertBuilt();
  const size = sizeFromEnv('BENCH_CHAT_CONVERSATION', 100_000, 100);
  await withResources(async (resources) => {
    const storage: ServerStorage = {
      name: 'pglite',
      location: { dataDir: await resources.tempDir('chat-server') },
    };
    note(`paint: seeding the demo company and conversations of ${size} and ${baselineSize} messages`);
    const [large, small] = await withServerDatabase(storage, async (db) => {
      await seedCompany(db, defaultDemoSize);
      const members = [await personIdOf(db, 'jonas.becker'), await personIdOf(db, 'lena.weber')];
      const [largeId] = await createGroups(db, { count: 1, memberIds: members, title: 'Großprojekt' });
      const [smallId] = await createGroups(db, { count: 1, memberIds: members, title: 'Kleine Runde' });
      if (!largeId || !smallId) throw new Error('the benchmark groups were not created');
      await insertMessages(db, { conversationIds: [largeId], authorIds: members, total: size });
      await insertMessages(db, { conversationIds: [smallId], authorIds: members, total: baselineSize });
      return [largeId, smallId];
    });
    const server = await startServerProcess({ storage, jwtSecret: newJwtSecret() });
    resources.hold('the server', server, (s) => s.stop());
    const host = resources.hold(
      'the browser host',
      await startHostProcess({
        userDataDir: await resources.tempDir('chat-lena'),
        keyringDir: await resources.tempDir('chat-lena-keyring'),
        defaultServerUrl: server.url,
      }),
      (h) => h.stop(),
    );
    const browser = resources.hold('Chromium', await launchChromium(), (b) => b.close());
    const page = await (await englishContext(browser)).newPage();
    await page.goto(host.url);
    await signIn(page, { username: 'lena.weber', password: demoPassword });

    note('paint: waiting for the first sync');
    const syncStart = performance.now();
    await page
      .getByRole('status')
      .filter({ hasText: 'Online' })
      .filter({ hasText: 'Last synced' })
      .waitFor({ state: 'attached', timeout: firstSyncTimeoutMs });
    note(`paint: synced in ${((performance.now() - syncStart) / 1000).toFixed(1)} s`);

    const samples = { large: [] as number[], small: [] as number[] };
    const rows = { large: 0, small: 0 };
    for (let visit = 0; visit < warmupVisits + measuredVisits; visit++) {
      for (const [which, id] of [
        ['large', large],
        ['small', small],
      ] as const) {
        await navLink(page, 'Directory').click();
        await people(page).first().waitFor({ state: 'visible', timeout: paintTimeoutMs });
        await page
          .getByRole('navigation')
          .getByRole('link', { name: /^Chat\b/ })
          .first()
          .click();
        await page.locator(`a[href="#/chat/${id}"]`).waitFor({ state: 'visible', timeout: paintTimeoutMs });
        await sleep(settleMs);
        const ms = await clickUntilPainted(
          page,
          { link: `a[href="#/chat/${id}"]`, row: '[role="feed"] article' },
          paintTimeoutMs,
        );
        if (visit >= warmupVisits) samples[which].push(ms);
        await sleep(settleMs);
        rows[which] = await page.locator('[role="feed"] article').count();
      }
    }
    for (const which of ['large', 'small'] as const) {
      const list = samples[which];
      note(
        `paint: ${which}: median ${percentile(list, 50).toFixed(1)} ms, min ${Math.min(...list).toFixed(1)}, ` +
          `max ${Math.max(...list).toFixed(1)} ms, ${rows[which]} rows in the DOM`,
      );
    }
    report(
      `chat.paint.firstMessage.${size}messages`,
      'ms',
      percentile(samples.large, 50),
      percentile(samples.small, 50),
    );
    report(`chat.paint.domRows.${size}messages`, 'rows', rows.large, rows.small);
  });
}
