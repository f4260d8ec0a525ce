// Builds everything `npm start`, the e2e tests and electron-builder need into dist/:
// the renderer with Vite, and each Node/Electron entry point as one esbuild bundle.
// Native modules and other dependencies stay external: they load from node_modules at run time.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  tsconfig: 'tsconfig.base.json',
};

const bundles = [
  { name: 'server', entry: 'server/src/cli.ts', out: 'dist/server/cli.js', format: 'esm' },
  { name: 'core', entry: 'electron/core/worker.ts', out: 'dist/core/worker.js', format: 'esm' },
  {
    name: 'browser-host',
    entry: 'electron/browser-host/cli.ts',
    out: 'dist/browser-host/cli.js',
    format: 'esm',
  },
  { name: 'electron', entry: 'electron/main/index.ts', out: 'dist/electron/main.cjs', format: 'cjs' },
  // A sandboxed preload cannot require anything but a few Electron modules: bundle all of it.
  {
    name: 'electron',
    entry: 'electron/preload/index.ts',
    out: 'dist/electron/preload.cjs',
    format: 'cjs',
    packages: 'bundle',
    external: ['electron'],
    platform: 'browser',
    target: 'chrome130',
  },
];

if (only.length === 0) await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });

await Promise.all([
  wanted('renderer') ? viteBuild({ configFile: `${root}/renderer/vite.config.ts`, logLevel: 'warn' }) : null,
  ...bundles
    .filter((b) => wanted(b.name))
    .map(({ name: _name, entry, out, ...options }) =>
      esbuild({ ...common, entryPoints: [entry], outfile: out, ...options }),
    ),
]);
console.log(`built ${only.length ? only.join(', ') : 'everything'} into dist/`);
