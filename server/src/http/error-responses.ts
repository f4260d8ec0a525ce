import { ErrorBody } from '@flurfunk/protocol';

/** Response schemas for the error statuses a route can answer with (documented in the OpenAPI file). */
export function errorResponses<const S extends number>(...statuses: S[]): Record<S, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody])) as Record<S, typeof ErrorBody>;
}

/** Routes that need `Authorization: Bearer <access token>`. */
export const bearerAuth = [{ bearerAuth: [] }];
