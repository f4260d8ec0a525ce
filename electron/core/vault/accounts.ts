import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/**
 * Keychain account names. Secrets of a signed-in user are filed per server, user and profile
 * (user-data dir), so two profiles of the same user never overwrite each other's key or token.
 */
export interface UserAccount {
  serverUrl: string;
  username: string;
}

export function profileId(dataDir: string): string {
  return createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
}

export function cacheKeyAccount(profile: string, user: UserAccount): string {
  return `${user.serverUrl}|${user.username}|${profile}|cacheKey`;
}

export function refreshTokenAccount(profile: string, user: UserAccount): string {
  return `${user.serverUrl}|${user.username}|${profile}|refreshToken`;
}

/** Points at the profile's current server and user. Kept in the keychain so no file names a person. */
export function sessionPointerAccount(profile: string): string {
  return `${profile}|session`;
}

/** The random salt of the profile's cache file names (see `CacheRegistry`). */
export function cacheNameSaltAccount(profile: string): string {
  return `${profile}|cacheNameSalt`;
}

/** The profile's caches whose keys the vault holds (see `CacheRegistry`). */
export function cacheListAccount(profile: string): string {
  return `${profile}|caches`;
}

/** The key of the profile's own files, which outlive sign-outs (see `openProfileFiles`). */
export function profileKeyAccount(profile: string): string {
  return `${profile}|profileKey`;
}
