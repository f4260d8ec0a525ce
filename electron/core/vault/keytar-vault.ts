import type * as KeytarModule from 'keytar';
import type { Vault } from './vault.js';
import { vaultService } from './vault.js';

type Keytar = typeof KeytarModule;

/**
 * The OS keychain through keytar (Secret Service, Keychain, Credential Vault). keytar is archived
 * upstream, so it is loaded only on first use and nothing outside this file knows about it:
 * Electron's safeStorage or @napi-rs/keyring can replace it behind the `Vault` interface.
 */
export class KeytarVault implements Vault {
  private keytar: Promise<Keytar> | null = null;

  constructor(private readonly service: string = vaultService) {}

  async get(account: string): Promise<string | null> {
    return (await this.load()).getPassword(this.service, account);
  }

  async set(account: string, secret: string): Promise<void> {
    await (await this.load()).setPassword(this.service, account, secret);
  }

  async delete(account: string): Promise<void> {
    await (await this.load()).deletePassword(this.service, account);
  }

  private load(): Promise<Keytar> {
    // keytar is CommonJS: its functions arrive on the default export.
    this.keytar ??= import('keytar').then((module) => module.default);
    return this.keytar;
  }
}
