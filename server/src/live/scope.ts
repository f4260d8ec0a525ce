import type { ScopeKey } from '@flurfunk/protocol';

/**
 * Whether a live client holding `scopes` hears about a change in `scope`. The scopes themselves
 * come from `scopesOf` (sync/scopes.ts), the one place that decides who sees what.
 */
export function canSee(scopes: ReadonlySet<ScopeKey>, scope: ScopeKey): boolean {
  return scopes.has(scope);
}
