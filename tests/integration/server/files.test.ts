/**
 * Files on the server: uploads checked for what they really are, kept byte for byte, refused
 * when too large or of a type that could run or mislead; names made safe to save; downloads only
 * for the uploader and those who see the post a file is attached to, through the real server.
 */
import { ErrorBody, FileLimits, FileMeta, type FeedChannel } from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStorage, describeWithStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import { type User, apply, mutate, syncAll } from '../support/chat-support.js';
import { feed, signInFeedCast, syncedPost } from '../support/feed-support.js';
import { downloadFile, makePdf, makePng, sha256, uploadFile } from '../support/file-support.js';

const smallLimit = 64 * 1024;

describeEachStorage('files', (backend) => {
  let api: ApiClient;
  let serverUrl: string;
  let lena: User;
  let jonas: User;
  let admin: User;
  let plantChannel: FeedChannel;

  const errorOf = (result: { status: number; body: unknown }) =>
    `${result.status} ${ErrorBody.parse(result.body).error.code}`;
  const uploaded = async (user: User, upload: Parameters<typeof uploadFile>[2]) => {
    const result = await uploadFile(serverUrl, user, upload);
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    return FileMeta.parse(result.body);
  };

  beforeAll(async () => {
    const server = await backend.start({ demo: true, maxFileBytes: smallLimit });
    serverUrl = server.url;
    api = apiClient(server.url);
    ({ lena, jonas, admin, plantChannel } = await signInFeedCast(api));
  });

  it('tells clients its limits, without SVG among the types it takes', async () => {
    const response = await api.get('/api/v1/files/limits', { token: lena.token });
    const limits = FileLimits.parse(response.body);
    expect(limits.maxFileBytes).toBe(smallLimit);
    expect(limits.mediaTypes).toEqual(expect.arrayContaining(['image/png', 'application/pdf', 'text/plain']));
    expect(limits.mediaTypes).not.toContain('image/svg+xml');
    expect(limits.mediaTypes).not.toContain('text/html');
    expect((await api.get('/api/v1/files/limits')).status).toBe(401);
  });

  it('keeps an image byte for byte with its size, and gives its uploader the same meta for a repeat', async () => {
    const png = makePng(40, 30);
    const id = v7();
    const meta = await uploaded(jonas, { bytes: png, name: 'Grundriss Halle 2.png', type: 'image/png', id });
    expect(meta).toEqual({
      id,
      name: 'Grundriss Halle 2.png',
      mediaType: 'image/png',
      size: png.length,
      sha256: sha256(png),
      width: 40,
      height: 30,
    });
    // A retry after a lost answer gets the first upload; someone else's id is not theirs to take.
    const again = await uploadFile(serverUrl, jonas, { bytes: png, name: 'anders.png', id });
    expect(again).toMatchObject({ status: 200, body: meta });
    expect(errorOf(await uploadFile(serverUrl, lena, { bytes: png, name: 'x.png', id }))).toBe(
      '409 conflict',
    );

    const download = await downloadFile(serverUrl, jonas, id);
    expect(download.status).toBe(200);
    expect(sha256(download.bytes)).toBe(meta.sha256);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toContain('sandbox');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="Grundriss Halle 2.png"; filename*=UTF-8''Grundriss%20Halle%202.png`,
    );
  });

  it('decides the type from the content, and refuses what could run or mislead', async () => {
    const asText = await uploaded(jonas, { bytes: makePng(2, 2), name: 'bild.txt', type: 'text/plain' });
    expect(asText.mediaType).toBe('image/png');
    const pdf = await uploaded(jonas, {
      bytes: makePdf('Betriebsanweisung'),
      name: 'BA.pdf',
      type: 'application/pdf',
    });
    expect(pdf.mediaType).toBe('application/pdf');
    const text = await uploaded(jonas, {
      bytes: Buffer.from('Name;Telefon\nLena;123\n'),
      name: 'Liste.csv',
      type: 'text/csv',
    });
    expect(text).toMatchObject({ mediaType: 'text/csv', width: null, height: null });

    const refused = [
      { name: 'seite.png', type: 'image/png', bytes: Buffer.from('<html><script>alert(1)</script></html>') },
      {
        name: 'logo.svg',
        type: 'image/svg+xml',
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
      },
      {
        name: 'tool.exe',
        type: 'application/octet-stream',
        bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]),
      },
      { name: 'archiv.zip', type: 'application/zip', bytes: Buffer.from('504b0304140000000000', 'hex') },
      { name: 'binär.txt', type: 'text/plain', bytes: Buffer.from([0x41, 0x00, 0x42]) },
      // A PNG signature without an image header: no size to be had.
      {
        name: 'kaputt.png',
        type: 'image/png',
        bytes: Buffer.concat([makePng(4, 4).subarray(0, 8), Buffer.from('kaputt')]),
      },
    ];
    for (const upload of refused) {
      const result = await uploadFile(serverUrl, jonas, upload);
      expect(errorOf(result), upload.name).toBe('415 unsupported_media_type');
      expect((await downloadFile(serverUrl, jonas, result.id)).status, upload.name).toBe(404);
    }
  });

  it('refuses a file over the limit and keeps nothing of it', async () => {
    const big = Buffer.alloc(smallLimit + 1, 0x41);
    const result = await uploadFile(serverUrl, jonas, { bytes: big, name: 'gross.txt', type: 'text/plain' });
    expect(errorOf(result)).toBe('413 payload_too_large');
    expect((await downloadFile(serverUrl, jonas, result.id)).status).toBe(404);
    // Exactly at the limit is fine.
    const fits = await uploaded(jonas, {
      bytes: big.subarray(0, smallLimit),
      name: 'passt.txt',
      type: 'text/plain',
    });
    expect(fits.size).toBe(smallLimit);
  });

  it('makes hostile names safe to save, and refuses a name that is not percent-encoded', async () => {
    const names: [string, string][] = [
      ['../../etc/passwd.txt', '_.._etc_passwd.txt'],
      ['C:\\Windows\\win.ini.txt', 'C__Windows_win.ini.txt'],
      ['CON.txt', '_CON.txt'],
      ['lpt1', '_lpt1'],
      ['rechnung\u202Etxt.exe.txt', 'rechnungtxt.exe.txt'],
      ['  ...  ', 'file'],
      [`${'ä'.repeat(300)}.txt`, `${'ä'.repeat(125)}.txt`],
    ];
    for (const [name, expected] of names) {
      const meta = await uploaded(jonas, { bytes: Buffer.from('Hallo'), name, type: 'text/plain' });
      expect(meta.name, name).toBe(expected);
      expect(Buffer.byteLength(meta.name)).toBeLessThanOrEqual(255);
    }
    const response = await fetch(`${serverUrl}/api/v1/files/${v7()}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${jonas.token}`,
        'content-type': 'text/plain',
        'x-file-name': '%E0%A4%A',
      },
      body: 'Hallo',
    });
    expect(`${response.status} ${ErrorBody.parse(await response.json()).error.code}`).toBe('400 bad_request');
  });

  describe('attached to a post', () => {
    it('goes with the post to its readers and its author, in order, and to nobody else', async () => {
      const plan = await uploaded(jonas, {
        bytes: makePdf('Plan'),
        name: 'Plan.pdf',
        type: 'application/pdf',
      });
      const photo = await uploaded(jonas, { bytes: makePng(8, 6), name: 'Foto.png', type: 'image/png' });
      const postId = v7();
      await apply(
        api,
        jonas,
        feed.publishPost(
          { channelId: plantChannel.id, title: 'Mit Anhang', attachments: [plan.id, photo.id] },
          postId,
        ),
      );
      expect((await syncedPost(api, lena, postId))?.attachments).toEqual([plan, photo]);
      expect((await syncedPost(api, jonas, postId, 'authoredPost'))?.attachments).toEqual([plan, photo]);
      for (const reader of [lena, jonas]) {
        const download = await downloadFile(serverUrl, reader, photo.id);
        expect(download.status, reader.username).toBe(200);
        expect(sha256(download.bytes)).toBe(photo.sha256);
      }
      // Head office reads neither the plant nor the post: the file looks missing.
      expect((await downloadFile(serverUrl, admin, photo.id)).status).toBe(404);

      // Deleted with its post, for everyone.
      await apply(api, jonas, feed.deletePost(postId));
      expect((await downloadFile(serverUrl, lena, photo.id)).status).toBe(404);
    });

    it('takes only the author’s own uploads that no post took yet, and publishes nothing otherwise', async () => {
      const jonasFile = await uploaded(jonas, { bytes: makePng(3, 3), name: 'a.png', type: 'image/png' });
      const lenaFile = await uploaded(lena, { bytes: makePng(3, 3), name: 'b.png', type: 'image/png' });
      // An upload nobody attached is its uploader's alone.
      expect((await downloadFile(serverUrl, lena, jonasFile.id)).status).toBe(404);

      const before = await syncAll(api, jonas);
      for (const attachments of [[lenaFile.id], [v7()], [jonasFile.id, jonasFile.id]]) {
        const [result] = await mutate(api, jonas, [
          feed.publishPost({ channelId: plantChannel.id, title: 'Fremd', attachments }),
        ]);
        expect(result, JSON.stringify(attachments)).toMatchObject({ status: 'rejected', code: 'invalid' });
      }
      await apply(
        api,
        jonas,
        feed.publishPost({ channelId: plantChannel.id, title: 'Erster', attachments: [jonasFile.id] }),
      );
      const [second] = await mutate(api, jonas, [
        feed.publishPost({ channelId: plantChannel.id, title: 'Zweiter', attachments: [jonasFile.id] }),
      ]);
      expect(second).toMatchObject({ status: 'rejected', code: 'invalid' });
      const titles = (await syncAll(api, jonas, { after: before.cursor })).changes.flatMap((c) =>
        c.type === 'authoredPost.upsert' ? [c.data.title] : [],
      );
      expect(titles).toEqual(['Erster']);
    });
  });
});

// Only the server's own timer is at work here, the same on either storage: one shows it.
describeWithStorage('pglite', 'files nobody attached', (backend) => {
  it('removes uploads no post took, and keeps those a post did', async () => {
    const server = await backend.start({ demo: true, abandonedUploadMs: 2000, maintenanceIntervalMs: 100 });
    const soonApi = apiClient(server.url);
    const { jonas: author, plantChannel: plant } = await signInFeedCast(soonApi);
    // Attached at once, long before it would count as abandoned.
    const kept = await uploadFile(server.url, author, { bytes: makePng(2, 2), name: 'kept.png' });
    await apply(soonApi, author, feed.publishPost({ channelId: plant.id, attachments: [kept.id] }));
    const dropped = await uploadFile(server.url, author, { bytes: makePng(2, 2), name: 'dropped.png' });
    expect((await downloadFile(server.url, author, dropped.id)).status).toBe(200);
    await expect
      .poll(async () => (await downloadFile(server.url, author, dropped.id)).status, { timeout: 10_000 })
      .toBe(404);
    expect((await downloadFile(server.url, author, kept.id)).status).toBe(200);
  });
});
