import type { Conversation } from '@flurfunk/protocol';
import { usePresenceStore } from '@/stores/presence.js';
import { useSessionStore } from '@/stores/session.js';
import { otherPersonId } from './conversationTitle.js';

/** The other person of a direct conversation, and whether they are online. */
export function usePartnerPresence() {
  const presence = usePresenceStore();
  const session = useSessionStore();

  function partnerOf(conversation: Conversation): string | null {
    return otherPersonId(conversation, session.user?.id ?? null);
  }

  /** Whether the partner is online; null for groups and channels, which have none. */
  function partnerOnline(conversation: Conversation): boolean | null {
    const partner = partnerOf(conversation);
    return partner === null ? null : presence.isOnline(partner);
  }

  return { partnerOf, partnerOnline };
}
