import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '@flurfunk/core';
import sharp from 'sharp';
import { BridgeReply, FileMeta, type BrandingSaved, type BridgeCall } from '@flurfunk/protocol';
import { startServer, type RunningServer } from '@flurfunk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../electron/browser-host/index.js';
import { makePng } from '../support/file-support.js';
import { apiClient, signIn as signInOverHttp } from '../support/server-client.js';

const secret = 'package-json-outside-the-renderer';
let tempDir: string;
let core: Core;
let host: BrowserHost;
let companyServer: RunningServer;

beforeAll(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'flurfunk-host-'));
  const rendererDir = path.join(tempDir, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Flurfunk</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app-3f2a1b.js'), 'console.log("flurfunk")');
  await writeFile(path.join(tempDir, 'package.json'), JSON.stringify({ secret }));
  await symlink(path.join(tempDir, 'package.json'), path.join(rendererDir, 'linked.json'));

  companyServer = await startServer({
    port: 0,
    dataDir: path.join(tempDir, 'server'),
    demo: true,
    logLevel: 'silent',
  });
  core = await createCore({
    dataDir: path.join(tempDir, 'client'),
    deviceName: 'browser host test',
    appVersion: '9.8.7',
    host: 'browser',
    defaultServerUrl: companyServer.url,
    syncIntervalMs: 600_000,
  });
  host = await startBrowserHost({ core, rendererDir, port: 0 });
});

afterAll(async () => {
  await host?.close();
  await core?.close();
  await companyServer?.close();
  await rm(tempDir, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the path byte for byte: fetch() and URL would normalise `..` away before it leaves. */
function rawGet(requestPath: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: requestPath, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function bridgeAddress(token: string | null): string {
  const url = new URL('/bridge', host.origin.replace('http:', 'ws:'));
  if (token !== null) url.searchParams.set('token', token);
  return url.toString();
}

const hostToken = (): string => new URL(host.url).searchParams.get('token') ?? '';

/** The HTTP status the host answers an upgrade with, or 101 when it lets the socket in. */
function upgradeStatus(address: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(address, origin === undefined ? {} : { origin });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', reject);
  });
}

/** A bridge client as the renderer would be: right token, own origin; collects every frame. */
async function connect(): Promise<{ ws: WebSocket; frames: BridgeReply[]; closed: Promise<number> }> {
  const ws = new WebSocket(bridgeAddress(hostToken()), { origin: host.origin });
  const frames: BridgeReply[] = [];
  ws.on('message', (data) => frames.push(BridgeReply.parse(JSON.parse(String(data)))));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, frames, closed };
}

async function frameWhere(
  frames: BridgeReply[],
  match: (frame: BridgeReply) => boolean,
): Promise<BridgeReply> {
  await expect.poll(() => frames.find(match), { timeout: 10_000 }).toBeDefined();
  return frames.find(match) as BridgeReply;
}

const replyTo = (id: number) => (frame: BridgeReply) => 'id' in frame && frame.id === id;

describe('browser host: static files', () => {
  it('serves the renderer with the app CSP and protective headers', async () => {
    const index = await rawGet('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Flurfunk</title>');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect(index.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(index.headers['cache-control']).toBe('no-cache');

    const script = await rawGet('/assets/app-3f2a1b.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toContain('immutable');
  });

  it.each([
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E%2Fpackage.json',
    '/..%2fpackage.json',
    '/assets/..%2f..%2fpackage.json',
    '/..%5cpackage.json',
    '/%252e%252e/package.json',
    '/linked.json',
  ])('refuses to leave the renderer directory: %s', async (attempt) => {
    const response = await rawGet(attempt);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain(secret);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('answers requests for another host name (DNS rebinding) with 421', async () => {
    const response = await rawGet('/', { Host: `attacker.example:${new URL(host.origin).port}` });
    expect(response.status).toBe(421);
    expect(response.body).not.toContain('<title>');
  });

  it('listens on loopback only and hands out a 256-bit token', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Buffer.from(hostToken(), 'base64url')).toHaveLength(32);
  });
});

describe('browser host: bridge access', () => {
  it('refuses a connection without the token', async () => {
    expect(await upgradeStatus(bridgeAddress(null), host.origin)).toBe(401);
  });

  it('refuses a connection with a wrong token', async () => {
    const wrong = Buffer.alloc(32, 7).toString('base64url');
    expect(await upgradeStatus(bridgeAddress(wrong), host.origin)).toBe(401);
    expect(await upgradeStatus(bridgeAddress(hostToken().slice(0, -1)), host.origin)).toBe(401);
  });

  it('refuses the right token from a foreign or missing Origin', async () => {
    const address = bridgeAddress(hostToken());
    expect(await upgradeStatus(address, 'http://attacker.example')).toBe(403);
    expect(await upgradeStatus(address, host.origin.replace('127.0.0.1', 'localhost'))).toBe(403);
    expect(await upgradeStatus(address, 'null')).toBe(403);
    expect(await upgradeStatus(address, undefined)).toBe(403);
  });

  it('answers an upgrade with a garbled address with 400 and keeps running', async () => {
    const { hostname, port } = new URL(host.origin);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () =>
        socket.write(
          `GET http://[ HTTP/1.1\r\nHost: ${new URL(host.origin).host}\r\nOrigin: ${host.origin}\r\n` +
            'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
        ),
      );
      let received = '';
      socket.on('data', (chunk) => (received += String(chunk)));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect((await rawGet('/')).status).toBe(200);
  });

  it('lets the own page in and carries a call to the core and back', async () => {
    const { ws, frames } = await connect();
    ws.send(JSON.stringify({ id: 1, method: 'getAppInfo', args: {} } satisfies BridgeCall));
    expect(await frameWhere(frames, replyTo(1))).toEqual({
      id: 1,
      result: { ok: true, value: { version: '9.8.7', host: 'browser', defaultServerUrl: companyServer.url } },
    });
    ws.close();
  });
});

describe('browser host: bad frames', () => {
  it('answers malformed calls with a typed error and keeps serving', async () => {
    const { ws, frames } = await connect();
    ws.send('this is not json');
    ws.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
    ws.send(JSON.stringify({ id: 2, method: 42 }));
    ws.send(JSON.stringify({ id: 3, method: 'getAppInfo', args: {}, sneaky: true }));
    ws.send(JSON.stringify({ id: 4, method: 'readFile', args: { path: '/etc/passwd' } }));
    ws.send(JSON.stringify({ id: 5, method: 'listPeople', args: { limit: 'all' } }));
    ws.send(JSON.stringify({ id: 6, method: 'getAppInfo', args: {} }));

    const errorCode = async (id: number) => {
      const frame = await frameWhere(frames, replyTo(id));
      return 'result' in frame && !frame.result.ok ? frame.result.error.code : 'ok';
    };
    expect(await errorCode(2)).toBe('invalid_args');
    expect(await errorCode(3)).toBe('invalid_args');
    expect(await errorCode(4)).toBe('unknown_method');
    expect(await errorCode(5)).toBe('invalid_args');
    expect(await errorCode(6)).toBe('ok');
    expect(frames.filter((frame) => 'id' in frame)).toHaveLength(5);
    ws.close();
  });

  it('closes a socket that sends an oversized frame, and the next page still gets in', async () => {
    const { ws, closed } = await connect();
    ws.send(JSON.stringify({ id: 1, method: 'getAppInfo', args: { padding: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);

    const next = await connect();
    next.ws.send(JSON.stringify({ id: 1, method: 'getAppInfo', args: {} }));
    expect(await frameWhere(next.frames, replyTo(1))).toMatchObject({ result: { ok: true } });
    next.ws.close();
  });
});

describe('browser host: events', () => {
  it('sends core events to every connected page', async () => {
    const first = await connect();
    const second = await connect();
    const login: BridgeCall = {
      id: 1,
      method: 'login',
      args: { serverUrl: companyServer.url, username: 'lena.weber', password: 'flurfunk-demo' },
    };
    first.ws.send(JSON.stringify(login));
    expect(await frameWhere(first.frames, replyTo(1))).toMatchObject({
      result: { ok: true, value: { status: 'signedIn', user: { username: 'lena.weber' } } },
    });
    const signedIn = (frame: BridgeReply) =>
      'event' in frame &&
      frame.event === 'sessionChanged' &&
      (frame.payload as { status?: string }).status === 'signedIn';
    await frameWhere(first.frames, signedIn);
    await frameWhere(second.frames, signedIn);

    first.ws.send(JSON.stringify({ id: 2, method: 'logout', args: {} } satisfies BridgeCall));
    await frameWhere(first.frames, replyTo(2));
    first.ws.close();
    second.ws.close();
  });
});

describe('browser host: media', () => {
  const token = () => new URL(host.url).searchParams.get('token') ?? '';
  const media = (path: string, query: Record<string, string> = {}) =>
    `${host.origin}/media/${path}?${new URLSearchParams(query).toString()}`;
  const put = (bytes: Buffer, name: string, headers: Record<string, string> = {}) =>
    fetch(media('upload', { token: token() }), {
      method: 'PUT',
      headers: {
        origin: host.origin,
        'content-type': 'image/png',
        'x-file-name': encodeURIComponent(name),
        ...headers,
      },
      body: new Uint8Array(bytes),
    });

  it('serves nothing without the page’s token, and nothing before anyone signed in', async () => {
    const id = '01a2188e-f82e-77a2-93d2-30225759e5d2';
    expect((await fetch(media(id))).status).toBe(403);
    expect((await fetch(media(id, { token: 'wrong' }))).status).toBe(403);
    const signedOut = await fetch(media(id, { token: token() }));
    expect(signedOut.status).toBe(401);
    expect(await signedOut.json()).toMatchObject({ error: { code: 'not_signed_in' } });
  });

  it('takes an upload from the own page only, and serves the file back from the core, byte for byte', async () => {
    const login = await core.invoke('login', {
      serverUrl: companyServer.url,
      username: 'jonas.becker',
      password: 'flurfunk-demo',
    });
    expect(login).toMatchObject({ ok: true });
    const png = makePng(12, 9);
    expect((await put(png, 'x.png', { origin: 'http://evil.example' })).status).toBe(403);

    const uploaded = await put(png, 'Grundriss Ü.png');
    expect(uploaded.status).toBe(201);
    const meta = FileMeta.parse(await uploaded.json());
    expect(meta).toMatchObject({ name: 'Grundriss Ü.png', mediaType: 'image/png', width: 12, height: 9 });

    const shown = await fetch(media(meta.id, { token: token() }));
    expect(shown.status).toBe(200);
    expect(Buffer.from(await shown.arrayBuffer()).equals(png)).toBe(true);
    expect(shown.headers.get('content-type')).toBe('image/png');
    expect(shown.headers.get('content-disposition')).toBe(`inline; filename*=UTF-8''Grundriss%20%C3%9C.png`);
    expect(shown.headers.get('x-content-type-options')).toBe('nosniff');
    expect(shown.headers.get('content-security-policy')).toContain('sandbox');
    expect(shown.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const saved = await fetch(media(meta.id, { token: token(), download: '' }));
    expect(saved.headers.get('content-disposition')).toMatch(/^attachment; /);

    // Its thumbnail, made by the server, comes the same way.
    const preview = await fetch(media(meta.id, { token: token(), thumbnail: '' }));
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/webp');
    expect(preview.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(await sharp(Buffer.from(await preview.arrayBuffer())).metadata()).toMatchObject({
      format: 'webp',
      width: 12,
      height: 9,
    });
  });

  it('hands the page the data export to save, with the token only', async () => {
    expect((await fetch(media('export'))).status).toBe(403);
    const exported = await fetch(media('export', { token: token() }));
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/zip');
    expect(exported.headers.get('content-disposition')).toMatch(
      /^attachment; filename\*=UTF-8''flurfunk-export-jonas\.becker-\d{4}-\d{2}-\d{2}\.zip$/,
    );
    expect(exported.headers.get('cache-control')).toBe('no-store');
    expect(
      Buffer.from(await exported.arrayBuffer())
        .subarray(0, 2)
        .toString('latin1'),
    ).toBe('PK');
  });

  it('refuses what the server refuses, and answers unknown or malformed paths with 404', async () => {
    const svg = await put(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'logo.svg', {
      'content-type': 'image/svg+xml',
    });
    expect(svg.status).toBe(415);
    expect(await svg.json()).toMatchObject({ error: { code: 'file_type_refused' } });
    expect((await fetch(media('01a2188e-f82e-77a2-93d2-30225759e5d2', { token: token() }))).status).toBe(404);
    const traversal = await rawGet(`/media/..%2F..%2Fpackage.json?token=${token()}`);
    expect(traversal.status).toBe(404);
    expect(traversal.body).not.toContain(secret);
  });
});

describe('browser host: branding', () => {
  const token = () => new URL(host.url).searchParams.get('token') ?? '';
  const putBrand = (slot: string, query: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${host.origin}/media/brand/${slot}?${new URLSearchParams(query).toString()}`, {
      method: 'PUT',
      headers: { origin: host.origin, 'content-type': 'image/png', ...headers },
      body: new Uint8Array(makePng(4, 4)),
    });

  it('serves the stylesheet to the page without a token, as the login screen needs it', async () => {
    const css = await rawGet('/appearance.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('no-cache');
    expect(css.headers['x-content-type-options']).toBe('nosniff');
    expect(css.headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('takes a branding upload only from the own page with its token, and only from an admin', async () => {
    expect((await putBrand('logo', {})).status).toBe(403);
    expect((await putBrand('logo', { token: token() }, { origin: 'http://evil.example' })).status).toBe(403);
    // Jonas (signed in above) is no IT admin: the server refuses, and the page hears why.
    const refused = await putBrand('logo', { token: token() });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'forbidden' } });
    const unknownSlot = await putBrand('favicon', { token: token() });
    expect(unknownSlot.status).toBe(400);
  });

  it('serves the company’s colours and logo once the admin changed them, and no other file', async () => {
    const api = apiClient(companyServer.url);
    const admin = await signInOverHttp(api, 'admin');
    const logo = makePng(20, 10);
    const settings = {
      appName: 'Acme Funk',
      primaryColor: '#7a1f5c',
      accentColor: '#c2410c',
      fontFamily: null,
      fontFallback: [],
    };
    expect(
      (await api.put('/api/v1/admin/branding', { token: admin.accessToken, json: settings })).status,
    ).toBe(200);
    const uploaded = await api.put<BrandingSaved>('/api/v1/admin/branding/assets/logo', {
      token: admin.accessToken,
      rawBody: logo,
      contentType: 'image/png',
    });
    expect(uploaded.status).toBe(200);
    const logoId = uploaded.body.branding.logo!.id;
    await core.invoke('syncNow', {});
    await expect
      .poll(async () => (await rawGet('/appearance.css')).body, { timeout: 10_000 })
      .toContain(`--ff-brand-logo: url("/branding/${logoId}")`);
    expect((await rawGet('/appearance.css')).body).toContain('#7a1f5c');

    const served = await fetch(`${host.origin}/branding/${logoId}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toContain('immutable');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await served.arrayBuffer()).equals(logo)).toBe(true);

    expect((await fetch(`${host.origin}/branding/${'0'.repeat(64)}`)).status).toBe(404);
    const traversal = await rawGet('/branding/..%2F..%2Fpackage.json');
    expect(traversal.status).toBe(404);
    expect(traversal.body).not.toContain(secret);
  });
});
