import { Readable } from 'node:stream';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

/** One file of a ZIP archive. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated. */
  name: string;
  modifiedAt: Date;
  /** Deflate text; store what is compressed already (images, PDFs, videos) as it is. */
  compress: boolean;
  content: Uint8Array | AsyncIterable<Uint8Array>;
}

/**
 * fflate's ZIP has no ZIP64: offsets and sizes are 32 bits and entries counted in 16. An archive
 * must stay below these; the caller leaves out what would not fit.
 */
export const zipLimits = { maxBytes: 0xffff_ffff, maxEntries: 0xffff } as const;

/** Deflate works on slices of this size, so a large text never blocks the event loop for long. */
const sliceBytes = 64 * 1024;

/**
 * A ZIP archive of `entries`, written as the reader consumes it: an entry's content is read only
 * when the archive has reached it, so a slow client holds at most a few chunks in memory.
 */
export function zipStream(entries: AsyncIterable<ZipEntry>): Readable {
  return Readable.from(zipChunks(entries), { objectMode: false });
}

async function* zipChunks(entries: AsyncIterable<ZipEntry>): AsyncGenerator<Buffer> {
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  // Entries are added one after another, each finished before the next: fflate then hands every
  // chunk to this callback synchronously, inside `push`.
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  function* drain(): Generator<Buffer> {
    if (failure) throw failure;
    for (const chunk of ready.splice(0)) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  try {
    for await (const entry of entries) {
      const file = entry.compress ? new ZipDeflate(entry.name, { level: 6 }) : new ZipPassThrough(entry.name);
      file.mtime = entry.modifiedAt;
      zip.add(file);
      for await (const slice of slicesOf(entry.content)) {
        file.push(slice);
        yield* drain();
      }
      file.push(new Uint8Array(0), true);
      yield* drain();
    }
    zip.end();
    yield* drain();
  } finally {
    zip.terminate();
  }
}

async function* slicesOf(content: ZipEntry['content']): AsyncGenerator<Uint8Array> {
  const chunks = content instanceof Uint8Array ? [content] : content;
  for await (const chunk of chunks) {
    for (let start = 0; start < chunk.byteLength; start += sliceBytes) {
      yield chunk.subarray(start, start + sliceBytes);
    }
  }
}
