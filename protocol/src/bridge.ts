/**
 * Frames of the browser host's WebSocket bridge, which carries the IPC contract to a plain browser.
 * Client → host: a call. Host → client: the call's result (by id) or an event.
 */
import { z } from 'zod';
import { IpcResultEnvelope } from './ipc.js';

export const BridgeCall = z
  .object({
    id: z.number().int().nonnegative(),
    method: z.string().max(100),
    args: z.unknown(),
  })
  .strict();
export type BridgeCall = z.infer<typeof BridgeCall>;

export const BridgeReply = z.union([
  z.object({ id: z.number().int().nonnegative(), result: IpcResultEnvelope }).strict(),
  z.object({ event: z.string().max(100), payload: z.unknown() }).strict(),
]);
export type BridgeReply = z.infer<typeof BridgeReply>;
