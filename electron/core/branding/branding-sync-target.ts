import type { SyncTarget } from '../sync/sync-target.js';
import type { BrandingCache } from './branding-cache.js';

/**
 * Sync's way into the branding cache. The cache fetches the files after the page's transaction;
 * losing the scope removes nothing, since the branding is the same for everyone.
 */
export function brandingSyncTarget(cache: BrandingCache, serverUrl: string): SyncTarget {
  return {
    apply(change) {
      if (change.type === 'branding.upsert') void cache.adopt(serverUrl, change.data).catch(() => undefined);
    },
    remove() {},
  };
}
