import { z } from 'zod';

export const OutboxState = z.enum(['pending', 'sent', 'failed']);
export type OutboxState = z.infer<typeof OutboxState>;

/** One write of the user's that the server has not confirmed yet, as the renderer shows it. */
export const OutboxEntryView = z
  .object({
    id: z.string(),
    type: z.string(),
    state: OutboxState,
    /** Send attempts that did not reach the server or got no answer. */
    attempts: z.number().int().nonnegative(),
    /** When a pending entry is tried next; null when it goes out as soon as possible. */
    nextAttemptAt: z.iso.datetime().nullable(),
    /** Why it failed: a refusal code of the server (`forbidden`, `not_found`, …) and its message. */
    error: z.object({ code: z.string(), message: z.string() }).strict().nullable(),
    /** The local row it changed, e.g. the message. */
    entityId: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type OutboxEntryView = z.infer<typeof OutboxEntryView>;
