import { z } from 'zod';
import { Role } from './auth.js';

/**
 * Who may see a synced entity, written as one string so it can be stored, compared and listed
 * cheaply:
 * - `company`: everyone;
 * - `user:<person id>`: one person (their own settings and read positions);
 * - `orgUnit:<unit id>`: the members of exactly that unit;
 * - `orgUnitTree:<unit id>`: the members of that unit and of every unit below it;
 * - `location:<location id>`: the people working at that location;
 * - `chat:<conversation id>`: the members of a conversation with an explicit member list;
 * - `role:<role>`: everyone holding that role.
 * Every entity lives in exactly one scope at a time; the server decides which scopes a person has.
 */
export type ScopeKind = 'company' | 'user' | 'orgUnit' | 'orgUnitTree' | 'location' | 'chat' | 'role';

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const scopePattern = new RegExp(
  `^(company|(user|orgUnit|orgUnitTree|location|chat):${uuid}|role:(${Role.options.join('|')}))$`,
);

export const ScopeKey = z.string().max(60).regex(scopePattern, 'not a scope');
export type ScopeKey = z.infer<typeof ScopeKey>;

export const companyScope: ScopeKey = 'company';

export function scopeKey(kind: Exclude<ScopeKind, 'company'>, id: string): ScopeKey {
  return `${kind}:${id.toLowerCase()}`;
}

/** The kind and the id (a uuid or a role name; '' for the company) of a valid scope key. */
export function parseScopeKey(key: ScopeKey): { kind: ScopeKind; id: string } {
  if (key === 'company') return { kind: 'company', id: '' };
  const colon = key.indexOf(':');
  return { kind: key.slice(0, colon) as ScopeKind, id: key.slice(colon + 1) };
}
