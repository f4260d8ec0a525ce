/**
 * Files in chat on the server: a message carries its sender's own uploads, in order, to the
 * members of its conversation and nobody else; a file has one use (a post, messages, a group's
 * picture); forwarding takes the files along; deleting a message takes them from its readers;
 * the cleanup of abandoned uploads leaves what the chat uses, all through the real server.
 */
import { FileMeta } from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStorage, describeWithStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import {
  type User,
  apply,
  chat,
  createGroup,
  messageAs,
  messagesOf,
  signInAs,
  syncAll,
} from '../support/chat-support.js';
import { feed, rejection as refusal, signInFeedCast, upsertOf } from '../support/feed-support.js';
import { downloadFile, makePdf, makePng, sha256, uploadFile } from '../support/file-support.js';

describeEachStorage('chat files', (backend) => {
  let api: ApiClient;
  let serverUrl: string;
  let lena: User;
  let petra: User;
  let jonas: User;
  /** Outside Lena's group. */
  let admin: User;
  /** Lena's group with Petra. */
  let group: string;

  const rejection = (user: User, mutation: Parameters<typeof apply>[2]) => refusal(api, user, mutation);
  const uploaded = async (user: User, bytes: Buffer, name: string, type?: string) => {
    const result = await uploadFile(serverUrl, user, { bytes, name, type });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    return FileMeta.parse(result.body);
  };
  const statusFor = async (user: User, fileId: string) =>
    (await downloadFile(serverUrl, user, fileId)).status;

  beforeAll(async () => {
    const server = await backend.start({ demo: true });
    serverUrl = server.url;
    api = apiClient(server.url);
    [lena, petra, jonas, admin] = (await Promise.all(
      ['lena.weber', 'petra.koch', 'jonas.becker', 'admin'].map((name) => signInAs(api, name)),
    )) as [User, User, User, User];
    group = await createGroup(api, lena, [petra], 'Baustelle Halle 3');
  });

  it('go with a message to its members, in order, and to nobody else', async () => {
    const planBytes = makePdf('Bauplan');
    const plan = await uploaded(lena, planBytes, 'Bauplan.pdf');
    const photo = await uploaded(lena, makePng(12, 9), 'Baustelle.png');
    const before = await syncAll(api, petra);
    const messageId = v7();
    await apply(api, lena, chat.sendMessage(group, '', messageId, { attachments: [plan.id, photo.id] }));
    const delivered = upsertOf(
      (await syncAll(api, petra, { after: before.cursor })).changes,
      'message.upsert',
      messageId,
    ).data;
    expect(delivered).toMatchObject({ body: '', attachments: [plan, photo] });
    const download = await downloadFile(serverUrl, petra, plan.id);
    expect(download.status).toBe(200);
    expect(sha256(download.bytes)).toBe(sha256(planBytes));
    // Outside the group, the file looks exactly like one that does not exist.
    const outside = await downloadFile(serverUrl, admin, plan.id);
    expect(outside.status).toBe(404);
    expect(outside.bytes).toEqual((await downloadFile(serverUrl, admin, v7())).bytes);
  });

  it('are the sender’s own uploads that nothing uses yet; otherwise nothing is sent', async () => {
    const petrasFile = await uploaded(petra, makePng(4, 4), 'petra.png');
    const onPost = await uploaded(jonas, makePng(4, 4), 'aushang.png');
    const { plantChannel } = await signInFeedCast(api);
    await apply(api, jonas, feed.publishPost({ channelId: plantChannel.id, attachments: [onPost.id] }));
    const jonasGroup = await createGroup(api, jonas, [lena], 'Redaktion Werk');
    const sent = await uploaded(lena, makePng(4, 4), 'schon-gesendet.png');
    await apply(api, lena, chat.sendMessage(group, 'Erstes Mal', undefined, { attachments: [sent.id] }));

    const attempts: [User, string, string[]][] = [
      [lena, group, [petrasFile.id]],
      [lena, group, [v7()]],
      [jonas, jonasGroup, [onPost.id]],
      [lena, group, [sent.id]],
      [lena, jonasGroup, [sent.id]],
    ];
    for (const [user, conversationId, attachments] of attempts) {
      const messageId = v7();
      expect(
        await rejection(user, chat.sendMessage(conversationId, 'Mit Anhang', messageId, { attachments })),
        JSON.stringify(attachments),
      ).toBe('invalid');
      expect((await messagesOf(api, user, conversationId)).map((m) => m.id)).not.toContain(messageId);
    }
    // The same file twice in one message, too.
    const twice = await uploaded(lena, makePng(4, 4), 'doppelt.png');
    expect(
      await rejection(
        lena,
        chat.sendMessage(group, 'Doppelt', undefined, { attachments: [twice.id, twice.id] }),
      ),
    ).toBe('invalid');
    // Refused messages took nothing: the file is still free for one.
    await apply(api, lena, chat.sendMessage(group, 'Einmal', undefined, { attachments: [twice.id] }));
  });

  it('used in the chat cannot be attached to a post', async () => {
    const { plantChannel } = await signInFeedCast(api);
    const inChat = await uploaded(jonas, makePng(5, 5), 'chat.png');
    const direct = (await apply(api, jonas, chat.openDirect(lena.id))).entityId ?? '';
    await apply(api, jonas, chat.sendMessage(direct, 'Für dich', undefined, { attachments: [inChat.id] }));
    const postId = v7();
    expect(
      await rejection(
        jonas,
        feed.publishPost({ channelId: plantChannel.id, attachments: [inChat.id] }, postId),
      ),
    ).toBe('invalid');
    // The plant's readers cannot reach it by a post either.
    expect(await statusFor(petra, inChat.id)).toBe(404);
    expect(await statusFor(lena, inChat.id)).toBe(200);
  });

  it('go along when a message is forwarded, to the members of the new conversation', async () => {
    const sheet = await uploaded(
      lena,
      Buffer.from('Teil;Menge\nSchraube;200\n'),
      'Bestellung.csv',
      'text/csv',
    );
    const original = v7();
    await apply(api, lena, chat.sendMessage(group, 'Bestellung', original, { attachments: [sheet.id] }));
    expect(await statusFor(jonas, sheet.id)).toBe(404);
    const direct = (await apply(api, petra, chat.openDirect(jonas.id))).entityId ?? '';
    const copyId = v7();
    await apply(api, petra, chat.forwardMessage(original, direct, copyId));
    expect(await messageAs(api, jonas, direct, copyId)).toMatchObject({
      body: 'Bestellung',
      forwarded: true,
      attachments: [sheet],
    });
    expect(await statusFor(jonas, sheet.id)).toBe(200);
    expect(await statusFor(admin, sheet.id)).toBe(404);

    // Deleting the original takes the file from the group, not from where it was forwarded.
    await apply(api, lena, chat.deleteMessage(original));
    expect((await messageAs(api, petra, group, original)).attachments).toEqual([]);
    expect(await statusFor(jonas, sheet.id)).toBe(200);
    expect((await messageAs(api, jonas, direct, copyId)).attachments).toEqual([sheet]);
  });

  it('are no longer served to the other members once their message is deleted', async () => {
    const photo = await uploaded(petra, makePng(6, 6), 'falsches-foto.png');
    const messageId = v7();
    await apply(api, petra, chat.sendMessage(group, 'Hoppla', messageId, { attachments: [photo.id] }));
    expect(await statusFor(lena, photo.id)).toBe(200);
    await apply(api, petra, chat.deleteMessage(messageId));
    expect(await statusFor(lena, photo.id)).toBe(404);
    // Its uploader still has it, until the cleanup removes what nothing uses.
    expect(await statusFor(petra, photo.id)).toBe(200);
    expect(await messageAs(api, lena, group, messageId)).toMatchObject({ attachments: [], body: '' });
  });

  describe('a message without text', () => {
    it('needs a file', async () => {
      expect(await rejection(lena, chat.sendMessage(group, '   '))).toBe('invalid');
    });
  });
});

// Only the server's own timer is at work here, the same on either storage: one shows it.
describeWithStorage('pglite', 'chat files nobody uses', (backend) => {
  it('keeps files of messages and group pictures, and removes those a deleted message let go', async () => {
    const server = await backend.start({ demo: true, abandonedUploadMs: 2000, maintenanceIntervalMs: 100 });
    const api = apiClient(server.url);
    const [lena, petra] = (await Promise.all(
      ['lena.weber', 'petra.koch'].map((name) => signInAs(api, name)),
    )) as [User, User];
    const group = await createGroup(api, lena, [petra], 'Aufräumen');
    const upload = async (name: string) =>
      (await uploadFile(server.url, lena, { bytes: makePng(2, 2), name })).id;
    const kept = await upload('kept.png');
    const picture = await upload('picture.png');
    const letGo = await upload('let-go.png');
    const unused = await upload('unused.png');
    await apply(api, lena, chat.sendMessage(group, 'Bleibt', undefined, { attachments: [kept] }));
    await apply(api, lena, chat.updateGroup(group, { pictureId: picture }));
    const doomed = v7();
    await apply(api, lena, chat.sendMessage(group, 'Geht', doomed, { attachments: [letGo] }));
    await apply(api, lena, chat.deleteMessage(doomed));

    const status = async (id: string) => (await downloadFile(server.url, lena, id)).status;
    await expect.poll(() => status(unused), { timeout: 10_000 }).toBe(404);
    await expect.poll(() => status(letGo), { timeout: 10_000 }).toBe(404);
    for (const id of [kept, picture]) {
      expect(await status(id)).toBe(200);
      expect((await downloadFile(server.url, petra, id)).status).toBe(200);
    }
  }, 60_000);
});
