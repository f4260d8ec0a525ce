import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { note } from './bench-env.js';

/**
 * What a benchmark started (temp dirs, servers, child processes, clients), released in reverse
 * order when it ends, also when it fails half-way.
 */
export class Resources {
  private readonly releases: Array<{ what: string; release: () => unknown }> = [];

  /** Runs `release` when the benchmark ends; returns `value` for chaining. */
  hold<T>(what: string, value: T, release: (value: T) => unknown): T {
    this.releases.push({ what, release: () => release(value) });
    return value;
  }

  async tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), `flurfunk-bench-${prefix}-`));
    return this.hold(`temp dir ${dir}`, dir, (d) => rm(d, { recursive: true, force: true }));
  }

  /** Releases everything; a failing release is reported and the others still run. */
  async releaseAll(): Promise<void> {
    for (const { what, release } of this.releases.splice(0).reverse()) {
      try {
        await release();
      } catch (error) {
        note(`could not release ${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

export async function withResources<T>(work: (resources: Resources) => Promise<T>): Promise<T> {
  const resources = new Resources();
  try {
    return await work(resources);
  } finally {
    await resources.releaseAll();
  }
}
