import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Flushes the dirty pages that seeding (or an earlier phase) left in the page cache, so a timed
 * phase does not compete with their write-back for the disk.
 */
export async function settleDisk(): Promise<void> {
  await promisify(execFile)('sync');
}
