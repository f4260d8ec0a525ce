import { Id, LivePresenceFrame, LiveTypingFrame, ScopeKey } from '@flurfunk/protocol';
import { z } from 'zod';

/**
 * An event that is delivered to live clients and never stored, never to the sender's own
 * clients. A typing notice goes to who sees its scope, like a change; a presence change to the
 * clients watching that person.
 */
export interface EphemeralEvent {
  scope: ScopeKey;
  senderId: string;
  frame: LiveTypingFrame | LivePresenceFrame;
}

/** PostgreSQL channel carrying ephemeral events between server instances on one database. */
export const ephemeralChannel = 'flurfunk_ephemeral';

const Payload = z
  .object({
    origin: z.string().max(100),
    scope: ScopeKey,
    senderId: Id,
    frame: z.discriminatedUnion('type', [LiveTypingFrame, LivePresenceFrame]),
  })
  .strict();

/** `origin` names the sending instance, which has delivered the event itself already. */
export function encodeEphemeral(origin: string, event: EphemeralEvent): string {
  return JSON.stringify({ origin, ...event });
}

export function decodeEphemeral(payload: string): (EphemeralEvent & { origin: string }) | null {
  try {
    const parsed = Payload.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
