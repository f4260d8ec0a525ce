/** Why an existing cache file could not be used. The cache is then moved aside and rebuilt. */
export type CacheProblem = 'keyMissing' | 'wrongKey' | 'corrupt' | 'newerVersion';

export class CacheOpenError extends Error {
  override readonly name = 'CacheOpenError';

  constructor(
    readonly problem: CacheProblem,
    message: string,
  ) {
    super(message);
  }
}
