// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import type { OutboxEntryView } from '@flurfunk/protocol';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '@/api/index.js';
import { useOutboxStore } from '@/stores/outbox.js';
import { installFakeHost, makeOutboxEntry } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';

let host: FakeHost;

beforeEach(() => {
  host = installFakeHost(5);
  setActivePinia(createPinia());
});

afterEach(() => {
  delete window.flurfunk;
});

const refused = makeOutboxEntry(1, {
  state: 'failed',
  error: { code: 'forbidden', message: 'not a member of this conversation' },
});
const waiting = makeOutboxEntry(2);
const delivered = makeOutboxEntry(3, { state: 'sent' });
const reads = () => host.outboxCalls.filter((call) => call.method === 'listOutbox').length;

describe('outbox store', () => {
  it('reads the outbox and counts what is waiting and what failed, not what was sent', async () => {
    host.outbox = [refused, waiting, delivered];
    const outbox = useOutboxStore();
    await outbox.load();
    expect(outbox.entries.map((entry) => entry.id)).toEqual([refused.id, waiting.id, delivered.id]);
    expect(outbox.pendingCount).toBe(1);
    expect(outbox.failedCount).toBe(1);
  });

  it('re-reads when the core says outbox entries changed, and only then', async () => {
    const outbox = useOutboxStore();
    await outbox.load();
    host.emit('dataChanged', { changes: [{ entity: 'message', ids: null }] });
    await flushPromises();
    expect(reads()).toBe(1);

    host.setOutbox([waiting]);
    await flushPromises();
    expect(reads()).toBe(2);
    expect(outbox.pendingCount).toBe(1);
  });

  it('folds a burst of change events into few reads and ends with the latest list', async () => {
    const outbox = useOutboxStore();
    await outbox.load();
    for (let i = 1; i <= 10; i++) host.setOutbox(Array.from({ length: i }, (_, n) => makeOutboxEntry(n)));
    await flushPromises();
    expect(reads()).toBeLessThanOrEqual(3);
    expect(outbox.pendingCount).toBe(10);
  });

  it('ignores a malformed dataChanged event', async () => {
    const outbox = useOutboxStore();
    await outbox.load();
    host.emit('dataChanged', { changes: [{ entity: 'outboxEntry' }] });
    await flushPromises();
    expect(reads()).toBe(1);
  });

  it('sends a failed write again', async () => {
    host.outbox = [refused];
    const outbox = useOutboxStore();
    await outbox.load();
    await outbox.retry(refused.id);
    expect(host.outboxCalls).toContainEqual({ method: 'retryOutboxEntry', id: refused.id });
    expect(outbox.failedCount).toBe(0);
    expect(outbox.pendingCount).toBe(1);
  });

  it('discards a failed write', async () => {
    host.outbox = [refused, waiting];
    const outbox = useOutboxStore();
    await outbox.load();
    await outbox.discard(refused.id);
    expect(host.outboxCalls).toContainEqual({ method: 'discardOutboxEntry', id: refused.id });
    expect(outbox.entries.map((entry) => entry.id)).toEqual([waiting.id]);
  });

  it('says when a write is no longer there to retry, and shows what the outbox holds now', async () => {
    host.outbox = [refused];
    const outbox = useOutboxStore();
    await outbox.load();
    // Another window retried it and the core has sent it since.
    host.outbox = [];
    const failure = await outbox.retry(refused.id).catch((cause: unknown) => cause);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('not_found');
    expect(outbox.entries).toEqual([]);
  });

  it('does not let an older answer overwrite a newer list', async () => {
    host.outbox = [refused];
    const outbox = useOutboxStore();
    let release = () => {};
    const listOutbox = host.api.listOutbox;
    host.api.listOutbox = async (args) => {
      const stale = await listOutbox(args);
      await new Promise<void>((resolve) => (release = resolve));
      return stale;
    };
    const staleRead = outbox.refresh();
    await flushPromises();
    await outbox.retry(refused.id);
    release();
    await staleRead;
    expect(outbox.entries.map((entry) => entry.state)).toEqual(['pending']);
  });

  it('keeps a typed error when the outbox cannot be read, and recovers on the next read', async () => {
    host.outbox = [waiting];
    const outbox = useOutboxStore();
    const listOutbox = host.api.listOutbox;
    host.api.listOutbox = async () => ({ ok: false, error: { code: 'internal', message: 'cache closed' } });
    await outbox.load();
    expect(outbox.error?.code).toBe('internal');
    host.api.listOutbox = listOutbox;
    host.setOutbox([waiting]);
    await flushPromises();
    expect(outbox.error).toBeNull();
    expect(outbox.pendingCount).toBe(1);
  });

  it('forgets the outbox at sign-out and stops following it', async () => {
    host.outbox = [refused, waiting];
    const outbox = useOutboxStore();
    await outbox.load();
    outbox.reset();
    expect(outbox.entries).toEqual([]);
    expect(outbox.pendingCount + outbox.failedCount).toBe(0);
    host.setOutbox([waiting] satisfies OutboxEntryView[]);
    await flushPromises();
    expect(reads()).toBe(1);
    expect(outbox.entries).toEqual([]);
  });
});
