/**
 * The appearance route, the same in both hosts: `/appearance.css` (the company's branding and
 * this device's theme) and the branding's files (`/branding/<sha256>`), served by the core from
 * the device's encrypted profile files. The page links the stylesheet in its head, so the
 * company's colours and fonts and the chosen theme are there at the first paint. It needs no
 * token: the branding is what the company server shows anyone who asks, login screen included,
 * and the theme is no secret. Node only, no `electron` import.
 */
import { type IpcResult, brandAssetPathPrefix, appearanceStylesheetPath } from '@flurfunk/protocol';
import { type MediaAnswer, errorAnswer } from './media-route.js';

export interface AppearanceCore {
  readAppearanceFile(path: string): Promise<IpcResult<{ mediaType: string; bytes: Uint8Array }>>;
}

export function isAppearancePath(pathname: string): boolean {
  return pathname === appearanceStylesheetPath || pathname.startsWith(brandAssetPathPrefix);
}

/** The answer to `GET /appearance.css` or `GET /branding/<sha256>`. */
export async function answerAppearanceRequest(
  core: AppearanceCore,
  request: { method: string; pathname: string },
): Promise<MediaAnswer> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return errorAnswer({ code: 'not_found', message: 'no such branding file' });
  }
  const result = await core.readAppearanceFile(request.pathname);
  if (!result.ok) return errorAnswer(result.error);
  const { mediaType, bytes } = result.value;
  const stylesheet = request.pathname === appearanceStylesheetPath;
  return {
    status: 200,
    headers: {
      'Content-Type': stylesheet ? 'text/css; charset=utf-8' : mediaType,
      'Content-Length': String(bytes.byteLength),
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'same-origin',
      // An SVG logo opened on its own still runs nothing.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      // The stylesheet changes with the branding; a file's name is its hash.
      'Cache-Control': stylesheet ? 'no-cache' : 'private, max-age=31536000, immutable',
    },
    body: request.method === 'HEAD' ? '' : bytes,
  };
}
