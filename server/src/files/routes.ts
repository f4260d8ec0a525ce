import {
  ClientId,
  FileLimits,
  FileMeta,
  Id,
  safeFileName,
  thumbnailBox,
  thumbnailMediaType,
} from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import type { Database } from '../db/database.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import { scopesOf } from '../sync/scopes.js';
import { mayReadFile } from './file-access.js';
import { type FileRow, fileJson, findFile } from './file-rows.js';
import { type DiskFileStorage, FileTooLargeError } from './file-storage.js';
import { acceptedMediaTypes, detectMedia } from './media-types.js';
import { Thumbnails } from './thumbnails.js';

/** Headers of every file the server hands out: a browser neither sniffs nor runs it, and may keep it. */
const servedFileHeaders = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'cache-control': 'private, max-age=31536000, immutable',
};

/** The first bytes of an upload, kept to tell text from binary. */
const headBytes = 8192;

export interface FileRouteOptions {
  db: Database;
  authenticator: Authenticator;
  /** Null when no storage is set up: uploads and downloads then answer 503. */
  storage: DiskFileStorage | null;
  maxFileBytes: number;
}

/** `filename*` of RFC 6266 for any name, with a plain ASCII `filename` for old clients. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Reads the first bytes of a stored file. */
async function headOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    if (length >= headBytes) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, headBytes);
}

/**
 * Files: upload (`PUT`, the raw bytes, idempotent by the client's id) and download for those who
 * may read them. Each upload is checked for what it really is; the server keeps only the types
 * it accepts, and serves them as attachments that a browser neither sniffs nor runs.
 */
export const fileRoutes: FastifyPluginAsyncZod<FileRouteOptions> = async (
  app,
  { db, authenticator, storage, maxFileBytes },
) => {
  // Uploads are raw bytes of any type: the body reaches the handler as the request stream.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  const requireStorage = (): DiskFileStorage => {
    if (!storage) throw new ApiError(503, 'unavailable', 'This server has no file storage set up');
    return storage;
  };

  app.get(
    '/api/v1/files/limits',
    {
      schema: {
        summary: 'The largest file and the media types the server accepts',
        tags: ['files'],
        security: bearerAuth,
        response: { 200: FileLimits, ...errorResponses(401) },
      },
    },
    async (request) => {
      await authenticator.authenticate(request);
      return { maxFileBytes, mediaTypes: [...acceptedMediaTypes] };
    },
  );

  app.put(
    '/api/v1/files/:id',
    {
      schema: {
        summary: 'Uploads a file: the body is its bytes, X-File-Name its name (percent-encoded UTF-8)',
        description:
          'The id is the client’s UUIDv7; sending the same id again returns the file stored first. The media type is taken from the content, not from Content-Type.',
        tags: ['files'],
        security: bearerAuth,
        params: z.object({ id: ClientId }).strict(),
        headers: z.object({ 'x-file-name': z.string().min(1).max(4096) }).loose(),
        response: { 200: FileMeta, 201: FileMeta, ...errorResponses(400, 401, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const { personId } = await authenticator.authenticate(request);
      const files = requireStorage();
      const { id } = request.params;
      const existing = await findFile(db, id);
      if (existing) return repeated(existing, personId);

      let name: string;
      try {
        name = safeFileName(decodeURIComponent(request.headers['x-file-name']));
      } catch {
        throw new ApiError(400, 'bad_request', 'X-File-Name is not percent-encoded UTF-8');
      }
      const declared = request.headers['content-type'] ?? '';
      const staged = await files.stage(id, request.body as Readable, maxFileBytes).catch((error: unknown) => {
        if (error instanceof FileTooLargeError) {
          throw new ApiError(413, 'payload_too_large', `A file may have at most ${maxFileBytes} bytes`);
        }
        throw error;
      });
      try {
        const facts = await detectMedia(staged.path, declared, await headOf(createReadStream(staged.path)));
        if (!facts) {
          throw new ApiError(415, 'unsupported_media_type', 'Files of this type cannot be shared here');
        }
        // The bytes are kept before the row commits: a row never names bytes that are not there.
        const inserted = await db.transaction(async (tx) => {
          const [row] = await tx.query<{ meta: FileMeta }>(
            `WITH f AS (
               INSERT INTO files (id, uploader_id, name, media_type, size, sha256, width, height)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT (id) DO NOTHING
               RETURNING *)
             SELECT ${fileJson} AS meta FROM f`,
            [id, personId, name, facts.mediaType, staged.size, staged.sha256, facts.width, facts.height],
          );
          if (row) await staged.keep();
          return row;
        });
        if (!inserted) {
          // The same id came twice at once: the first one stored wins.
          const first = await findFile(db, id);
          if (!first) throw new ApiError(409, 'conflict', 'This file id is taken');
          return repeated(first, personId);
        }
        return reply.code(201).send(inserted.meta);
      } finally {
        await staged.drop();
      }
    },
  );

  /** A repeated upload: the file stored first, if it is the same uploader's. */
  function repeated(file: FileRow, personId: string): FileMeta {
    if (file.uploader_id !== personId) throw new ApiError(409, 'conflict', 'This file id is taken');
    return file.meta;
  }

  const thumbnails = storage ? new Thumbnails(storage) : null;

  /** The file if the person may read it; the same 404 for a file that is not there and one they may not see. */
  async function readableFile(personId: string, id: string): Promise<FileRow> {
    const file = await findFile(db, id);
    if (!file || !(await mayReadFile(db, personId, await scopesOf(db, personId), file))) {
      throw new ApiError(404, 'not_found', 'This file does not exist');
    }
    return file;
  }

  app.get(
    '/api/v1/files/:id/thumbnail',
    {
      schema: {
        summary: 'A still image’s thumbnail (WebP), for those who may read the file',
        description: `Fits ${thumbnailBox}×${thumbnailBox} pixels; made on first request. 404 for files without one.`,
        tags: ['files'],
        security: bearerAuth,
        params: z.object({ id: Id }).strict(),
        response: { 200: z.unknown().describe('The thumbnail’s bytes'), ...errorResponses(401, 404, 503) },
      },
    },
    async (request, reply) => {
      const { personId } = await authenticator.authenticate(request);
      requireStorage();
      const file = await readableFile(personId, request.params.id);
      const thumbnail = await thumbnails?.of(file.meta);
      if (!thumbnail) throw new ApiError(404, 'not_found', 'This file has no thumbnail');
      return reply
        .headers(servedFileHeaders)
        .header('content-type', thumbnailMediaType)
        .header('content-length', String(thumbnail.length))
        .send(thumbnail);
    },
  );

  app.get(
    '/api/v1/files/:id',
    {
      schema: {
        summary: 'Downloads a file, for its uploader and those who see what it is attached to',
        tags: ['files'],
        security: bearerAuth,
        params: z.object({ id: Id }).strict(),
        response: { 200: z.unknown().describe('The file’s bytes'), ...errorResponses(401, 404, 503) },
      },
    },
    async (request, reply) => {
      const { personId } = await authenticator.authenticate(request);
      const files = requireStorage();
      const file = await readableFile(personId, request.params.id);
      const stored = await files.open(file.meta.id);
      if (!stored) throw new ApiError(404, 'not_found', 'This file does not exist');
      return reply
        .headers(servedFileHeaders)
        .header('content-type', file.meta.mediaType)
        .header('content-length', String(stored.size))
        .header('content-disposition', contentDisposition(file.meta.name))
        .header('etag', `"${file.meta.sha256}"`)
        .send(stored.stream);
    },
  );
};
