import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Every regular file below `dir`, recursively. */
export async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** The byte patterns a secret could be written as: as stored, and for a 256-bit key also hex/base64/raw. */
export function encodingsOf(secret: string): Buffer[] {
  const encodings = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  for (const decoded of [Buffer.from(secret, 'hex'), Buffer.from(secret, 'base64')]) {
    if (decoded.length === 32) {
      encodings.push(
        decoded,
        Buffer.from(decoded.toString('hex')),
        Buffer.from(decoded.toString('base64')),
        Buffer.from(decoded.toString('base64url')),
      );
    }
  }
  return encodings;
}

/** Which of the labelled patterns occur in which files below `dir`, as "label in file" lines. */
export async function findInFiles(dir: string, patterns: Map<string, Buffer[]>): Promise<string[]> {
  const found: string[] = [];
  for (const file of await filesBelow(dir)) {
    const content = await readFile(file);
    for (const [label, encodings] of patterns) {
      if (encodings.some((encoding) => content.includes(encoding))) found.push(`${label} in ${file}`);
    }
  }
  return found;
}
