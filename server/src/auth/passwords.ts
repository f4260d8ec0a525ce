import argon2 from 'argon2';
import { ApiError } from '../http/api-error.js';
import { ConcurrencyLimit, ConcurrencyLimitFullError } from './concurrency-limit.js';

/** argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes): above OWASP's minimum. */
const hashOptions = { type: argon2.argon2id } as const;

/**
 * argon2 runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), which
 * file access and DNS lookups share. Sign-ins may use half of it; a burst of them waits its turn
 * instead of stalling everything else.
 */
const defaultSlots = Math.max(1, Math.floor((Number(process.env.UV_THREADPOOL_SIZE) || 4) / 2));
/** More waiters than this would only answer after the client gave up; they are turned away instead. */
const defaultMaxWaiting = 32;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, hashOptions);
}

export function passwordNeedsRehash(hash: string): boolean {
  return argon2.needsRehash(hash);
}

const busy = () =>
  new ApiError(
    429,
    'rate_limited',
    'Too many sign-ins are being checked at the moment; the server is busy. Try again in a second.',
    { 'retry-after': '1' },
  );

/**
 * Checks and hashes passwords, a bounded number at a time (see `defaultSlots`). For unknown users
 * or accounts without a password it still runs one argon2 verification against a throw-away hash,
 * so response time does not reveal whether a username exists.
 */
export class PasswordVerifier {
  private readonly slots: ConcurrencyLimit;

  private constructor(
    private readonly decoyHash: string,
    limits: { slots: number; maxWaiting: number },
  ) {
    this.slots = new ConcurrencyLimit(limits.slots, limits.maxWaiting);
  }

  static async create(
    limits = { slots: defaultSlots, maxWaiting: defaultMaxWaiting },
  ): Promise<PasswordVerifier> {
    return new PasswordVerifier(await hashPassword('decoy password that matches nothing'), limits);
  }

  /**
   * True when `password` matches `storedHash`. Fails with a 429 when too many checks wait already,
   * and skips the check when `stillWanted` says the client has gone away while it waited.
   */
  verify(storedHash: string | null, password: string, stillWanted: () => boolean): Promise<boolean> {
    return this.limited(async () => {
      if (!stillWanted()) {
        throw new ApiError(400, 'bad_request', 'The client went away before its password was checked');
      }
      const matches = await argon2.verify(storedHash ?? this.decoyHash, password).catch(() => false);
      return storedHash !== null && matches;
    });
  }

  /** A new hash with the current parameters; shares the slots with `verify`. */
  hash(password: string): Promise<string> {
    return this.limited(() => hashPassword(password));
  }

  private async limited<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.slots.run(task);
    } catch (error) {
      throw error instanceof ConcurrencyLimitFullError ? busy() : error;
    }
  }
}
