/**
 * Files for the server tests: real PNGs, PDFs and hostile bytes made in memory, and upload and
 * download through the real file routes over loopback.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { v7 } from 'uuid';
import type { User } from './chat-support.js';

/** A real PNG of the given size, one colour. */
export function makePng(width: number, height: number): Buffer {
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x80)]);
  return pngOf(width, height, deflateSync(Buffer.concat(Array.from({ length: height }, () => row))));
}

/** A PNG whose header claims `width`×`height` pixels and whose pixel data is not any. */
export function makeBrokenPng(width: number, height: number): Buffer {
  return pngOf(width, height, Buffer.from('not deflated pixel data, just bytes'));
}

function pngOf(width: number, height: number, pixels: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A small, valid one-page PDF. */
export function makePdf(text: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export interface Upload {
  bytes: Buffer;
  name: string;
  /** What the client claims; the server decides from the content. */
  type?: string;
  id?: string;
}

export async function uploadFile(serverUrl: string, user: User, upload: Upload) {
  const id = upload.id ?? v7();
  const response = await fetch(`${serverUrl}/api/v1/files/${id}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${user.token}`,
      'content-type': upload.type ?? 'application/octet-stream',
      'x-file-name': encodeURIComponent(upload.name),
    },
    body: new Uint8Array(upload.bytes),
  });
  return { id, status: response.status, body: (await response.json()) as unknown };
}

export async function downloadFile(
  serverUrl: string,
  user: User,
  id: string,
  what: 'file' | 'thumbnail' = 'file',
) {
  const response = await fetch(`${serverUrl}/api/v1/files/${id}${what === 'thumbnail' ? '/thumbnail' : ''}`, {
    headers: { authorization: `Bearer ${user.token}` },
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}
