import { BrandAsset, Branding } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { ApiError } from '../http/api-error.js';
import { errorResponses } from '../http/error-responses.js';
import { readBrandAsset, readBranding } from './branding-rows.js';

/**
 * An asset never changes under its id, so anyone may keep it for good. Nothing in it runs: an
 * SVG logo may only style itself, and no browser guesses a type other than the one stored.
 */
function servedAssetHeaders(mediaType: string): Record<string, string> {
  return {
    'content-type': mediaType,
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      mediaType === 'image/svg+xml'
        ? "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        : "default-src 'none'; sandbox",
  };
}

/** The branding is public: the sign-in screen shows it before anyone has a token. */
export const brandingRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/v1/branding',
    {
      schema: {
        tags: ['branding'],
        summary: "The company's branding: name, colours, fonts, logo and login background",
        response: { 200: Branding },
      },
    },
    () => readBranding(db),
  );

  app.get(
    '/api/v1/branding/assets/:id',
    {
      schema: {
        tags: ['branding'],
        summary: 'A logo, login background or font face of the branding, by its SHA-256',
        params: z.object({ id: BrandAsset.shape.id }).strict(),
        response: { 200: z.unknown().describe('The asset’s bytes'), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const asset = await readBrandAsset(db, request.params.id);
      if (!asset) throw new ApiError(404, 'not_found', 'The branding has no such asset');
      return reply
        .headers(servedAssetHeaders(asset.mediaType))
        .header('content-length', String(asset.bytes.length))
        .send(asset.bytes);
    },
  );
};
