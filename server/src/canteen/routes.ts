import { Canteen, CanteenDayInput, CanteenWeek, Id, IsoDate } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import type { Database } from '../db/database.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import { describeProblem } from '../import/import-problems.js';
import { listCanteens } from './canteen-rows.js';
import { importWeek } from './import/import-week.js';
import { WeekRefused, saveWeek } from './save-week.js';
import { canteenSyncSources } from './sync-source.js';

const WeekParams = z.object({ canteenId: Id, weekStart: IsoDate }).strict();
const WeekBody = z
  .object({ days: z.array(CanteenDayInput).max(7), baseRevision: z.number().int().min(0) })
  .strict();
const SavedWeekBody = z.object({ weekId: Id, revision: z.number().int() }).strict();
/** A week's CSV as a kitchen system exports it (FORMAT.md). */
const maxImportBytes = 2 * 1024 * 1024;

const statusOf = { not_found: 404, forbidden: 403, conflict: 409, invalid: 400 } as const;

/** A refused week as the HTTP error that says why, each problem of the plan as an issue. */
function asApiError(error: unknown): unknown {
  if (!(error instanceof WeekRefused)) return error;
  const issues = error.problems.map((problem) => ({
    path: problem.path.join('.'),
    message: problem.message,
  }));
  return new ApiError(
    statusOf[error.reason],
    error.reason === 'invalid' ? 'bad_request' : error.reason,
    error.message,
    {},
    issues.length > 0 ? issues : undefined,
  );
}

/**
 * Canteens and their plans over HTTP, for kitchen systems and scripts (the app syncs them and
 * writes through the outbox): everyone signed in reads; a canteen's managers write.
 */
export const canteenRoutes: FastifyPluginAsyncZod<{ db: Database; authenticator: Authenticator }> = async (
  app,
  { db, authenticator },
) => {
  // Only here does the API take something other than JSON.
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'buffer', bodyLimit: maxImportBytes },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/api/v1/canteens',
    {
      schema: {
        tags: ['canteen'],
        summary: 'All canteens',
        security: bearerAuth,
        response: { 200: z.object({ canteens: z.array(Canteen) }).strict(), ...errorResponses(401) },
      },
    },
    async (request) => {
      await authenticator.authenticate(request);
      return { canteens: await listCanteens(db) };
    },
  );

  app.get(
    '/api/v1/canteens/:canteenId/weeks/:weekStart',
    {
      schema: {
        tags: ['canteen'],
        summary: "A canteen's plan for a week",
        security: bearerAuth,
        params: WeekParams,
        response: { 200: CanteenWeek, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      await authenticator.authenticate(request);
      const [row] = await db.query<{ id: string }>(
        'SELECT id FROM canteen_weeks WHERE canteen_id = $1 AND week_start = $2',
        [request.params.canteenId, request.params.weekStart],
      );
      const week =
        row && (await canteenSyncSources.canteenWeek(db, [{ id: row.id, scope: 'company' }])).get(row.id);
      if (!week) throw new ApiError(404, 'not_found', 'This week has no plan');
      return week as CanteenWeek;
    },
  );

  app.put(
    '/api/v1/canteens/:canteenId/weeks/:weekStart',
    {
      schema: {
        tags: ['canteen'],
        summary: "Replace a canteen's plan for a week (its managers only)",
        security: bearerAuth,
        params: WeekParams,
        body: WeekBody,
        response: { 200: SavedWeekBody, ...errorResponses(400, 401, 403, 404, 409, 413) },
      },
    },
    async (request) => {
      const { personId } = await authenticator.authenticate(request);
      try {
        const saved = await db.transaction((tx) =>
          saveWeek(tx, personId, { ...request.params, ...request.body }),
        );
        return { weekId: saved.weekId, revision: saved.revision };
      } catch (error) {
        throw asApiError(error);
      }
    },
  );

  app.post(
    '/api/v1/canteens/:canteenId/weeks/:weekStart/import',
    {
      schema: {
        tags: ['canteen'],
        summary: "Replace a canteen's plan for a week with a CSV file (its managers only)",
        description:
          'Body: `text/csv`, UTF-8, as in the import format. Every problem is an issue with its line and column; with any, nothing is written.',
        security: bearerAuth,
        params: WeekParams,
        querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false') }).strict(),
        response: {
          200: z
            .object({
              /** Null for a dry run. */
              saved: SavedWeekBody.nullable(),
              days: z.number().int(),
              dishes: z.number().int(),
            })
            .strict(),
          ...errorResponses(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request) => {
      const { personId } = await authenticator.authenticate(request);
      if (!Buffer.isBuffer(request.body))
        throw new ApiError(415, 'unsupported_media_type', 'Send the week as text/csv');
      const file = request.body;
      try {
        const outcome = await db.transaction((tx) =>
          importWeek(tx, {
            ...request.params,
            file,
            editorId: personId,
            checkManager: true,
            dryRun: request.query.dryRun === 'true',
          }),
        );
        if ('problems' in outcome) {
          throw new ApiError(
            400,
            'bad_request',
            `The file has ${outcome.problems.length} problem(s); nothing was imported`,
            {},
            outcome.problems.map((problem) => ({
              path: problem.at ?? '',
              message: describeProblem(problem),
            })),
          );
        }
        const { saved, days, dishes } = outcome;
        return { saved: saved && { weekId: saved.weekId, revision: saved.revision }, days, dishes };
      } catch (error) {
        throw asApiError(error);
      }
    },
  );
};
