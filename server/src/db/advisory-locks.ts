/**
 * Keys of transaction-scoped advisory locks (`pg_advisory_xact_lock`). They serialize work that
 * must not interleave when several server instances share one PostgreSQL database.
 */
export const AdvisoryLock = {
  migrations: 7_301_001,
  changeLog: 7_301_002,
  demoSeed: 7_301_003,
} as const;

/**
 * First keys of two-key locks `pg_advisory_xact_lock(class, hashtext(name))`, one lock per name.
 * PostgreSQL keeps two-key locks apart from the single-key ones above.
 */
export const AdvisoryLockClass = {
  loginAttempts: 7_301,
} as const;
