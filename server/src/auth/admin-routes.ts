import { Id, Role } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import { followChannelMembership, scopesBefore } from '../chat/read-on-join.js';
import { privateContactChangesForHrRole } from '../directory/private-contact.js';
import { recordChanges } from '../sync/change-log.js';
import { userScope } from '../sync/scopes.js';
import type { Authenticator } from './authenticator.js';

const RolesBody = z.object({ roles: z.array(Role).min(1).max(Role.options.length) }).strict();

/**
 * Role changes by admins. Roles are scopes: the person's clients pull at once and gain or purge
 * what the roles open. Access tokens name roles too; those catch up at the next refresh.
 */
export const accountAdminRoutes: FastifyPluginAsyncZod<{
  db: Database;
  authenticator: Authenticator;
}> = async (app, { db, authenticator }) => {
  app.put(
    '/api/v1/admin/accounts/:id/roles',
    {
      schema: {
        summary: "Replace a person's roles",
        tags: ['directory admin'],
        security: bearerAuth,
        params: z.object({ id: Id }).strict(),
        body: RolesBody,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await authenticator.authenticateWithRole(request, 'admin');
      const { id } = request.params;
      await db.transaction(async (tx) => {
        const before = await scopesBefore(tx, [id]);
        const [previous] = await tx.query<{ roles: string[] }>(
          'SELECT roles FROM accounts WHERE person_id = $1 FOR UPDATE',
          [id],
        );
        if (!previous) throw new ApiError(404, 'not_found', 'No such account');
        const roles = [...new Set(request.body.roles)];
        await tx.query('UPDATE accounts SET roles = $2 WHERE person_id = $1', [id, roles]);
        const wasHr = previous.roles.includes('hr');
        const isHr = roles.includes('hr');
        const privateContacts =
          wasHr === isHr ? [] : await privateContactChangesForHrRole(tx, id, isHr ? 'upsert' : 'delete');
        await recordChanges(
          tx,
          [...(await followChannelMembership(tx, before)), ...privateContacts],
          [userScope(id)],
        );
      });
      return reply.code(204).send(null);
    },
  );
};
