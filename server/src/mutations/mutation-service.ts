import { Mutation, MutationResult } from '@flurfunk/protocol';
import type { MutationBatch } from '@flurfunk/protocol';
import type { Database, Queryable } from '../db/database.js';
import { scopesOf } from '../sync/scopes.js';
import { MutationRejected, type MutationHandler, type MutationHandlers } from './mutation-handler.js';

type Envelope = MutationBatch['mutations'][number];

/**
 * Applies a batch of client mutations in order, each in its own transaction with its result, so
 * a repeated id (a lost answer, a retry after a restart) returns the first result and writes
 * nothing. A rejection is stored too: retrying a refused write gives the same answer. Errors of
 * the server itself (database gone) fail the request; the mutations applied before it stay
 * applied and are recognised when the client sends the batch again.
 */
export class MutationService {
  constructor(
    private readonly db: Database,
    private readonly handlers: MutationHandlers,
  ) {}

  async apply(personId: string, batch: readonly Envelope[]): Promise<MutationResult[]> {
    const results: MutationResult[] = [];
    for (const envelope of batch) results.push(await this.applyOne(personId, envelope));
    return results;
  }

  private async applyOne(personId: string, envelope: Envelope): Promise<MutationResult> {
    const parsed = Mutation.safeParse(envelope);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
      return this.storeRejection(personId, envelope, {
        id: envelope.id,
        status: 'rejected',
        code: 'invalid',
        message: `${issue?.message ?? 'malformed mutation'}${where}`.slice(0, 500),
      });
    }
    const mutation = parsed.data;
    try {
      return await this.db.transaction(async (tx) => {
        const earlier = await claim(tx, personId, envelope);
        if (earlier) return earlier;
        const handler = this.handlers[mutation.type] as MutationHandler<typeof mutation.type>;
        const scopes = await scopesOf(tx, personId);
        const applied = await handler({ tx, personId, scopes }, mutation.args as never);
        const result: MutationResult = { id: mutation.id, status: 'applied', ...applied };
        await tx.query('UPDATE mutation_results SET result = $2 WHERE id = $1', [mutation.id, result]);
        return result;
      });
    } catch (error) {
      if (!(error instanceof MutationRejected)) throw error;
      return this.storeRejection(personId, envelope, {
        id: mutation.id,
        status: 'rejected',
        code: error.code,
        message: error.message,
      });
    }
  }

  private storeRejection(
    personId: string,
    envelope: Envelope,
    rejection: MutationResult,
  ): Promise<MutationResult> {
    return this.db.transaction(async (tx) => {
      const earlier = await claim(tx, personId, envelope);
      if (earlier) return earlier;
      await tx.query('UPDATE mutation_results SET result = $2 WHERE id = $1', [envelope.id, rejection]);
      return rejection;
    });
  }
}

/**
 * Reserves the mutation's id for this transaction, or returns the result stored under it. A
 * concurrent request with the same id waits on the row until this transaction ends.
 */
async function claim(tx: Queryable, personId: string, envelope: Envelope): Promise<MutationResult | null> {
  const inserted = await tx.query(
    `INSERT INTO mutation_results (id, person_id, type, result) VALUES ($1, $2, $3, 'null')
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [envelope.id, personId, envelope.type],
  );
  if (inserted.length > 0) return null;
  const [row] = await tx.query<{ person_id: string; result: unknown }>(
    'SELECT person_id, result FROM mutation_results WHERE id = $1',
    [envelope.id],
  );
  if (row?.person_id === personId) {
    const stored = MutationResult.safeParse(row.result);
    if (stored.success) return stored.data;
  }
  return {
    id: envelope.id,
    status: 'rejected',
    code: 'conflict',
    message: 'This mutation id was already used for another write',
  };
}

/** Results are kept this long: far longer than any client keeps retrying. */
export const mutationResultRetentionMs = 30 * 24 * 60 * 60 * 1000;

export async function pruneMutationResults(db: Queryable, olderThanMs: number): Promise<void> {
  await db.query(
    `DELETE FROM mutation_results WHERE created_at < now() - make_interval(secs => $1::double precision / 1000)`,
    [olderThanMs],
  );
}
