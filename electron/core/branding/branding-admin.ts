import { type BrandAssetSlot, BrandingSaved, type BrandingSettings } from '@flurfunk/protocol';
import { CoreError } from '../errors.js';
import { maxResponseBytes, parseJson, readCappedBytes } from '../session/http.js';
import type { ServerSession } from '../session/server-session.js';
import type { BrandingCache } from './branding-cache.js';

/**
 * The IT admin's changes to the company's branding. They need the server (it checks the role,
 * the contrast and the files); the admin's own app adopts the answer at once, everyone else's
 * through sync.
 */
export class BrandingAdmin {
  constructor(
    private readonly server: ServerSession,
    private readonly cache: BrandingCache,
  ) {}

  async saveSettings(settings: BrandingSettings): Promise<BrandingSaved> {
    return this.adopt(
      await this.server.change('PUT', '/api/v1/admin/branding', settings, BrandingSaved, 'branding'),
    );
  }

  async uploadAsset(
    slot: BrandAssetSlot,
    file: { mediaType: string; bytes: Uint8Array },
  ): Promise<BrandingSaved> {
    const response = await this.server.transfer(`/api/v1/admin/branding/assets/${slot}`, undefined, {
      method: 'PUT',
      headers: { 'content-type': file.mediaType || 'application/octet-stream' },
      body: file.bytes,
    });
    const body = (await readCappedBytes(response, maxResponseBytes)).toString('utf8');
    const saved = BrandingSaved.safeParse(parseJson(body));
    if (!saved.success) throw new CoreError('server_error', 'the server sent a malformed branding');
    return this.adopt(saved.data);
  }

  async removeAsset(slot: BrandAssetSlot): Promise<BrandingSaved> {
    return this.adopt(
      await this.server.change(
        'DELETE',
        `/api/v1/admin/branding/assets/${slot}`,
        undefined,
        BrandingSaved,
        'branding',
      ),
    );
  }

  private async adopt(saved: BrandingSaved): Promise<BrandingSaved> {
    await this.cache.adopt(this.server.serverUrl, saved.branding);
    return saved;
  }
}
