import { UnreadableFileError } from './import-problems.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

const saveAsUtf8 =
  'Save the file as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)" / "CSV UTF-8 (durch Trennzeichen getrennt)").';

/**
 * The file's text. Only UTF-8 is taken (a BOM is fine): guessing between Windows-1252 and other
 * legacy encodings would silently garble names, so such a file is refused, naming its first bad line.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UnreadableFileError(`the file is UTF-16 ("Unicode text"), not UTF-8. ${saveAsUtf8}`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new UnreadableFileError(
      `line ${firstLineNotUtf8(bytes)}: not valid UTF-8 (the file seems to use a legacy encoding such as Windows-1252). ${saveAsUtf8}`,
    );
  }
}

/** A UTF-8 sequence never contains a newline byte, so each line can be checked alone. */
function firstLineNotUtf8(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      utf8.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    line += 1;
    start = i + 1;
  }
  return line;
}
