/**
 * Sync pages stay a size a client reads: a page of long messages ends early and the next page
 * goes on from there, so no chat, however it is written to, can make a page too large to sync.
 */
import { SyncPage, maxMessageLength, maxSyncPageBytes } from '@flurfunk/protocol';
import { beforeAll, expect, it } from 'vitest';
import { describeWithStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import {
  type User,
  chat,
  createGroup,
  mutate,
  signInAs,
  syncAll,
  syncRequest,
} from '../support/chat-support.js';

// The page is cut in the server's code after the queries: one storage shows it.
describeWithStorage('pglite', 'sync pages', (backend) => {
  let api: ApiClient;
  let lena: User;
  let jonas: User;

  beforeAll(async () => {
    const server = await backend.start({ demo: true });
    api = apiClient(server.url);
    [lena, jonas] = await Promise.all([signInAs(api, 'lena.weber'), signInAs(api, 'jonas.becker')]);
  });

  it('ends a page of long messages early, below the byte limit, and delivers the rest on the next', async () => {
    const group = await createGroup(api, lena, [jonas], 'Lange Texte');
    const before = await syncAll(api, jonas);
    // Three bytes per character in UTF-8: about 30 KB per message.
    const body = (i: number) => `${i} ${'€'.repeat(maxMessageLength - 10)}`;
    const count = Math.ceil((1.3 * maxSyncPageBytes) / (3 * maxMessageLength));
    const sent: string[] = [];
    for (let from = 0; from < count; from += 50) {
      const batch = Array.from({ length: Math.min(50, count - from) }, (_, i) =>
        chat.sendMessage(group, body(from + i)),
      );
      const results = await mutate(api, lena, batch);
      expect(results.every((r) => r.status === 'applied')).toBe(true);
      sent.push(...batch.map((m) => (m as { args: { messageId: string } }).args.messageId));
    }

    const first = await syncRequest(api, jonas, { after: before.cursor });
    expect(first.status).toBe(200);
    const page = SyncPage.parse(first.body);
    const messages = page.changes.filter((c) => c.type === 'message.upsert');
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.length).toBeLessThan(count);
    expect(page.hasMore).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(first.body))).toBeLessThanOrEqual(maxSyncPageBytes + 64 * 1024);

    const rest = await syncAll(api, jonas, { after: page.cursor });
    const delivered = [...page.changes, ...rest.changes]
      .filter((c) => c.type === 'message.upsert')
      .map((c) => c.id);
    expect(delivered).toEqual(sent);
  });
});
