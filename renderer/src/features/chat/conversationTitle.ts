import type { Conversation } from '@flurfunk/protocol';
import { personName } from '@/features/feed/personNames.js';

/** The one a direct conversation is with; null for groups and channels. */
export function otherPersonId(conversation: Conversation, userId: string | null): string | null {
  if (conversation.kind !== 'direct') return null;
  return conversation.memberIds.find((id) => id !== userId) ?? conversation.memberIds[0] ?? null;
}

/**
 * How a conversation is named on screen: a direct conversation by the other person's name, the
 * others by their title. `fallback` while the name is unknown (or the person left the company).
 */
export function conversationTitle(
  conversation: Conversation,
  userId: string | null,
  fallback: string,
): string {
  const other = otherPersonId(conversation, userId);
  if (conversation.kind === 'direct') return (other && personName(other)) || fallback;
  return conversation.title || fallback;
}

/** Up to two initials of a name, for a conversation without a picture. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)] : [words[0]];
  return letters
    .map((word) => [...(word ?? '')][0] ?? '')
    .join('')
    .toLocaleUpperCase();
}
