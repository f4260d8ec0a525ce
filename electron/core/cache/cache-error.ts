/**
 * Why an existing cache file could not be used. A cache from a newer Flurfunk is left as it is;
 * every other problem has the cache moved aside and rebuilt.
 */
export type CacheProblem = 'keyMissing' | 'wrongKey' | 'corrupt' | 'newerVersion';

/** The problems after which the cache is rebuilt from the server. */
export type RebuildReason = Exclude<CacheProblem, 'newerVersion'>;

export class CacheOpenError extends Error {
  override readonly name = 'CacheOpenError';

  constructor(
    readonly problem: CacheProblem,
    message: string,
  ) {
    super(message);
  }
}
