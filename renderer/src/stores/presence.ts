import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { maxWatchedPeople } from '@flurfunk/protocol';
import { call, onEvent } from '@/api/index.js';

/**
 * Who is online, as the core's live connection knows it: the members of the user's direct and
 * group chats (always followed by the core) and the people a screen asks about. Offline, nobody
 * is known to be online.
 */
export const usePresenceStore = defineStore('presence', () => {
  const online = shallowRef<ReadonlySet<string>>(new Set());

  function isOnline(personId: string): boolean {
    return online.value.has(personId);
  }

  function apply(cameOnline: readonly string[], wentOffline: readonly string[]): void {
    const next = new Set(online.value);
    for (const id of wentOffline) next.delete(id);
    for (const id of cameOnline) next.add(id);
    online.value = next;
  }

  /** Asks who of these people is online now; later changes come by `follow`. */
  async function watch(personIds: readonly string[]): Promise<void> {
    const asked = [...new Set(personIds)].slice(0, maxWatchedPeople);
    try {
      const found = new Set((await call('watchPresence', { personIds: asked })).online);
      apply(
        [...found],
        asked.filter((id) => !found.has(id)),
      );
    } catch {
      // Signed out or the core is gone: nothing is known, nothing changes.
    }
  }

  /** Follows who comes online and goes offline while signed in; returns the unsubscribe function. */
  function follow(): () => void {
    return onEvent('presenceChanged', ({ online: cameOnline, offline }) => apply(cameOnline, offline));
  }

  /** Forgets everything: nothing of who the user follows stays after a sign-out. */
  function reset(): void {
    online.value = new Set();
  }

  return { online, isOnline, watch, follow, reset };
});
