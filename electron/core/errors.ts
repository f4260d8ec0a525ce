import type { IpcError, IpcErrorCode } from '@flurfunk/protocol';

/** An expected failure that crosses the contract as a typed `IpcError`. */
export class CoreError extends Error {
  override readonly name = 'CoreError';

  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  toIpcError(): IpcError {
    return this.retryAfterSeconds === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, retryAfterSeconds: this.retryAfterSeconds };
  }
}

/**
 * The server's change log is not the one the cache was filled from (the server was reset or
 * restored, or it no longer knows the cursor): the synced data has to go and the pull starts
 * again from "0". Crosses the contract as `server_error` if it is not handled.
 */
export class SyncLogReplacedError extends CoreError {
  constructor(detail: string) {
    super('server_error', `the server's change log was replaced: ${detail}`);
  }
}

export function isCoreError(error: unknown, code?: IpcErrorCode): error is CoreError {
  return error instanceof CoreError && (code === undefined || error.code === code);
}
