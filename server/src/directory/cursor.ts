/**
 * Position after the last person of a directory page. `sortKey` is that person's sort key, or
 * only its first bytes when the whole key would not fit into a cursor (`keyIsPrefix`).
 */
export interface DirectoryPosition {
  id: string;
  sortKey: string;
  keyIsPrefix: boolean;
}

/** protocol DirectoryQuery.cursor allows 500 characters: 375 bytes in base64url. */
const maxCursorBytes = 375;
const headerBytes = 1 + 16; // flags, id
const maxKeyBytes = maxCursorBytes - headerBytes;
const keyIsPrefixFlag = 1;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Binary (flags, id, UTF-8 sort key) in base64url: what fits the cursor limit best. */
export function encodeDirectoryCursor(last: { id: string; sortKey: string }): string {
  const key = utf8Prefix(last.sortKey, maxKeyBytes);
  const keyIsPrefix = key.length < Buffer.byteLength(last.sortKey, 'utf8');
  const id = Buffer.from(last.id.replaceAll('-', ''), 'hex');
  return Buffer.concat([Buffer.of(keyIsPrefix ? keyIsPrefixFlag : 0), id, key]).toString('base64url');
}

/** Null for anything that is not a cursor this server handed out. */
export function decodeDirectoryCursor(cursor: string): DirectoryPosition | null {
  const bytes = Buffer.from(cursor, 'base64url');
  // Buffer.from ignores characters outside the alphabet; a cursor must survive the round trip.
  if (bytes.length < headerBytes || bytes.toString('base64url') !== cursor) return null;
  const flags = bytes[0];
  if (flags !== 0 && flags !== keyIsPrefixFlag) return null;
  const hex = bytes.subarray(1, headerBytes).toString('hex');
  let sortKey: string;
  try {
    sortKey = utf8.decode(bytes.subarray(headerBytes));
  } catch {
    return null;
  }
  // PostgreSQL text cannot hold NUL, and no sort key contains one.
  if (sortKey.includes('\0')) return null;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, sortKey, keyIsPrefix: flags === keyIsPrefixFlag };
}

/** The longest prefix of `text` that is at most `maxBytes` in UTF-8, cut between code points. */
function utf8Prefix(text: string, maxBytes: number): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return bytes;
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) to the start of the cut code point.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}
