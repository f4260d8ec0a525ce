/**
 * The decision behind the one IPC entry point: is this call allowed to reach the core?
 * No `electron` import: unit-tested in plain Node. The wiring lives in ipc.ts.
 */
import { isMethodName, type IpcErrorCode, type IpcResult, type MethodName } from '@flurfunk/protocol';
import { isTrustedSender, type SenderFrame } from './security.js';

export type InvokeRoute =
  { action: 'forward'; method: MethodName; args: unknown } | { action: 'reply'; result: IpcResult<never> };

export function failure(code: IpcErrorCode, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

/**
 * Forward to the core only calls from the app's own top-level page naming a contract method.
 * The core then parses `args` with the method's zod schema.
 */
export function routeInvoke(
  sender: SenderFrame | null | undefined,
  method: unknown,
  args: unknown,
): InvokeRoute {
  if (!isTrustedSender(sender)) {
    return {
      action: 'reply',
      result: failure('forbidden', 'Refused: the call did not come from the Flurfunk window.'),
    };
  }
  if (!isMethodName(method)) {
    return { action: 'reply', result: failure('unknown_method', `Unknown method: ${describe(method)}`) };
  }
  return { action: 'forward', method, args };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : typeof value;
}
