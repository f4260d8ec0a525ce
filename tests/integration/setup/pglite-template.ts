/**
 * Global setup of the integration tests: one empty, initialised PGlite database directory for the
 * whole run. Creating a PGlite database runs initdb inside WebAssembly, seconds of CPU each time;
 * copying this template takes a fraction of that. It holds nothing of Flurfunk: every server still
 * runs its own migrations and makes its own keys, epoch and demo company.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'flurfunk-pglite-template-'));
  const db = await PGlite.create(dir);
  await db.close();
  project.provide('pgliteTemplate', dir);
  return () => rm(dir, { recursive: true, force: true });
}
