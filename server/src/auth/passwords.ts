import argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes): above OWASP's minimum. */
const hashOptions = { type: argon2.argon2id } as const;

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
  private constructor(private readonly decoyHash: string) {}

  static async create(): Promise<PasswordVerifier> {
    return new PasswordVerifier(await hashPassword('decoy password that matches nothing'));
  }

  async verify(storedHash: string | null, password: string): Promise<boolean> {
    if (storedHash === null) {
      await argon2.verify(this.decoyHash, password).catch(() => false);
      return false;
    }
    return argon2.verify(storedHash, password).catch(() => false);
  }
}
