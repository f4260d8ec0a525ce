/**
 * `feed.paint.firstPost.<n>posts`: in real Chromium, through the real browser host and its core,
 * against a real server: a user whose cache holds the benchmark feed goes from another section
 * (the directory) to the newsfeed; measured in the page from the click on "Newsfeed" until the
 * first post's `<article>` is painted (a MutationObserver sees it in the DOM, then the frame that
 * shows it: requestAnimationFrame plus a message, which runs once that frame is done). Median
 * over several visits.
 *
 * Baseline: the same visit by a colleague elsewhere in the company whose cache holds only the
 * demo company's handful of posts, same server, same browser, visits interleaved. Same view,
 * same code, same kind of user, only the size of the feed differs, so the ratio is what 10,000
 * posts in the cache cost the first paint (1.0: nothing). The directory view would be another
 * list with other queries and other rendering, and its ratio would mix both differences.
 *
 * The posts reach the reader's cache as in production: inserted in bulk into the server's
 * database (server-feed.ts), then pulled by the host's first sync after signing in through the
 * login form.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { defaultDemoSize } from '../../server/src/demo/seed.js';
import { demoPassword, navLink, people, signIn } from '../../tests/e2e/support/app.js';
import { englishContext, launchChromium } from '../../tests/e2e/support/browser.js';
import { assertBuilt } from '../../tests/e2e/support/dist.js';
import { report } from '../harness.js';
import { clickUntilPainted } from '../paint-timing.js';
import { withResources } from '../sync/resources.js';
import { seedCompany, withServerDatabase } from '../sync/server-database.js';
import { newJwtSecret, startServerProcess } from '../sync/server-process.js';
import type { ServerStorage } from '../sync/server-storage.js';
import { percentile } from '../sync/stats.js';
import { benchFeedSize, generateBenchFeed } from './feed-data.js';
import { startHostProcess } from './host-process.js';
import { note } from './note.js';
import { insertBenchFeed } from './server-feed.js';

/** Unmeasured visits first (JIT, caches, the seen marks of the posts on top), then measured ones. */
const warmupVisits = 2;
const measuredVisits = 11;
/** Lets the view's follow-up work (seen marks, unread counts) end before the next visit. */
const settleMs = 300;
const firstSyncTimeoutMs = 240_000;
const paintTimeoutMs = 30_000;

interface Visitor {
  username: string;
  page: Page;
  /** Unread posts once the first sync is complete. */
  unread: number;
  samples: number[];
}

export async function runFeedPaintBenchmark(): Promise<void> {
  assertBuilt();
  const size = benchFeedSize();
  await withResources(async (resources) => {
    const storage: ServerStorage = {
      name: 'pglite',
      location: { dataDir: await resources.tempDir('feed-server') },
    };
    note(`paint: seeding the demo company (${defaultDemoSize} people) and ${size} posts`);
    const feed = generateBenchFeed({ posts: size, now: Date.now() });
    const seeded = await withServerDatabase(storage, async (db) => {
      await seedCompany(db, defaultDemoSize);
      return insertBenchFeed(db, feed, { reader: 'lena.weber', author: 'jonas.becker' });
    });
    note(
      `paint: ${seeded.reader} gets ${seeded.readerPosts} posts, ${seeded.other} (baseline) ${seeded.otherPosts}`,
    );
    const server = await startServerProcess({ storage, jwtSecret: newJwtSecret() });
    resources.hold('the server', server, (s) => s.stop());

    const hosts = await Promise.all(
      [seeded.reader, seeded.other].map(async (username) => {
        const userDataDir = await resources.tempDir(`feed-${username}`);
        const keyringDir = await resources.tempDir(`feed-${username}-keyring`);
        const host = await startHostProcess({ userDataDir, keyringDir, defaultServerUrl: server.url });
        return resources.hold(`the browser host of ${username}`, host, (h) => h.stop());
      }),
    );
    const browser: Browser = resources.hold('Chromium', await launchChromium(), (b) => b.close());
    const open = async (username: string, url: string, unread: number): Promise<Visitor> => {
      const page = await (await englishContext(browser)).newPage();
      await page.goto(url);
      await signIn(page, { username, password: demoPassword });
      return { username, page, unread, samples: [] };
    };
    const [reader, other] = await Promise.all([
      open(seeded.reader, hosts[0]?.url ?? '', seeded.readerUnread),
      open(seeded.other, hosts[1]?.url ?? '', seeded.otherUnread),
    ]);

    note('paint: waiting for both first syncs');
    const syncStart = performance.now();
    await Promise.all([reader, other].map(awaitFirstSync));
    note(`paint: synced in ${((performance.now() - syncStart) / 1000).toFixed(1)} s`);

    for (let visit = 0; visit < warmupVisits + measuredVisits; visit++) {
      for (const visitor of [reader, other]) {
        await visitor.page.bringToFront();
        await navLink(visitor.page, 'Directory').click();
        await people(visitor.page).first().waitFor({ state: 'visible', timeout: paintTimeoutMs });
        await sleep(settleMs);
        const ms = await clickUntilPainted(
          visitor.page,
          { link: 'nav a[href="#/feed"]', row: '[role="feed"] article' },
          paintTimeoutMs,
        );
        if (visit >= warmupVisits) visitor.samples.push(ms);
        await sleep(settleMs);
      }
    }
    for (const { username, samples } of [reader, other]) {
      note(
        `paint: ${username}: median ${percentile(samples, 50).toFixed(1)} ms, ` +
          `min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)} ms`,
      );
    }
    report(
      `feed.paint.firstPost.${size}posts`,
      'ms',
      percentile(reader.samples, 50),
      percentile(other.samples, 50),
    );
  });
}

/**
 * The first sync is complete once the status says when it last synced (it says so only after a
 * whole pull), and the feed's unread badge counts what the server holds for the user (less the
 * few posts on screen that the feed meanwhile marked as seen).
 */
async function awaitFirstSync(visitor: Visitor): Promise<void> {
  const { page } = visitor;
  await page
    .getByRole('status')
    .filter({ hasText: 'Online' })
    .filter({ hasText: 'Last synced' })
    .waitFor({ state: 'attached', timeout: firstSyncTimeoutMs });
  let unread = -1;
  for (let waited = 0; waited < paintTimeoutMs; waited += 200) {
    const text =
      (await page
        .locator('#nav-feed-unread')
        .textContent({ timeout: 1000 })
        .catch(() => '')) ?? '';
    unread = Number(text.replace(/\D/g, '') || '0');
    if (unread <= visitor.unread && unread >= visitor.unread - 50) return;
    await sleep(200);
  }
  throw new Error(
    `${visitor.username}'s feed shows ${unread} unread posts after the sync, not ${visitor.unread}`,
  );
}
