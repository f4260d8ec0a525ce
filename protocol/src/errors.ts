import { z } from 'zod';

/** Error codes the server puts into `{error:{code,message}}`. */
export const ServerErrorCode = z.enum([
  'bad_request',
  'unauthorized',
  'invalid_credentials',
  'token_expired',
  'token_reused',
  /** The device was signed out on the server (elsewhere, by an admin, or after a token reuse). */
  'device_revoked',
  'rate_limited',
  'payload_too_large',
  'forbidden',
  'not_found',
  /** The id is taken by something else (another file under a repeated upload id). */
  'conflict',
  /** A file of a type the server does not accept. */
  'unsupported_media_type',
  /** A part of the server that is not set up (e.g. file storage), or not reachable now. */
  'unavailable',
  /** The client's sync cursor means nothing to this server (log reset or pruned): sync again from "0". */
  'resync_required',
  'internal',
]);
export type ServerErrorCode = z.infer<typeof ServerErrorCode>;

export const ErrorBody = z
  .object({
    error: z
      .object({
        code: ServerErrorCode,
        message: z.string(),
        /** Field-level problems of a bad request, e.g. `[{path: "password", message: "Required"}]`. */
        issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      })
      .strict(),
  })
  .strict();
export type ErrorBody = z.infer<typeof ErrorBody>;
