import type { Mutation, MutationRejection, MutationType, ScopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';

export interface MutationContext {
  tx: Queryable;
  personId: string;
  /** The author's scopes, read in this transaction. */
  scopes: readonly ScopeKey[];
}

export interface Applied {
  seq: string | null;
  entityId: string | null;
}

/** Applies one mutation in the caller's transaction, or throws `MutationRejected`. */
export type MutationHandler<T extends MutationType> = (
  context: MutationContext,
  args: Extract<Mutation, { type: T }>['args'],
) => Promise<Applied>;

export type MutationHandlers = { readonly [T in MutationType]: MutationHandler<T> };

/** A refusal the client shows; everything the mutation wrote so far is rolled back. */
export class MutationRejected extends Error {
  constructor(
    readonly code: MutationRejection,
    message: string,
  ) {
    super(message);
    this.name = 'MutationRejected';
  }
}

export const reject = (code: MutationRejection, message: string) => new MutationRejected(code, message);
