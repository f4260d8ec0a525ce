import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * What the main process loads, relative to the directory of its own bundle (dist/electron, see
 * scripts/build.mjs). That holds however Electron was started and inside the packaged asar.
 */
export function bundlePaths(bundleDir: string): { rendererDir: string; preload: string; coreWorker: URL } {
  return {
    rendererDir: path.join(bundleDir, '..', 'renderer'),
    preload: path.join(bundleDir, 'preload.cjs'),
    coreWorker: pathToFileURL(path.join(bundleDir, '..', 'core', 'worker.js')),
  };
}
