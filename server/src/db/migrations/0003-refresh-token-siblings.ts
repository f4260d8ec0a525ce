import type { Migration } from './index.js';

export const refreshTokenSiblings: Migration = {
  version: 3,
  name: 'refresh tokens remember the token they were issued for',
  sql: `
    -- Hash of the token this one was issued in exchange for; NULL for a device's first token.
    -- Tokens issued for the same token are siblings (a retried refresh): the first one used
    -- spends the others.
    ALTER TABLE refresh_tokens ADD COLUMN issued_for text;
    CREATE INDEX refresh_tokens_issued_for ON refresh_tokens (issued_for);
  `,
};
