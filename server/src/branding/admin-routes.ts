import {
  BrandAssetSlot,
  type Branding,
  BrandingSaved,
  BrandingSettings,
  brandImageTypes,
  brandPalette,
  fontMediaType,
  maxBrandFontBytes,
  maxBrandImageBytes,
} from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import type { Database } from '../db/database.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import { brandAssetFrom } from './brand-assets.js';
import { colorIssues } from './brand-colors.js';
import { putBrandAsset, removeBrandAsset, saveBrandingSettings } from './save-branding.js';

const SlotParams = z.object({ slot: BrandAssetSlot }).strict();

const saved = (branding: Branding): BrandingSaved => ({
  branding,
  adjustments: brandPalette(branding).adjustments,
});

/** The company's branding is the IT admin's: name, colours, fonts, logo and login background. */
export const brandingAdminRoutes: FastifyPluginAsyncZod<{
  db: Database;
  authenticator: Authenticator;
}> = async (app, { db, authenticator }) => {
  // Uploads are the file's raw bytes; brandAssetFrom checks what they really are.
  app.addContentTypeParser(
    [...brandImageTypes, fontMediaType],
    { parseAs: 'buffer', bodyLimit: Math.max(maxBrandImageBytes, maxBrandFontBytes) },
    (_request, body, done) => done(null, body),
  );

  app.put(
    '/api/v1/admin/branding',
    {
      schema: {
        tags: ['branding admin'],
        summary: 'Set the app name, colours and fonts',
        description:
          'Colours that fail WCAG AA in light mode are refused, each as an issue at its field with a darker shade that passes. `adjustments` names the colours dark mode shows lighter.',
        security: bearerAuth,
        body: BrandingSettings,
        response: { 200: BrandingSaved, ...errorResponses(400, 401, 403, 413) },
      },
    },
    async (request) => {
      await authenticator.authenticateWithRole(request, 'admin');
      const issues = colorIssues(request.body);
      if (issues.length > 0) {
        throw new ApiError(400, 'bad_request', 'The colours are too light to read', {}, issues);
      }
      return saved(await saveBrandingSettings(db, request.body));
    },
  );

  app.put(
    '/api/v1/admin/branding/assets/:slot',
    {
      schema: {
        tags: ['branding admin'],
        summary: 'Upload the logo, the login background or a font face',
        description: `The body is the file: the logo an SVG (sanitized), PNG, JPEG or WebP image, the login background a PNG, JPEG or WebP image, a font face (\`font-<weight>-<style>\`) WOFF2. The content must be what Content-Type says. At most ${maxBrandImageBytes} bytes for an image, ${maxBrandFontBytes} for a font.`,
        security: bearerAuth,
        params: SlotParams,
        response: { 200: BrandingSaved, ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request) => {
      await authenticator.authenticateWithRole(request, 'admin');
      const { slot } = request.params;
      const asset = await brandAssetFrom(slot, request.headers['content-type'], request.body);
      return saved(await putBrandAsset(db, slot, asset));
    },
  );

  app.delete(
    '/api/v1/admin/branding/assets/:slot',
    {
      schema: {
        tags: ['branding admin'],
        summary: 'Remove the logo, the login background or a font face',
        security: bearerAuth,
        params: SlotParams,
        response: { 200: BrandingSaved, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      await authenticator.authenticateWithRole(request, 'admin');
      return saved(await removeBrandAsset(db, request.params.slot));
    },
  );
};
