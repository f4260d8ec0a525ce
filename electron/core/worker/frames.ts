/**
 * Messages between the core worker thread and the process that started it. Both sides parse what
 * they receive: a message that does not fit is dropped and logged, never acted on.
 */
import { BridgeCall, BridgeReply } from '@flurfunk/protocol';
import { z } from 'zod';

/** Host → worker: a contract call, or the request to close the core and end. */
export const HostMessage = z.union([BridgeCall, z.object({ type: z.literal('close') }).strict()]);
export type HostMessage = z.infer<typeof HostMessage>;

/** Worker → host: a call's result, an event, or a lifecycle step. */
export const WorkerMessage = z.union([
  BridgeReply,
  z.object({ type: z.literal('ready') }).strict(),
  z.object({ type: z.literal('startFailed'), message: z.string() }).strict(),
  z.object({ type: z.literal('closed') }).strict(),
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;
