/**
 * What the encryption of the local cache costs: the same sync apply and the same directory search,
 * once on the SQLCipher cache and once on an unencrypted SQLite database with the same schema.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SyncChange, SyncPage } from '@flurfunk/protocol';
import { applySyncPage } from '../electron/core/sync/apply-page.js';
import { syncStoresFor } from '../tests/unit/core/sync-test-stores.js';
import { type DemoCompany, asSyncedPerson, generateDemoCompany } from '../server/src/demo/generate.js';
import { type Opener, encryptedCache, plainCache } from './cache-databases.js';
import { medianMs, report } from './harness.js';

const companySize = 10_000;
const searches = ['mül', 'weiss', 'becker kommunikation', 'schmidt', 'meister werk'];

/** The demo company's directory as the first sync page of a fresh client carries it. */
export function directoryPage(company: DemoCompany): SyncPage {
  const changes: SyncChange[] = [];
  let seq = 0;
  const next = () => String(++seq);
  for (const data of company.locations)
    changes.push({ seq: next(), id: data.id, scope: 'company', type: 'location.upsert', data });
  for (const data of company.orgUnits)
    changes.push({ seq: next(), id: data.id, scope: 'company', type: 'orgUnit.upsert', data });
  for (const demoPerson of company.people) {
    const data = asSyncedPerson(demoPerson);
    changes.push({ seq: next(), id: data.id, scope: 'company', type: 'person.upsert', data });
  }
  return { epoch: 'bench', scopes: ['company'], changes, cursor: String(seq), hasMore: false };
}

function measureApply(open: Opener, page: SyncPage, dir: string, name: string): number {
  let run = 0;
  return medianMs(
    () => {
      const db = open(path.join(dir, `${name}-apply-${run++}.db`));
      applySyncPage(db, syncStoresFor(db).stores, page, { kind: 'main', after: '0' }, null);
      db.close();
    },
    5,
    1,
  );
}

function measureSearch(open: Opener, page: SyncPage, dir: string, name: string): number {
  const db = open(path.join(dir, `${name}-search.db`));
  const { stores, directory: store } = syncStoresFor(db);
  applySyncPage(db, stores, page, { kind: 'main', after: '0' }, null);
  const ms = medianMs(() => {
    for (const query of searches) store.listPeople({ query, offset: 0, limit: 50 });
  }, 30);
  db.close();
  return ms / searches.length;
}

export function runCacheBenchmarks(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'flurfunk-bench-'));
  try {
    const page = directoryPage(generateDemoCompany(companySize));
    const rows = page.changes.length;
    const apply = [
      measureApply(encryptedCache, page, dir, 'encrypted'),
      measureApply(plainCache, page, dir, 'plain'),
    ] as const;
    report(`cache.syncApply.${rows}rows`, 'ms', ...apply);
    const search = [
      measureSearch(encryptedCache, page, dir, 'encrypted'),
      measureSearch(plainCache, page, dir, 'plain'),
    ] as const;
    report(`cache.search.${companySize}people`, 'ms', ...search);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
