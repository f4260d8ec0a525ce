/** Where the core keeps secrets: the cache key, the refresh token and the current-session pointer. */
export interface Vault {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

/** The keychain service every Flurfunk entry is filed under. */
export const vaultService = 'Flurfunk';
