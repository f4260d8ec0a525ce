import { ApiError } from '@/api/index.js';

const knownCodes = [
  'forbidden',
  'not_found',
  'unreachable',
  'invalid_args',
  'file_too_large',
  'file_type_refused',
] as const;

/** The i18n key of the message shown when a chat action fails, by the core's error code. */
export function chatErrorKey(cause: unknown): string {
  const code = cause instanceof ApiError ? cause.code : null;
  return (knownCodes as readonly string[]).includes(code ?? '') ? `chat.errors.${code}` : 'chat.errors.other';
}
