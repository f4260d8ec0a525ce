/** The client core's public entry: start it in-process or in a worker thread. */
export { createCore } from './core.js';
export type { Core } from './core.js';
export type { CoreOptions, WorkerOptions } from './core-options.js';
export { startCoreWorker } from './worker/host.js';
export type { Vault } from './vault/vault.js';
export { KeytarVault } from './vault/keytar-vault.js';
export { MemoryVault } from './vault/memory-vault.js';
