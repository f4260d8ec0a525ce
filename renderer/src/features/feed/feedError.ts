import { ApiError } from '@/api/index.js';

/** The feed's error messages, by the core's error code; everything else gets the generic one. */
export const feedErrorCodes = ['forbidden', 'not_found', 'unreachable', 'invalid_args'] as const;

/** The i18n key of the message shown when a feed action fails. */
export function feedErrorKey(cause: unknown): string {
  const code = cause instanceof ApiError ? cause.code : null;
  return (feedErrorCodes as readonly string[]).includes(code ?? '')
    ? `feed.errors.${code}`
    : 'feed.errors.other';
}
