/**
 * Messages between the core worker thread and the process that started it. Both sides parse what
 * they receive: a message that does not fit is dropped and logged, never acted on.
 */
import { BridgeCall, BridgeReply, FileVariant } from '@flurfunk/protocol';
import { z } from 'zod';

const requestId = z.number().int().nonnegative();
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array);

/** A file of the appearance route (the stylesheet or a branding file), with its media type. */
export const BrandFile = z.object({ mediaType: z.string(), bytes }).strict();
export type BrandFile = z.infer<typeof BrandFile>;

/** The data export as the media route hands it to be saved. */
export const DataExportFile = z.object({ fileName: z.string(), bytes }).strict();
export type DataExportFile = z.infer<typeof DataExportFile>;

/**
 * Host → worker: a contract call, a file for the media or branding route, an upload, or the
 * request to close.
 */
export const HostMessage = z.union([
  BridgeCall,
  z
    .object({
      type: z.literal('readMedia'),
      id: requestId,
      fileId: z.string().max(100),
      variant: FileVariant,
    })
    .strict(),
  z
    .object({
      type: z.literal('uploadMedia'),
      id: requestId,
      name: z.string().max(4096),
      mediaType: z.string().max(200),
      bytes,
    })
    .strict(),
  z.object({ type: z.literal('readAppearanceFile'), id: requestId, path: z.string().max(200) }).strict(),
  z.object({ type: z.literal('readDataExport'), id: requestId }).strict(),
  z
    .object({
      type: z.literal('uploadBrandAsset'),
      id: requestId,
      slot: z.string().max(50),
      mediaType: z.string().max(200),
      bytes,
    })
    .strict(),
  z.object({ type: z.literal('close') }).strict(),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** Worker → host: a call's result, an event, or a lifecycle step. */
export const WorkerMessage = z.union([
  BridgeReply,
  z.object({ type: z.literal('ready') }).strict(),
  z.object({ type: z.literal('startFailed'), message: z.string() }).strict(),
  z.object({ type: z.literal('closed') }).strict(),
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;
