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

export function isCoreError(error: unknown, code?: IpcErrorCode): error is CoreError {
  return error instanceof CoreError && (code === undefined || error.code === code);
}
