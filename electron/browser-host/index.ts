import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Core } from '@flurfunk/core';
import { createBridge } from './bridge.js';
import { createAppearanceHandler } from './appearance.js';
import { createMediaHandler } from './media.js';
import { createStaticFileHandler } from './staticFiles.js';

export interface BrowserHostOptions {
  core: Core;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface BrowserHost {
  /** The address to open: the host's origin plus the per-start token, e.g. `http://127.0.0.1:4180/?token=…`. */
  url: string;
  origin: string;
  /** Stops serving and disconnects every page. The core stays open: it belongs to the caller. */
  close(): Promise<void>;
}

const loopback = '127.0.0.1';

/**
 * Serves the built renderer and the IPC contract to an ordinary browser, on loopback only.
 * The same headers as the Electron app's protocol handler apply, so the renderer runs under the
 * same CSP in both hosts.
 */
export async function startBrowserHost({
  core,
  rendererDir,
  port = 0,
}: BrowserHostOptions): Promise<BrowserHost> {
  await access(path.join(rendererDir, 'index.html')).catch(() => {
    throw new Error(
      `No built renderer in ${rendererDir} (index.html is missing). Run \`npm run build\` first.`,
    );
  });
  const serveFile = createStaticFileHandler(rendererDir);

  const server = createServer();
  await listen(server, port);
  const origin = `http://${loopback}:${(server.address() as AddressInfo).port}`;
  const token = randomBytes(32).toString('base64url');
  const bridge = createBridge({ core, origin, token });
  const serveMedia = createMediaHandler({ core, origin, token });
  const serveAppearance = createAppearanceHandler({ core, origin });
  const ownHost = new URL(origin).host;

  server.on('request', (req, res) => {
    // A page on another site that rebinds its DNS name to 127.0.0.1 arrives with its own Host.
    if (req.headers.host !== ownHost) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Open Flurfunk at ${origin}`);
      return;
    }
    serveMedia(req, res)
      .then(async (served) => served || (await serveAppearance(req, res)))
      .then((served) => (served ? undefined : serveFile(req, res)))
      .catch(() => {
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
  });
  server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));

  return {
    url: `${origin}/?token=${token}`,
    origin,
    async close() {
      bridge.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, loopback, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
