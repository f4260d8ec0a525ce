import { DeviceList, Id, dataExportMediaType } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import type { Database } from '../db/database.js';
import type { DiskFileStorage } from '../files/file-storage.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import { listDevices, signOutDevice, signOutOtherDevices } from './device-rows.js';
import { exportArchive, exportFileName } from './export-archive.js';
import { readExportData } from './export-data.js';
import { ExportsInProgress } from './exports-in-progress.js';

/** What a client refused for a running export is told to wait before it asks again. */
const exportRetryAfterSeconds = 60;

export interface AccountRouteOptions {
  db: Database;
  authenticator: Authenticator;
  /** Null when no file storage is set up: the export then lists the files without their bytes. */
  storage: DiskFileStorage | null;
  /** Devices were signed out: their live sockets close now. */
  onSignedOut(deviceIds: readonly string[]): void;
}

/**
 * The signed-in person's own account: the devices signed in with it, signing them out, and the
 * export of everything the server holds about them (GDPR Art. 15 and 20, see EXPORT.md).
 */
export const accountRoutes: FastifyPluginAsyncZod<AccountRouteOptions> = async (
  app,
  { db, authenticator, storage, onSignedOut },
) => {
  const exportsInProgress = new ExportsInProgress();

  app.get(
    '/api/v1/me/devices',
    {
      schema: {
        summary: 'The devices signed in to this account, most recently used first',
        tags: ['account'],
        security: bearerAuth,
        response: { 200: DeviceList, ...errorResponses(401) },
      },
    },
    async (request) => {
      const { personId, deviceId } = await authenticator.authenticate(request);
      return listDevices(db, personId, deviceId);
    },
  );

  app.delete(
    '/api/v1/me/devices/:id',
    {
      schema: {
        summary: 'Sign one of this account’s devices out (this one too); answers the devices left',
        description:
          'The device’s access tokens stop working at once, its refresh answers `device_revoked` and its live sockets close.',
        tags: ['account'],
        security: bearerAuth,
        params: z.object({ id: Id }).strict(),
        response: { 200: DeviceList, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { personId, deviceId } = await authenticator.authenticate(request);
      const target = request.params.id;
      const reason = target === deviceId ? 'logout' : 'signedOutElsewhere';
      if (!(await signOutDevice(db, personId, target, reason))) {
        throw new ApiError(404, 'not_found', 'This account has no signed-in device with this id');
      }
      onSignedOut([target]);
      return listDevices(db, personId, deviceId);
    },
  );

  app.post(
    '/api/v1/me/devices/sign-out-others',
    {
      schema: {
        summary: 'Sign out every device of this account but this one; answers the devices left',
        tags: ['account'],
        security: bearerAuth,
        body: z.object({}).strict().nullish(),
        response: { 200: DeviceList, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { personId, deviceId } = await authenticator.authenticate(request);
      const signedOut = await signOutOtherDevices(db, personId, deviceId);
      if (signedOut.length > 0) onSignedOut(signedOut);
      return listDevices(db, personId, deviceId);
    },
  );

  app.get(
    '/api/v1/me/export',
    {
      schema: {
        summary: 'Everything the server holds about the signed-in person, as a ZIP',
        description: `A ZIP (${dataExportMediaType}) with data.json, the person’s uploaded files and a README, streamed as it is written. One export per person at a time, and a few people's at once per server: another request meanwhile gets 429 with Retry-After.`,
        tags: ['account'],
        security: bearerAuth,
        response: { 200: z.unknown().describe('The ZIP’s bytes'), ...errorResponses(401, 429) },
      },
    },
    async (request, reply) => {
      const { personId } = await authenticator.authenticate(request);
      const release = exportsInProgress.tryStart(personId);
      if (!release) {
        throw new ApiError(
          429,
          'rate_limited',
          'A data export is being written already; ask again in a minute',
          { 'retry-after': String(exportRetryAfterSeconds) },
        );
      }
      try {
        const exportedAt = new Date();
        const data = await readExportData(db, personId);
        const username = String(data.account?.username ?? personId);
        const archive = exportArchive(data, storage, username, exportedAt);
        // Finished, failed or cut off by the client: the stream closes in each case.
        archive.once('close', release);
        return reply
          .header('content-type', dataExportMediaType)
          .header('content-disposition', `attachment; filename="${exportFileName(username, exportedAt)}"`)
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff')
          .send(archive);
      } catch (error) {
        release();
        throw error;
      }
    },
  );
};
