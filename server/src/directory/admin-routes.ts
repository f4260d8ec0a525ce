import { Id, Location, OrgUnit, PersonMasterData } from '@flurfunk/protocol';
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

type AdminRoutesOptions = { directory: DirectoryStore; authenticator: Authenticator };

/**
 * `PUT` (create or replace) and `DELETE` by id under /api/v1/admin/`path`, admins only.
 * `noun` names one of them in summaries and errors.
 */
function adminResource<Body extends z.ZodType>(resource: {
  path: string;
  noun: string;
  body: Body;
  upsert(directory: DirectoryStore, id: string, body: z.output<Body>): Promise<void>;
  remove(directory: DirectoryStore, id: string): Promise<boolean>;
}): FastifyPluginAsyncZod<AdminRoutesOptions> {
  const { path, noun, body, upsert, remove } = resource;
  const common = { tags: ['directory admin'], security: bearerAuth, params: IdParams };
  return async (app, { directory, authenticator }) => {
    app.put(
      `/api/v1/admin/${path}/:id`,
      {
        schema: {
          ...common,
          summary: `Create or replace a ${noun}`,
          body,
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 413) },
        },
      },
      async (request, reply) => {
        await authenticator.authenticateWithRole(request, 'admin');
        // Validated against `body`; the type provider cannot resolve that for a generic schema.
        const entity = request.body as z.output<Body>;
        await asBadRequest(() => upsert(directory, request.params.id, entity));
        return reply.code(204).send(null);
      },
    );

    app.delete(
      `/api/v1/admin/${path}/:id`,
      {
        schema: {
          ...common,
          summary: `Delete a ${noun}`,
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await authenticator.authenticateWithRole(request, 'admin');
        if (!(await remove(directory, request.params.id))) {
          throw new ApiError(404, 'not_found', `No such ${noun}`);
        }
        return reply.code(204).send(null);
      },
    );
  };
}

const adminResources = [
  adminResource({
    path: 'people',
    noun: 'person',
    body: PersonMasterData.omit({ id: true }),
    upsert: (directory, id, person) => directory.upsertPerson({ ...person, id }),
    remove: (directory, id) => directory.deletePerson(id),
  }),
  adminResource({
    path: 'org-units',
    noun: 'org unit',
    body: OrgUnit.omit({ id: true }),
    upsert: (directory, id, unit) => directory.upsertOrgUnit({ ...unit, id }),
    remove: (directory, id) => directory.deleteOrgUnit(id),
  }),
  adminResource({
    path: 'locations',
    noun: 'location',
    body: Location.omit({ id: true }),
    upsert: (directory, id, location) => directory.upsertLocation({ ...location, id }),
    remove: (directory, id) => directory.deleteLocation(id),
  }),
];

/** `POST …/people/:id/deactivate` and `…/reactivate`. */
const activationRoutes: FastifyPluginAsyncZod<AdminRoutesOptions> = async (
  app,
  { directory, authenticator },
) => {
  for (const [action, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    app.post(
      `/api/v1/admin/people/:id/${action}`,
      {
        schema: {
          tags: ['directory admin'],
          security: bearerAuth,
          params: IdParams,
          summary: active
            ? 'Reactivate a person: back in the directory, able to sign in again'
            : 'Deactivate a person: signed out everywhere, gone from the directory; past messages keep their name',
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await authenticator.authenticateWithRole(request, 'admin');
        if (!(await directory.exists(request.params.id)))
          throw new ApiError(404, 'not_found', 'No such person');
        await directory.setActive([request.params.id], active);
        return reply.code(204).send(null);
      },
    );
  }
};

/** Directory maintenance by admins; every change reaches clients through sync. */
export const directoryAdminRoutes: FastifyPluginAsyncZod<AdminRoutesOptions> = async (app, options) => {
  for (const routes of adminResources) await routes(app, options);
  await activationRoutes(app, options);
};
