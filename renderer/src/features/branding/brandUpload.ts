import { type BrandAssetSlot, BrandingSaved } from '@flurfunk/protocol';
import { mediaAddress } from '@/api/index.js';
import { refusalOf } from '@/ui/attachments/media.js';

/**
 * Sends the IT admin's logo, login background or font face through the host's media route (the
 * core passes it on to the server's admin API). Refusals come as `ApiError`.
 */
export async function uploadBrandAsset(slot: BrandAssetSlot, file: File): Promise<BrandingSaved> {
  let response: Response;
  try {
    response = await fetch(mediaAddress(`brand/${slot}`), {
      method: 'PUT',
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
    });
  } catch {
    throw refusalOf(0, null);
  }
  const body: unknown = await response.json().catch(() => null);
  const saved = BrandingSaved.safeParse(body);
  if (response.ok && saved.success) return saved.data;
  throw refusalOf(response.status, body);
}
