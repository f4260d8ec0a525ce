import { Id, Location, OrgUnit, Person } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import { PgErrorCode, pgErrorCode } from '../db/database.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import type { DirectoryStore } from './directory-store.js';

const IdParams = z.object({ id: Id }).strict();

/** Turns constraint violations of an admin's edit into a 400 that says what is wrong. */
async function asBadRequest<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = pgErrorCode(error);
    if (code === PgErrorCode.foreignKeyViolation) {
      throw new ApiError(400, 'bad_request', 'A referenced org unit, location or person does not exist');
    }
    if (code === PgErrorCode.uniqueViolation) {
      throw new ApiError(400, 'bad_request', 'The username is already taken');
    }
    throw error;
  }
}

/** Directory maintenance by admins; every change reaches clients through sync. */
export const directoryAdminRoutes: FastifyPluginAsyncZod<{
  directory: DirectoryStore;
  authenticator: Authenticator;
}> = async (app, { directory, authenticator }) => {
  const notFound = (what: string) => new ApiError(404, 'not_found', `No such ${what}`);
  const common = {
    tags: ['directory admin'],
    security: bearerAuth,
    params: IdParams,
  };
  const putResponses = { 204: z.null(), ...errorResponses(400, 401, 403, 413) };
  const deleteResponses = { 204: z.null(), ...errorResponses(400, 401, 403, 404) };

  app.put(
    '/api/v1/admin/people/:id',
    {
      schema: {
        ...common,
        summary: 'Create or replace a person',
        body: Person.omit({ id: true }),
        response: putResponses,
      },
    },
    async (request, reply) => {
      await authenticator.authenticateWithRole(request, 'admin');
      await asBadRequest(() => directory.upsertPerson({ ...request.body, id: request.params.id }));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/admin/people/:id',
    { schema: { ...common, summary: 'Delete a person', response: deleteResponses } },
    async (request, reply) => {
      await authenticator.authenticateWithRole(request, 'admin');
      if (!(await directory.deletePerson(request.params.id))) throw notFound('person');
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/admin/org-units/:id',
    {
      schema: {
        ...common,
        summary: 'Create or replace an org unit',
        body: OrgUnit.omit({ id: true }),
        response: putResponses,
      },
    },
    async (request, reply) => {
      await authenticator.authenticateWithRole(request, 'admin');
      await asBadRequest(() => directory.upsertOrgUnit({ ...request.body, id: request.params.id }));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/admin/org-units/:id',
    { schema: { ...common, summary: 'Delete an org unit', response: deleteResponses } },
    async (request, reply) => {
      await authenticator.authenticateWithRole(request, 'admin');
      if (!(await directory.deleteOrgUnit(request.params.id))) throw notFound('org unit');
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/admin/locations/:id',
    {
      schema: {
        ...common,
        summary: 'Create or replace a location',
        body: Location.omit({ id: true }),
        response: putResponses,
      },
    },
    async (request, reply) => {
      await authenticator.authenticateWithRole(request, 'admin');
      await asBadRequest(() => directory.upsertLocation({ ...request.body, id: request.params.id }));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/admin/locations/:id',
    { schema: { ...common, summary: 'Delete a location', response: deleteResponses } },
    async (request, reply) => {
      await authenticator.authenticateWithRole(request, 'admin');
      if (!(await directory.deleteLocation(request.params.id))) throw notFound('location');
      return reply.code(204).send(null);
    },
  );
};
