import type { Principal } from '../auth/access-tokens.js';

/**
 * Who may see a change (the change log's scope_kind/scope_id). Everything is company-wide for
 * now; org unit, location, chat, user and role scopes join this union with their id.
 */
export type Scope = { kind: 'company' };

/** The one rule deciding which live clients hear about a change in `scope`. */
export function canSee(_principal: Principal, scope: Scope): boolean {
  switch (scope.kind) {
    case 'company':
      return true;
  }
}
