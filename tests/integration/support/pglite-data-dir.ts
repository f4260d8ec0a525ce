import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import '../setup/pglite-template.js';

/** A new, empty PGlite data directory for a test server, copied from the run's template. */
export async function newPgliteDataDir(prefix = 'flurfunk-server-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await cp(inject('pgliteTemplate'), dir, { recursive: true });
  return dir;
}
