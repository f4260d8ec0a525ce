import argon2 from 'argon2';
import { ConcurrencyLimit } from './concurrency-limit.js';

/** argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes): above OWASP's minimum. */
const hashOptions = { type: argon2.argon2id } as const;

/**
 * argon2 runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), which
 * file access and DNS lookups share. Sign-ins may use half of it; a burst of them waits its turn
 * instead of stalling everything else.
 */
const passwordCheckSlots = Math.max(1, Math.floor((Number(process.env.UV_THREADPOOL_SIZE) || 4) / 2));

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, hashOptions);
}

export function passwordNeedsRehash(hash: string): boolean {
  return argon2.needsRehash(hash);
}

/**
 * Verifies passwords; for unknown users or accounts without a password it still runs one argon2
 * verification against a throw-away hash, so response time does not reveal whether a username exists.
 */
export class PasswordVerifier {
  private readonly slots = new ConcurrencyLimit(passwordCheckSlots);

  private constructor(private readonly decoyHash: string) {}

  static async create(): Promise<PasswordVerifier> {
    return new PasswordVerifier(await hashPassword('decoy password that matches nothing'));
  }

  verify(storedHash: string | null, password: string): Promise<boolean> {
    return this.slots.run(async () => {
      const matches = await argon2.verify(storedHash ?? this.decoyHash, password).catch(() => false);
      return storedHash !== null && matches;
    });
  }
}
