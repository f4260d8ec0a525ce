import type { IpcError, IpcErrorCode } from '@flurfunk/protocol';

/** A failed contract call, carrying the core's typed error so views can pick a message by `code`. */
export class ApiError extends Error {
  readonly code: IpcErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(error: IpcError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.retryAfterSeconds = error.retryAfterSeconds;
  }
}

/** The browser bridge's socket closed before the call was answered; the call may be retried. */
export class BridgeDisconnectedError extends ApiError {
  constructor() {
    super({ code: 'internal', message: 'The connection to the Flurfunk host was lost.' });
    this.name = 'BridgeDisconnectedError';
  }
}
