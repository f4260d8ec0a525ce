import { createHash } from 'node:crypto';
import {
  type BrandAssetSlot,
  fontMediaType,
  maxBrandFontBytes,
  maxBrandImageBytes,
} from '@flurfunk/protocol';
import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { ApiError } from '../http/api-error.js';
import type { NewBrandAsset } from './branding-rows.js';
import { type BrandMediaType, acceptedTypes, slotLabel } from './brand-slots.js';
import { SvgRefused, sanitizeSvg } from './sanitize-svg.js';

/** Larger images only cost memory on every client; no logo or background needs more. */
const maxImageSide = 8192;
/** The fixed part of a WOFF2 file (its table directory follows). */
const woff2HeaderBytes = 48;

const typeNames: Record<BrandMediaType, string> = {
  'image/svg+xml': 'an SVG',
  'image/png': 'a PNG',
  'image/jpeg': 'a JPEG',
  'image/webp': 'a WebP',
  [fontMediaType]: 'a WOFF2 font',
};

const unsupported = (message: string) => new ApiError(415, 'unsupported_media_type', message);

function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * A WOFF2 file as its header describes it: the `wOF2` signature, a length that is the file's,
 * at least one table and the reserved field zero. Browsers check the rest when they load it.
 */
function isWoff2(bytes: Buffer): boolean {
  return (
    bytes.length >= woff2HeaderBytes &&
    bytes.toString('latin1', 0, 4) === 'wOF2' &&
    bytes.readUInt32BE(8) === bytes.length &&
    bytes.readUInt16BE(12) > 0 &&
    bytes.readUInt16BE(14) === 0
  );
}

async function checkedImage(declared: BrandMediaType, bytes: Buffer): Promise<Buffer> {
  // The content decides: its signature must be what the upload says it is.
  const detected = (await fileTypeFromBuffer(bytes))?.mime;
  if (declared === 'image/svg+xml') {
    if (detected !== undefined && detected !== 'application/xml') {
      throw unsupported(`The file is ${detected}, not an SVG image`);
    }
    try {
      return Buffer.from(sanitizeSvg(bytes), 'utf8');
    } catch (error) {
      if (error instanceof SvgRefused) throw unsupported(error.message);
      throw error;
    }
  }
  if (detected !== declared) {
    const found = detected === undefined ? '' : ` but ${detected}`;
    throw unsupported(`The file is not ${typeNames[declared]} image${found}`);
  }
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    size = {};
  }
  if (!size.width || !size.height) throw unsupported(`The ${typeNames[declared]} image is damaged`);
  if (size.width > maxImageSide || size.height > maxImageSide) {
    throw new ApiError(400, 'bad_request', `An image may be at most ${maxImageSide} pixels wide and high`);
  }
  return bytes;
}

/**
 * An uploaded file checked for its slot and ready to be stored: the logo takes an SVG (which is
 * sanitized) or a PNG, JPEG or WebP image; the login background a PNG, JPEG or WebP image; a font
 * face WOFF2 only. Content that is not what Content-Type says is refused with 415.
 */
export async function brandAssetFrom(
  slot: BrandAssetSlot,
  contentType: string | undefined,
  body: unknown,
): Promise<NewBrandAsset> {
  const accepted = acceptedTypes(slot);
  const declared = accepted.find((type) => type === mediaTypeOf(contentType));
  if (!declared || !Buffer.isBuffer(body)) {
    const names = accepted.map((type) => typeNames[type]);
    const choice = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0];
    throw unsupported(`${slotLabel(slot)} takes ${choice} file`);
  }
  const maxBytes = declared === fontMediaType ? maxBrandFontBytes : maxBrandImageBytes;
  if (body.length > maxBytes) {
    throw new ApiError(413, 'payload_too_large', `${slotLabel(slot)} may have at most ${maxBytes} bytes`);
  }
  if (body.length === 0) throw new ApiError(400, 'bad_request', 'The file is empty');
  let bytes: Buffer;
  if (declared === fontMediaType) {
    if (!isWoff2(body)) throw unsupported('The file is not a WOFF2 font');
    bytes = body;
  } else {
    bytes = await checkedImage(declared, body);
  }
  return { id: createHash('sha256').update(bytes).digest('hex'), mediaType: declared, bytes };
}
