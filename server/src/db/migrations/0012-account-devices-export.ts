import type { Migration } from './index.js';

export const accountDevicesExport: Migration = {
  version: 12,
  name: 'account: devices signed out from another device, mutation results by person for the export',
  sql: `
    -- A person signs one of their devices out from another one (or all the others at once).
    ALTER TABLE devices DROP CONSTRAINT devices_revoked_reason_check;
    ALTER TABLE devices ADD CONSTRAINT devices_revoked_reason_check
      CHECK (revoked_reason IN ('logout', 'tokenReused', 'deactivated', 'signedOutElsewhere'));

    -- The data export lists the mutations a person sent (kept for retries, then pruned by age).
    CREATE INDEX mutation_results_person ON mutation_results (person_id, created_at);
  `,
};
