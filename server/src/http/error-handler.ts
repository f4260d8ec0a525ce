import type { ErrorBody, ServerErrorCode } from '@flurfunk/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError } from './api-error.js';

function body(code: ServerErrorCode, message: string, issues?: ErrorBody['error']['issues']): ErrorBody {
  return { error: issues ? { code, message, issues } : { code, message } };
}

/**
 * Every failure leaves the server as `{error:{code,message}}`: our own errors, schema violations,
 * Fastify's parser errors (malformed JSON, oversized or empty bodies, wrong content type) and
 * unknown routes. Only a real bug becomes a 500, and its details stay in the log.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      return reply
        .code(error.status)
        .headers(error.headers)
        .send(body(error.code, error.message, error.issues));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.flatMap((issue) => {
        const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
        const message = issue.message ?? 'invalid value';
        // An unknown field is reported where it is, not at the object that contains it.
        const keys = issue.keyword === 'unrecognized_keys' ? (issue.params.keys as unknown) : undefined;
        return Array.isArray(keys)
          ? keys.map((key) => ({
              path: path ? `${path}.${String(key)}` : String(key),
              message: 'Unknown field',
            }))
          : [{ path, message }];
      });
      const where = error.validationContext ?? 'request';
      return reply.code(400).send(body('bad_request', `Invalid ${where}`, issues));
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return reply.code(413).send(body('payload_too_large', 'Request body is too large'));
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send(body('bad_request', error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(body('internal', 'Internal server error'));
  });

  app.setNotFoundHandler((request, reply) => {
    return reply
      .code(404)
      .send(body('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`));
  });
}
