/**
 * Thumbnails of still images on the server: made on first request as a WebP that fits the
 * thumbnail box, kept, served only to those who may read the file; none for other files, for
 * images too large to decode safely, or for images whose pixels are broken.
 */
import { FileMeta, thumbnailBox, thumbnailMediaType } from '@flurfunk/protocol';
import sharp from 'sharp';
import { v7 } from 'uuid';
import { beforeAll, expect, it } from 'vitest';
import { describeWithStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import { type User, apply, chat, createGroup, signInAs } from '../support/chat-support.js';
import { downloadFile, makeBrokenPng, makePdf, makePng, uploadFile } from '../support/file-support.js';

// Making a thumbnail is the server's own code, the same on either storage.
describeWithStorage('pglite', 'thumbnails', (backend) => {
  let serverUrl: string;
  let api: ApiClient;
  let lena: User;
  let petra: User;
  let admin: User;
  let group: string;

  /** Lena's upload, sent in her group with Petra. */
  const shared = async (bytes: Buffer, name: string) => {
    const result = await uploadFile(serverUrl, lena, { bytes, name });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    const file = FileMeta.parse(result.body);
    await apply(api, lena, chat.sendMessage(group, '', v7(), { attachments: [file.id] }));
    return file;
  };

  beforeAll(async () => {
    const server = await backend.start({ demo: true });
    serverUrl = server.url;
    api = apiClient(server.url);
    [lena, petra, admin] = (await Promise.all(
      ['lena.weber', 'petra.koch', 'admin'].map((name) => signInAs(api, name)),
    )) as [User, User, User];
    group = await createGroup(api, lena, [petra], 'Fotos');
  });

  it('shrinks a photo into the thumbnail box, keeping its proportions, for members only', async () => {
    const photo = await shared(makePng(2000, 1000), 'Halle.png');
    const first = await downloadFile(serverUrl, petra, photo.id, 'thumbnail');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe(thumbnailMediaType);
    expect(await sharp(first.bytes).metadata()).toMatchObject({
      format: 'webp',
      width: thumbnailBox,
      height: thumbnailBox / 2,
    });
    expect(first.bytes.length).toBeLessThan(photo.size);
    // Kept: the next viewer gets the same bytes.
    expect((await downloadFile(serverUrl, lena, photo.id, 'thumbnail')).bytes).toEqual(first.bytes);
    expect((await downloadFile(serverUrl, admin, photo.id, 'thumbnail')).status).toBe(404);
  });

  it('never enlarges a small image', async () => {
    const icon = await shared(makePng(40, 30), 'Icon.png');
    const thumbnail = await downloadFile(serverUrl, petra, icon.id, 'thumbnail');
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ width: 40, height: 30 });
  });

  it('makes none of a document, of an image too large to decode safely, or of broken pixels', async () => {
    const pdf = await shared(makePdf('Plan'), 'Plan.pdf');
    const huge = await shared(makeBrokenPng(20_000, 20_000), 'Riesig.png');
    const broken = await shared(makeBrokenPng(1200, 800), 'Kaputt.png');
    for (const file of [pdf, huge, broken]) {
      const answer = await downloadFile(serverUrl, petra, file.id, 'thumbnail');
      expect(answer.status, file.name).toBe(404);
    }
    // The file itself is still there for those who want it.
    expect((await downloadFile(serverUrl, petra, broken.id)).status).toBe(200);
  });
});
