import type { ConversationSummary } from '@flurfunk/protocol';
import { unreadFor } from '@/stores/chat.js';

export type ConversationOrder = 'recent' | 'unread';

function lastActivity(conversation: ConversationSummary): number {
  return Date.parse(conversation.lastMessage?.createdAt ?? conversation.createdAt);
}

/**
 * The list's order: pinned first; then (for "unread first") those with unread messages; then
 * the most recent conversation first.
 */
export function sortConversations(
  list: readonly ConversationSummary[],
  order: ConversationOrder,
): ConversationSummary[] {
  return [...list].sort((a, b) => {
    if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
    if (order === 'unread') {
      const aUnread = unreadFor(a) > 0;
      if (aUnread !== unreadFor(b) > 0) return aUnread ? -1 : 1;
    }
    return lastActivity(b) - lastActivity(a);
  });
}

/** The conversations whose name contains the filter text, ignoring case and accents. */
export function filterConversations<T>(
  list: readonly T[],
  filter: string,
  titleOf: (item: T) => string,
): T[] {
  const wanted = fold(filter.trim());
  return wanted === '' ? [...list] : list.filter((item) => fold(titleOf(item)).includes(wanted));
}

/** Lower case without accents, so "muller" finds "Müller". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLocaleLowerCase();
}
