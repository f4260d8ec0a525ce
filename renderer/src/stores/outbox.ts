import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { OutboxEntryView, OutboxState } from '@flurfunk/protocol';
import { ApiError, call, onEvent } from '@/api/index.js';

/**
 * The user's writes the server has not confirmed yet. The core owns the outbox: this store mirrors
 * it (read at sign-in and after a reconnect, then again whenever the core says entries changed)
 * and passes the user's "retry" and "discard" on to the core.
 */
export const useOutboxStore = defineStore('outbox', () => {
  const entries = ref<OutboxEntryView[]>([]);
  /** Why the list could not be read; the last list read stays shown meanwhile. */
  const error = ref<ApiError | null>(null);
  /** Requests are numbered as they are asked; the core answers in order, so a later one is newer. */
  let asked = 0;
  let applied = 0;
  let reading: Promise<void> | null = null;
  let readAgain = false;
  let stopListening: (() => void) | null = null;

  const pendingCount = computed(() => countIn('pending'));
  const failedCount = computed(() => countIn('failed'));

  function countIn(state: OutboxState): number {
    return entries.value.filter((entry) => entry.state === state).length;
  }

  function asApiError(cause: unknown): ApiError {
    return cause instanceof ApiError ? cause : new ApiError({ code: 'internal', message: String(cause) });
  }

  async function answered(request: Promise<OutboxEntryView[]>): Promise<void> {
    const number = ++asked;
    const list = await request;
    if (number < applied) return;
    applied = number;
    entries.value = list;
    error.value = null;
  }

  async function read(): Promise<void> {
    try {
      await answered(call('listOutbox', {}));
    } catch (cause) {
      error.value = asApiError(cause);
    }
  }

  /**
   * Re-reads the list; never rejects (a failure is kept in `error`). Sending announces every
   * attempt, so reads asked while one is under way are folded into one more read after it.
   */
  function refresh(): Promise<void> {
    if (reading) {
      readAgain = true;
      return reading;
    }
    reading = (async () => {
      do {
        readAgain = false;
        await read();
      } while (readAgain);
    })().finally(() => (reading = null));
    return reading;
  }

  /** Follows the core's outbox from now on (call when signed in). */
  async function load(): Promise<void> {
    stopListening ??= onEvent('dataChanged', ({ changes }) => {
      if (changes.some((change) => change.entity === 'outboxEntry')) void refresh();
    });
    await refresh();
  }

  /** Forgets the signed-out user's outbox and stops following it. */
  function reset(): void {
    stopListening?.();
    stopListening = null;
    applied = ++asked;
    entries.value = [];
    error.value = null;
  }

  /**
   * Runs a retry or discard; throws its ApiError. `not_found` means the entry was sent, settled or
   * discarded meanwhile, so the list is re-read before the error is passed on.
   */
  async function act(request: () => Promise<OutboxEntryView[]>): Promise<void> {
    try {
      await answered(request());
    } catch (cause) {
      const failure = asApiError(cause);
      if (failure.code === 'not_found') await refresh();
      throw failure;
    }
  }

  /** Sends a failed write again. */
  function retry(id: string): Promise<void> {
    return act(() => call('retryOutboxEntry', { id }));
  }

  /** Gives up a failed write; the core takes back what it changed on this computer. */
  function discard(id: string): Promise<void> {
    return act(() => call('discardOutboxEntry', { id }));
  }

  return { entries, error, pendingCount, failedCount, load, refresh, reset, retry, discard };
});
