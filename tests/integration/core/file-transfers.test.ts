/**
 * The core's file transfers against the real server: an upload kept encrypted on the device, a
 * download checked against the post's file meta and kept for offline use, and the server's
 * refusals as typed errors.
 */
import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type FileMeta,
  type MutationResult,
  type Post,
  TokenResponse,
  thumbnailMediaType,
} from '@flurfunk/protocol';
import sharp from 'sharp';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CacheDatabase, openCacheDatabase } from '../../../electron/core/cache/database.js';
import { FeedStore } from '../../../electron/core/feed/feed-store.js';
import { EncryptedFileCache } from '../../../electron/core/files/encrypted-file-cache.js';
import { KnownFiles } from '../../../electron/core/files/known-files.js';
import { SyncIndex } from '../../../electron/core/sync/sync-index.js';
import { FileTransfers } from '../../../electron/core/files/file-transfers.js';
import { ServerSession } from '../../../electron/core/session/server-session.js';
import { KeytarVault } from '../../../electron/core/vault/keytar-vault.js';
import {
  type DemoServer,
  demoPassword,
  removeTempDirs,
  startDemoServer,
  tempDir,
  testVaultService,
} from '../support/core-harness.js';
import { makePdf, makePng, sha256 } from '../support/file-support.js';

const maxFileBytes = 256 * 1024;
let server: DemoServer;
const vault = new KeytarVault(testVaultService);
const accounts: string[] = [];
const databases: CacheDatabase[] = [];

/** A user's transfers with their own file cache, signed in on the real server. */
async function transfersOf(username: string) {
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword, deviceName: 'file transfer test' }),
  });
  const tokens = TokenResponse.parse(await response.json());
  const account = `files-${randomBytes(4).toString('hex')}|refreshToken`;
  accounts.push(account);
  await vault.set(account, tokens.refreshToken);
  const directory = await tempDir('kept-files');
  const key = randomBytes(32).toString('hex');
  const cache = new EncryptedFileCache(directory, key);
  const db = openCacheDatabase(join(await tempDir('cache'), 'cache.db'), key);
  databases.push(db);
  return {
    transfers: new FileTransfers(
      new ServerSession(server.url, vault, account, tokens),
      cache,
      new KnownFiles(db),
    ),
    cache,
    directory,
    feed: new FeedStore(db, new SyncIndex(db)),
    token: tokens.accessToken,
  };
}

async function publishWith(token: string, attachments: string[]): Promise<string> {
  const channels = (await (
    await fetch(`${server.url}/api/v1/feed/channels/postable`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json()) as { channels: { id: string; name: string }[] };
  const plant = channels.channels.find((c) => c.name === 'Standort Werk Gütersloh');
  const postId = v7();
  const response = await fetch(`${server.url}/api/v1/mutations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      mutations: [
        {
          id: v7(),
          type: 'feed.publishPost',
          args: { postId, channelId: plant?.id, title: 'Mit Plan', body: 'Siehe Anhang.', attachments },
        },
      ],
    }),
  });
  const { results } = (await response.json()) as { results: MutationResult[] };
  expect(results[0]).toMatchObject({ status: 'applied' });
  return postId;
}

beforeAll(async () => {
  server = await startDemoServer({ maxFileBytes });
});

afterAll(async () => {
  await server.stop();
  for (const db of databases) db.close();
  await Promise.all(accounts.map((account) => vault.delete(account)));
  await removeTempDirs();
});

describe('file transfers of the core', () => {
  it('uploads a file, keeps it encrypted, and gives a reader of its post the same bytes, once', async () => {
    const jonas = await transfersOf('jonas.becker');
    const png = makePng(120, 80);
    const meta = await jonas.transfers.upload({ name: 'Hallenplan.png', mediaType: 'image/png', bytes: png });
    expect(meta).toMatchObject({ name: 'Hallenplan.png', mediaType: 'image/png', width: 120, height: 80 });
    expect(await jonas.cache.get(meta.id)).toEqual(png);
    const [kept] = await readdir(jonas.directory);
    expect((await readFile(join(jonas.directory, kept ?? ''))).includes(png.subarray(16, 64))).toBe(false);

    await publishWith(jonas.token, [meta.id]);
    const lena = await transfersOf('lena.weber');
    const bytes = await lena.transfers.read(meta);
    expect(sha256(bytes)).toBe(meta.sha256);

    // Offline now: the kept copy is read, the server is not asked.
    await server.stop();
    try {
      expect(sha256(await lena.transfers.read(meta))).toBe(meta.sha256);
      await expect(lena.transfers.read({ ...meta, id: v7() })).rejects.toMatchObject({ code: 'unreachable' });
    } finally {
      await server.start();
    }
  });

  it('refuses bytes that are not the file the post names, and keeps none of them', async () => {
    const jonas = await transfersOf('jonas.becker');
    const meta = await jonas.transfers.upload({
      name: 'Plan.pdf',
      mediaType: 'application/pdf',
      bytes: makePdf('Plan'),
    });
    await publishWith(jonas.token, [meta.id]);
    const lena = await transfersOf('lena.weber');
    const wrong: FileMeta = { ...meta, sha256: sha256(Buffer.from('etwas anderes')) };
    await expect(lena.transfers.read(wrong)).rejects.toMatchObject({ code: 'server_error' });
    expect(await lena.cache.get(meta.id)).toBeNull();
    await expect(lena.transfers.read({ ...meta, size: 10 })).rejects.toMatchObject({ code: 'server_error' });
    expect(await lena.cache.get(meta.id)).toBeNull();
  });

  it('turns the server’s refusals into errors the user can be told', async () => {
    const jonas = await transfersOf('jonas.becker');
    const lena = await transfersOf('lena.weber');
    const own = await jonas.transfers.upload({
      name: 'privat.png',
      mediaType: 'image/png',
      bytes: makePng(2, 2),
    });
    await expect(lena.transfers.read(own)).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      jonas.transfers.upload({
        name: 'gross.txt',
        mediaType: 'text/plain',
        bytes: Buffer.alloc(maxFileBytes + 1, 0x41),
      }),
    ).rejects.toMatchObject({ code: 'file_too_large' });
    await expect(
      jonas.transfers.upload({
        name: 'logo.svg',
        mediaType: 'image/svg+xml',
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      }),
    ).rejects.toMatchObject({ code: 'file_type_refused' });
    expect(await readdir(jonas.directory)).toEqual([expect.any(String)]);
  });

  it('serves a file to the user only while a post on the device names it, or while it is their own upload', async () => {
    const jonas = await transfersOf('jonas.becker');
    const meta = await jonas.transfers.upload({
      name: 'Skizze.png',
      mediaType: 'image/png',
      bytes: makePng(6, 6),
    });
    // His own upload, before any post takes it: the composer shows it.
    expect((await jonas.transfers.media(meta.id)).meta).toEqual(meta);
    const postId = await publishWith(jonas.token, [meta.id]);

    const lena = await transfersOf('lena.weber');
    await expect(lena.transfers.media(meta.id)).rejects.toMatchObject({ code: 'not_found' });
    const post = postWith([meta], postId);
    lena.feed.putPost(post);
    const media = await lena.transfers.media(meta.id);
    expect(media.meta).toEqual(meta);
    expect(sha256(media.bytes)).toBe(meta.sha256);
    // The post goes (deleted, or its scope lost): its file is no longer served.
    lena.feed.deleteLocalPost(postId);
    await expect(lena.transfers.media(meta.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gives a photo’s thumbnail, kept encrypted for offline use, and none of a document', async () => {
    const jonas = await transfersOf('jonas.becker');
    const photo = await jonas.transfers.upload({
      name: 'Halle.png',
      mediaType: 'image/png',
      bytes: makePng(1600, 1200),
    });
    const plan = await jonas.transfers.upload({
      name: 'Plan.pdf',
      mediaType: 'application/pdf',
      bytes: makePdf('Plan'),
    });
    await publishWith(jonas.token, [photo.id, plan.id]);

    const lena = await transfersOf('lena.weber');
    lena.feed.putPost(postWith([photo, plan]));
    const thumbnail = await lena.transfers.thumbnail(photo.id);
    expect(thumbnail.meta).toMatchObject({ id: photo.id, name: 'Halle.png', mediaType: thumbnailMediaType });
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({
      format: 'webp',
      width: 800,
      height: 600,
    });
    expect((await readdir(lena.directory)).sort()).toEqual([`${photo.id}.thumbnail`]);
    await expect(lena.transfers.thumbnail(plan.id)).rejects.toMatchObject({ code: 'not_found' });

    await server.stop();
    try {
      expect((await lena.transfers.thumbnail(photo.id)).bytes).toEqual(thumbnail.bytes);
    } finally {
      await server.start();
    }
    // The file's kept copies go together.
    await lena.cache.remove(photo.id);
    expect(await readdir(lena.directory)).toEqual([]);
  });
});

/** A post on the device that names these files. */
function postWith(attachments: FileMeta[], id = v7()): Post {
  return {
    id,
    channelId: v7(),
    authorId: v7(),
    title: 'Mit Plan',
    body: 'Siehe Anhang.',
    requiresConfirmation: false,
    pinned: false,
    commentsEnabled: true,
    event: null,
    poll: null,
    attachments,
    published: true,
    publishAt: new Date().toISOString(),
    createdAt: new Date().toISOString(),
    editedAt: null,
  };
}
