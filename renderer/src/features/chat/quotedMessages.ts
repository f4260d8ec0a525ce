import { reactive } from 'vue';
import type { MessageView } from '@flurfunk/protocol';
import { call, onEvent } from '@/api/index.js';

const quoted = reactive(new Map<string, MessageView | null>());
const asked = new Set<string>();

/**
 * Forgets quoted messages that changed (edited, deleted, purged with their conversation), so a
 * quote never shows what its message no longer says. Returns the unsubscribe function.
 */
export function followQuotedMessages(): () => void {
  return onEvent('dataChanged', ({ changes }) => {
    for (const change of changes) {
      if (change.entity !== 'message') continue;
      if (change.ids === null) forgetQuotedMessages();
      for (const id of change.ids ?? []) {
        quoted.delete(id);
        asked.delete(id);
      }
    }
  });
}

/** Forgets every quoted message, e.g. when the user signs out. */
export function forgetQuotedMessages(): void {
  quoted.clear();
  asked.clear();
}

/**
 * A message another one replies to, when it is not among those on screen: read from the cache
 * once. Unknown until the answer comes; null when the cache does not hold it.
 */
export function quotedMessage(conversationId: string, messageId: string): MessageView | null | undefined {
  if (!asked.has(messageId)) {
    asked.add(messageId);
    call('listMessages', { conversationId, around: messageId, limit: 1 })
      .then((found) => quoted.set(messageId, found.find((message) => message.id === messageId) ?? null))
      .catch(() => asked.delete(messageId));
  }
  return quoted.get(messageId);
}
