import type { SyncTarget } from '../sync/sync-target.js';
import type { BrandingCache } from './branding-cache.js';

/** How long a branding whose files did not come waits before it is asked for again. */
const retryAfterMs = 30_000;

/**
 * Sync's way into the branding cache. The cache fetches the files after the page's transaction;
 * losing the scope removes nothing, since the branding is the same for everyone.
 */
export function brandingSyncTarget(cache: BrandingCache, serverUrl: string): SyncTarget {
  return {
    apply(change) {
      if (change.type !== 'branding.upsert') return;
      void cache.adopt(serverUrl, change.data).catch(() => {
        // Its files did not come (offline, or replaced again meanwhile): ask for the newest later,
        // as the cursor has moved past this change.
        setTimeout(() => void cache.refresh(serverUrl), retryAfterMs).unref();
      });
    },
    remove() {},
  };
}
