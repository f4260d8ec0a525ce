import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const builtFiles = [
  'dist/server/cli.js',
  'dist/browser-host/cli.js',
  'dist/core/worker.js',
  'dist/renderer/index.html',
];

/** The e2e tests drive the built app, exactly what `npm start` runs; the test command builds first. */
export function assertBuilt(): void {
  const missing = builtFiles.filter((file) => !existsSync(new URL(file, `file://${repoRoot}`)));
  if (missing.length > 0) {
    throw new Error(
      `The e2e tests need a build: ${missing.join(', ')} missing. Run \`node scripts/build.mjs\` first.`,
    );
  }
}
