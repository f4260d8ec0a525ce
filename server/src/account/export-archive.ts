import { safeFileName } from '@flurfunk/protocol';
import type { Readable } from 'node:stream';
import type { DiskFileStorage } from '../files/file-storage.js';
import type { ExportData, UploadedFile } from './export-data.js';
import { exportReadme } from './export-readme.js';
import { type ZipEntry, zipLimits, zipStream } from './zip-stream.js';

/** The version of `data.json`'s shape (EXPORT.md); raised when a field changes meaning or goes. */
export const exportFormat = 1;

/** Why an uploaded file is listed in `data.json` but its bytes are not in the archive. */
type LeftOutBecause = 'noFileStorage' | 'bytesMissing' | 'archiveFull';

/** Kept free for `data.json`, the README and the ZIP's directory when files fill the archive. */
const reservedBytes = 256 * 1024 * 1024;
/** A file's local header and data descriptor, and its central directory record, without its name. */
const entryOverheadBytes = 30 + 16 + 46;

/** `flurfunk-export-<username>-<YYYY-MM-DD>.zip`, with the date in UTC. */
export function exportFileName(username: string, exportedAt: Date): string {
  const safeUsername = username.replace(/[^a-z0-9._-]/gi, '_');
  return `flurfunk-export-${safeUsername}-${exportedAt.toISOString().slice(0, 10)}.zip`;
}

/**
 * The export as a ZIP stream: README.txt, then each uploaded file read from the storage one after
 * another, then data.json, which can then say which files made it into the archive.
 */
export function exportArchive(
  data: ExportData,
  storage: DiskFileStorage | null,
  username: string,
  exportedAt: Date,
): Readable {
  return zipStream(exportEntries(data, storage, username, exportedAt));
}

async function* exportEntries(
  data: ExportData,
  storage: DiskFileStorage | null,
  username: string,
  exportedAt: Date,
): AsyncGenerator<ZipEntry> {
  const text = (content: string) => new TextEncoder().encode(content);
  yield {
    name: 'README.txt',
    modifiedAt: exportedAt,
    compress: true,
    content: text(exportReadme(username, exportedAt.toISOString())),
  };

  const placed = new Map<string, { path: string } | { leftOutBecause: LeftOutBecause }>();
  let bytes = 0;
  let entries = 1;
  for (const file of data.files) {
    const path = `files/${file.id}-${safeFileName(file.name)}`;
    const entryBytes = entryOverheadBytes + 2 * Buffer.byteLength(path);
    const stored = storage ? await storage.open(file.id) : null;
    const full =
      bytes + entryBytes + (stored?.size ?? 0) > zipLimits.maxBytes - reservedBytes ||
      entries + 2 > zipLimits.maxEntries;
    if (!stored || full) {
      stored?.stream.destroy();
      placed.set(file.id, {
        leftOutBecause: !storage ? 'noFileStorage' : !stored ? 'bytesMissing' : 'archiveFull',
      });
      continue;
    }
    bytes += entryBytes + stored.size;
    entries += 1;
    placed.set(file.id, { path });
    yield {
      name: path,
      modifiedAt: new Date(file.uploadedAt),
      compress: compressible(file.mediaType),
      content: stored.stream as AsyncIterable<Uint8Array>,
    };
  }

  const dataJson = {
    exportedAt: exportedAt.toISOString(),
    format: exportFormat,
    ...data,
    files: data.files.map((file: UploadedFile) => ({ ...file, ...placed.get(file.id) })),
  };
  yield {
    name: 'data.json',
    modifiedAt: exportedAt,
    compress: true,
    content: text(`${JSON.stringify(dataJson, null, 2)}\n`),
  };
}

/** Text and the old binary office formats shrink; images, videos, PDFs and OOXML are compressed already. */
function compressible(mediaType: string): boolean {
  return /^text\/|^application\/(msword|vnd\.ms-)/.test(mediaType);
}
