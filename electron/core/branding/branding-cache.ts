import { createHash } from 'node:crypto';
import {
  type BrandAsset,
  Branding,
  brandingEntityId,
  defaultBranding,
  fontMediaType,
  maxBrandFontBytes,
  maxBrandImageBytes,
} from '@flurfunk/protocol';
import { z } from 'zod';
import { CoreError } from '../errors.js';
import type { EncryptedFileCache } from '../files/encrypted-file-cache.js';
import { logError } from '../log.js';
import { parseResponse, readCappedBytes, sendRequest } from '../session/http.js';
import { openProfileFiles } from '../vault/profile-files.js';
import type { Vault } from '../vault/vault.js';
import { brandingStylesheet } from './branding-stylesheet.js';

const assetTimeoutMs = 60_000;

/** What the device keeps: the branding and the server it came from. */
const StoredBranding = z.object({ serverUrl: z.string(), branding: Branding }).strict();
type StoredBranding = z.infer<typeof StoredBranding>;

/**
 * The encrypted file cache names files by UUID; an asset's name is its SHA-256 shaped like one
 * (version and variant digits set), and the bytes are checked against the full hash when read.
 */
function assetFileName(assetId: string): string {
  const hex = assetId.slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = '8';
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function assetsOf(branding: Branding): BrandAsset[] {
  return [branding.logo, branding.loginBackground, ...branding.fonts.map((face) => face.asset)].flatMap(
    (asset) => (asset === null ? [] : [asset]),
  );
}

/**
 * The company's branding on this device, for the whole profile rather than one user: the login
 * screen shows it too, and a sign-out keeps it (it is what the server shows anyone who asks).
 * Kept encrypted among the profile's files (see `openProfileFiles`), and applied from here
 * before the first paint, offline too. A new branding replaces the old only once all its files
 * are here, so the stylesheet never names a file the device does not have.
 */
export class BrandingCache {
  private stored: StoredBranding | null;
  private stylesheetText: string;
  private adopting: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly files: EncryptedFileCache,
    stored: StoredBranding | null,
    private readonly onChange: (branding: Branding) => void,
  ) {
    this.stored = stored;
    this.stylesheetText = brandingStylesheet(this.current());
  }

  static async open(options: {
    dataDir: string;
    vault: Vault;
    profile: string;
    onChange: (branding: Branding) => void;
  }): Promise<BrandingCache> {
    const files = await openProfileFiles({ ...options, folder: 'branding' });
    const stored = await files
      .get(brandingEntityId)
      .then((bytes) => (bytes === null ? null : StoredBranding.parse(JSON.parse(bytes.toString('utf8')))))
      .catch((error: unknown) => {
        // Unreadable: the built-in branding until the server is reached again.
        logError('reading the cached branding', error);
        return null;
      });
    return new BrandingCache(files, stored, options.onChange);
  }

  current(): Branding {
    return this.stored?.branding ?? defaultBranding;
  }

  stylesheet(): string {
    return this.stylesheetText;
  }

  /** A file the current branding names, from the device; fetched again if it went missing. */
  async asset(assetId: string): Promise<{ mediaType: string; bytes: Buffer }> {
    const asset = assetsOf(this.current()).find((candidate) => candidate.id === assetId);
    if (!asset || !this.stored) throw new CoreError('not_found', 'the branding names no such file');
    const bytes = (await this.readAsset(asset)) ?? (await this.download(this.stored.serverUrl, asset));
    return { mediaType: asset.mediaType, bytes };
  }

  /**
   * Asks the server for its branding (no sign-in needed) and adopts it. Offline it keeps the one
   * it has: that is what the app shows then.
   */
  refresh(serverUrl: string): Promise<void> {
    return this.queue(async () => {
      try {
        const response = await sendRequest(serverUrl, { method: 'GET', path: '/api/v1/branding' });
        if (response.status !== 200) return;
        await this.replaceWith(serverUrl, parseResponse(response, Branding, 'branding'));
      } catch (error) {
        if (!(error instanceof CoreError && error.code === 'unreachable'))
          logError('fetching the branding', error);
      }
    });
  }

  /** Takes a branding the server sent (by sync or an admin's change) once its files are here. */
  adopt(serverUrl: string, branding: Branding): Promise<void> {
    return this.queue(() => this.replaceWith(serverUrl, branding));
  }

  /** Resolves once no fetch or adoption is under way (before the core closes). */
  idle(): Promise<void> {
    return this.adopting.then(() => undefined);
  }

  /** One fetch or adoption at a time, in the order asked. */
  private queue(step: () => Promise<void>): Promise<void> {
    const result = this.adopting.then(step);
    this.adopting = result.catch((error: unknown) => logError('adopting the branding', error));
    return result;
  }

  private async replaceWith(serverUrl: string, branding: Branding): Promise<void> {
    const before = this.stored;
    if (
      before?.serverUrl === serverUrl &&
      before.branding.revision === branding.revision &&
      before.branding.updatedAt === branding.updatedAt
    ) {
      return;
    }
    const wanted = assetsOf(branding);
    for (const asset of wanted) {
      if ((await this.readAsset(asset)) === null) await this.download(serverUrl, asset);
    }
    const next = { serverUrl, branding };
    await this.files.put(brandingEntityId, Buffer.from(JSON.stringify(next)));
    this.stored = next;
    this.stylesheetText = brandingStylesheet(branding);
    const kept = new Set(wanted.map((asset) => asset.id));
    for (const old of before ? assetsOf(before.branding) : []) {
      if (!kept.has(old.id)) await this.files.remove(assetFileName(old.id));
    }
    this.onChange(branding);
  }

  private async readAsset(asset: BrandAsset): Promise<Buffer | null> {
    const bytes = await this.files.get(assetFileName(asset.id));
    return bytes !== null && sha256(bytes) === asset.id ? bytes : null;
  }

  private async download(serverUrl: string, asset: BrandAsset): Promise<Buffer> {
    const limit = asset.mediaType === fontMediaType ? maxBrandFontBytes : maxBrandImageBytes;
    let response: Response;
    try {
      response = await fetch(`${serverUrl}/api/v1/branding/assets/${asset.id}`, {
        signal: AbortSignal.timeout(assetTimeoutMs),
        redirect: 'error',
      });
    } catch {
      throw new CoreError('unreachable', 'the server cannot be reached');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new CoreError('server_error', `the server did not send the branding file (${response.status})`);
    }
    const bytes = await readCappedBytes(response, Math.min(asset.size, limit));
    if (bytes.length !== asset.size || sha256(bytes) !== asset.id) {
      throw new CoreError('server_error', 'the server sent another file than the branding names');
    }
    await this.files.put(assetFileName(asset.id), bytes);
    return bytes;
  }
}
