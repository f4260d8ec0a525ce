/**
 * The benchmark's own calls to the server: mutations and sync pages with `fetch`, authorised by
 * access tokens it mints with the server's key, so no benchmark pays for thousands of password
 * checks (argon2) to get them.
 */
import {
  type Mutation,
  MutationResponse,
  type MutationResult,
  type Role,
  type SyncChange,
  SyncPage,
} from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { AccessTokens, maxAccessTokenTtlSeconds } from '../../server/src/auth/access-tokens.js';
import { parseSigningKey } from '../../server/src/auth/signing-key.js';

/** Mints tokens exactly as the server signs them (its own signer, with the key it was started with). */
export function tokenMinter(jwtSecret: string) {
  const tokens = new AccessTokens(parseSigningKey(jwtSecret), maxAccessTokenTtlSeconds);
  return (principal: { personId: string; deviceId: string; roles: readonly string[] }) =>
    tokens.sign({ ...principal, roles: principal.roles as Role[] });
}

export const sendMessageMutation = (conversationId: string, body: string): Mutation => ({
  id: v7(),
  type: 'chat.sendMessage',
  args: { messageId: v7(), conversationId, body, replyToId: null, attachments: [] },
});

/** `POST /api/v1/mutations`; fails unless every mutation was applied. */
export async function postMutations(
  serverUrl: string,
  token: string,
  mutations: readonly Mutation[],
): Promise<Array<Extract<MutationResult, { status: 'applied' }>>> {
  const response = await fetch(`${serverUrl}/api/v1/mutations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mutations }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`mutations answered ${response.status}: ${text}`);
  const { results } = MutationResponse.parse(JSON.parse(text));
  return results.map((result) => {
    if (result.status !== 'applied') throw new Error(`a mutation was rejected: ${JSON.stringify(result)}`);
    return result;
  });
}

export interface PulledChanges {
  epoch: string;
  scopes: SyncPage['scopes'];
  changes: SyncChange[];
  cursor: string;
}

/** Every change after `after`, page by page, as the client's sync would fetch them. */
export async function pullChanges(serverUrl: string, token: string, after: string): Promise<PulledChanges> {
  const changes: SyncChange[] = [];
  let cursor = after;
  for (;;) {
    const response = await fetch(`${serverUrl}/api/v1/sync?after=${cursor}&limit=1000`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`sync answered ${response.status}: ${text}`);
    const page = SyncPage.parse(JSON.parse(text));
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { epoch: page.epoch, scopes: page.scopes, changes, cursor };
  }
}
