import type { ServerErrorCode } from '@flurfunk/protocol';

/** An expected failure that becomes `{error:{code,message}}` with `status`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServerErrorCode,
    message: string,
    /** Extra response headers, e.g. `Retry-After`. */
    readonly headers: Readonly<Record<string, string>> = {},
    /** What exactly is wrong with a bad request, value by value. */
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
