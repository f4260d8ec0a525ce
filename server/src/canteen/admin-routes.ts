import { Canteen, Id, companyScope } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import { PgErrorCode, type Database, pgErrorCode } from '../db/database.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import { recordChanges } from '../sync/change-log.js';
import { writeCanteen } from './canteen-rows.js';

const IdParams = z.object({ id: Id }).strict();
const CanteenBody = Canteen.omit({ id: true });

/** Setting up canteens (location, hours, price groups, lines, managers) is the IT admin's. */
export const canteenAdminRoutes: FastifyPluginAsyncZod<{
  db: Database;
  authenticator: Authenticator;
}> = async (app, { db, authenticator }) => {
  app.put(
    '/api/v1/admin/canteens/:id',
    {
      schema: {
        tags: ['canteen admin'],
        summary: 'Create or replace a canteen',
        security: bearerAuth,
        params: IdParams,
        body: CanteenBody,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 413) },
      },
    },
    async (request, reply) => {
      await authenticator.authenticateWithRole(request, 'admin');
      const canteen = { ...request.body, id: request.params.id };
      try {
        await db.transaction(async (tx) => {
          await writeCanteen(tx, canteen);
          await recordChanges(tx, [
            { entityType: 'canteen', entityId: canteen.id, op: 'upsert', scope: companyScope },
          ]);
        });
      } catch (error) {
        if (pgErrorCode(error) === PgErrorCode.foreignKeyViolation) {
          throw new ApiError(400, 'bad_request', 'The location or a manager does not exist');
        }
        throw error;
      }
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/admin/canteens/:id',
    {
      schema: {
        tags: ['canteen admin'],
        summary: 'Remove a canteen with all its plans',
        security: bearerAuth,
        params: IdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await authenticator.authenticateWithRole(request, 'admin');
      const { id } = request.params;
      await db.transaction(async (tx) => {
        const weeks = await tx.query<{ id: string }>(
          'DELETE FROM canteen_weeks WHERE canteen_id = $1 RETURNING id',
          [id],
        );
        const removed = await tx.query('DELETE FROM canteens WHERE id = $1 RETURNING id', [id]);
        if (removed.length === 0) throw new ApiError(404, 'not_found', 'There is no such canteen');
        await recordChanges(tx, [
          ...weeks.map((week) => ({
            entityType: 'canteenWeek' as const,
            entityId: week.id,
            op: 'delete' as const,
            scope: companyScope,
          })),
          { entityType: 'canteen', entityId: id, op: 'delete', scope: companyScope },
        ]);
      });
      return reply.code(204).send(null);
    },
  );
};
