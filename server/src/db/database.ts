/** The one interface the server uses to talk to its database, implemented for PGlite and PostgreSQL. */
export interface Queryable {
  /** One statement with `$1…` parameters; resolves to the result rows. */
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs read-only `work` on one consistent snapshot: nothing committed meanwhile shows. */
  snapshot<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATEs the server reacts to. */
export const PgErrorCode = {
  foreignKeyViolation: '23503',
  uniqueViolation: '23505',
} as const;

export function pgErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
