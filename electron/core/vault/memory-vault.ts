import type { Vault } from './vault.js';

/** Secrets that live only as long as the process: for kiosk sessions and other ephemeral use. */
export class MemoryVault implements Vault {
  private readonly secrets = new Map<string, string>();

  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<void> {
    this.secrets.delete(account);
  }
}
