import { z } from 'zod';
import type { LiveTuning } from './session/user-session.js';
import type { Vault } from './vault/vault.js';

/**
 * The core's options that can cross a thread boundary: a worker thread receives exactly these
 * and parses them before it starts.
 */
export const WorkerOptions = z
  .object({
    /** The user-data dir; caches live under `${dataDir}/cache/`. */
    dataDir: z.string().min(1),
    /** Sent at sign-in; the server binds the refresh token to it. */
    deviceName: z.string().min(1),
    appVersion: z.string(),
    host: z.enum(['electron', 'browser']),
    /** Pre-filled on the login screen (demo or policy). */
    defaultServerUrl: z.string().nullable(),
    /** Periodic pull interval; default 30 s. */
    syncIntervalMs: z.number().int().positive().optional(),
  })
  .strict();
export type WorkerOptions = z.infer<typeof WorkerOptions>;

export type CoreOptions = WorkerOptions & {
  /**
   * Default: the OS keychain (always, in a worker). A `MemoryVault` keeps secrets for this
   * process only (kiosk).
   */
  vault?: Vault;
  /** Timeouts and backoff of the live socket; tests shorten them. */
  live?: LiveTuning;
};
