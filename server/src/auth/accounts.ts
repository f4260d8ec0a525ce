import { Role, type SessionUser } from '@flurfunk/protocol';
import { z } from 'zod';
import type { Database } from '../db/database.js';

export interface Account {
  user: SessionUser;
  passwordHash: string | null;
}

const Roles = z.array(Role);

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  roles: string[];
  password_hash: string | null;
}

/** Only active people have an account to sign in with. */
const selectAccount = `
  SELECT p.id, p.username, p.display_name, a.roles, a.password_hash
    FROM accounts a JOIN persons p ON p.id = a.person_id AND p.deactivated_at IS NULL`;

function toAccount(row: AccountRow): Account {
  return {
    user: {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      roles: Roles.parse(row.roles),
    },
    passwordHash: row.password_hash,
  };
}

/** Sign-in identities: a person plus password hash and roles. */
export class Accounts {
  constructor(private readonly db: Database) {}

  async findByUsername(username: string): Promise<Account | null> {
    const [row] = await this.db.query<AccountRow>(`${selectAccount} WHERE p.username = $1`, [username]);
    return row ? toAccount(row) : null;
  }

  async findByPersonId(personId: string): Promise<Account | null> {
    const [row] = await this.db.query<AccountRow>(`${selectAccount} WHERE p.id = $1`, [personId]);
    return row ? toAccount(row) : null;
  }

  async setPasswordHash(personId: string, passwordHash: string): Promise<void> {
    await this.db.query('UPDATE accounts SET password_hash = $2 WHERE person_id = $1', [
      personId,
      passwordHash,
    ]);
  }
}

/** Usernames are case-insensitive; they are stored and looked up in lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}
