import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Bundles electron/core/worker.ts the way scripts/build.mjs does, into a fresh directory inside
 * the repository (so the bundle finds node_modules), and returns its URL and a cleanup.
 */
export async function buildCoreWorker(): Promise<{ url: URL; remove(): Promise<void> }> {
  const cacheDir = join(root, 'node_modules', '.cache');
  await mkdir(cacheDir, { recursive: true });
  const outDir = await mkdtemp(join(cacheDir, 'flurfunk-core-worker-'));
  const outfile = join(outDir, 'worker.js');
  await build({
    absWorkingDir: root,
    entryPoints: ['electron/core/worker.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    tsconfig: 'tsconfig.base.json',
  });
  return { url: pathToFileURL(outfile), remove: () => rm(outDir, { recursive: true, force: true }) };
}
