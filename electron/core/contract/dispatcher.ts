import { contract, isMethodName } from '@flurfunk/protocol';
import type { Contract, IpcResult, MethodName } from '@flurfunk/protocol';
import { z } from 'zod';
import { CoreError } from '../errors.js';
import { logError } from '../log.js';

/** The implementation of every contract method, typed by the contract's schemas. */
export type Handlers = {
  [M in MethodName]: (args: z.output<Contract[M]['args']>) => Promise<z.input<Contract[M]['result']>>;
};

/**
 * Turns handlers into the one entry point of the core. Checks the method name and its arguments
 * against the contract, checks the result against its schema, and always answers with an
 * `IpcResult`: nothing thrown inside ever crosses the boundary.
 */
export function createDispatcher(
  handlers: Handlers,
): (method: string, args: unknown) => Promise<IpcResult<unknown>> {
  return (method, args) =>
    settle(`method ${String(method).slice(0, 100)}`, () => {
      if (!isMethodName(method)) {
        throw new CoreError(
          'unknown_method',
          `there is no method ${JSON.stringify(String(method).slice(0, 100))}`,
        );
      }
      return run(method, args);
    });

  async function run<M extends MethodName>(method: M, args: unknown): Promise<unknown> {
    const { args: argsSchema, result: resultSchema } = contract[method];
    const parsedArgs = argsSchema.safeParse(args);
    if (!parsedArgs.success) {
      throw new CoreError(
        'invalid_args',
        `invalid arguments for ${method}: ${z.prettifyError(parsedArgs.error)}`,
      );
    }
    const handler = handlers[method] as (args: unknown) => Promise<unknown>;
    const result = resultSchema.safeParse(await handler(parsedArgs.data));
    if (!result.success)
      throw new Error(`${method} produced a result that breaks the contract: ${result.error.message}`);
    return result.data;
  }
}

/**
 * Runs `work` and answers with an `IpcResult`: a `CoreError` as its typed error, anything else
 * logged (as `what`) and answered as `internal`. Nothing thrown inside crosses the boundary.
 */
export async function settle<T>(what: string, work: () => Promise<T>): Promise<IpcResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof CoreError) return { ok: false, error: error.toIpcError() };
    logError(what, error);
    return { ok: false, error: { code: 'internal', message: 'an unexpected error occurred in the core' } };
  }
}
