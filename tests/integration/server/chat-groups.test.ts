/**
 * Group conversations on the server: their name and picture, changed by their admins only, and
 * who is admin, with a group never left without one, all through the real server over loopback.
 */
import { FileMeta } from '@flurfunk/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import {
  type User,
  apply,
  chat,
  conversationAs,
  createGroup,
  putChannel,
  signInAs,
  syncAll,
} from '../support/chat-support.js';
import { rejection as refusal, upsertOf } from '../support/feed-support.js';
import { downloadFile, makePdf, makePng, sha256, uploadFile } from '../support/file-support.js';

describeEachStorage('chat groups', (backend) => {
  let api: ApiClient;
  let serverUrl: string;
  let lena: User;
  let petra: User;
  let jonas: User;
  /** Outside the groups. */
  let admin: User;

  const rejection = (user: User, mutation: Parameters<typeof apply>[2]) => refusal(api, user, mutation);
  const since = async (user: User, before: { cursor: string }) =>
    (await syncAll(api, user, { after: before.cursor })).changes;
  const uploaded = async (user: User, upload: Parameters<typeof uploadFile>[2]) => {
    const result = await uploadFile(serverUrl, user, upload);
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    return FileMeta.parse(result.body);
  };

  beforeAll(async () => {
    const server = await backend.start({ demo: true });
    serverUrl = server.url;
    api = apiClient(server.url);
    [lena, petra, jonas, admin] = (await Promise.all(
      ['lena.weber', 'petra.koch', 'jonas.becker', 'admin'].map((name) => signInAs(api, name)),
    )) as [User, User, User, User];
  });

  describe('name and picture', () => {
    it('are set by its admins and reach every member', async () => {
      const group = await createGroup(api, lena, [petra], 'Grillteam');
      const photo = makePng(64, 48);
      const picture = await uploaded(lena, { bytes: photo, name: 'grill.png', type: 'image/png' });
      const before = await syncAll(api, petra);
      await apply(api, lena, chat.updateGroup(group, { title: 'Grillteam 2025', pictureId: picture.id }));
      const conversation = upsertOf(await since(petra, before), 'conversation.upsert', group).data;
      expect(conversation).toMatchObject({ title: 'Grillteam 2025', picture });
      // Members fetch the picture; to anyone else it does not exist.
      const download = await downloadFile(serverUrl, petra, picture.id);
      expect(download.status).toBe(200);
      expect(sha256(download.bytes)).toBe(sha256(photo));
      expect((await downloadFile(serverUrl, admin, picture.id)).status).toBe(404);

      // The same again changes nothing; only the title keeps the picture.
      expect((await apply(api, lena, chat.updateGroup(group, { pictureId: picture.id }))).seq).toBeNull();
      await apply(api, lena, chat.updateGroup(group, { title: 'Grillmeister' }));
      expect(await conversationAs(api, petra, group)).toMatchObject({ title: 'Grillmeister', picture });
      await apply(api, lena, chat.updateGroup(group, { pictureId: null }));
      expect((await conversationAs(api, petra, group)).picture).toBeNull();
      expect((await downloadFile(serverUrl, petra, picture.id)).status).toBe(404);
    });

    it('take only an image its admin uploaded that nothing uses, and change nothing otherwise', async () => {
      const group = await createGroup(api, lena, [petra], 'Bildersuche');
      const petrasImage = await uploaded(petra, { bytes: makePng(8, 8), name: 'petra.png' });
      const pdf = await uploaded(lena, { bytes: makePdf('Plan'), name: 'plan.pdf', type: 'application/pdf' });
      const onMessage = await uploaded(lena, { bytes: makePng(8, 8), name: 'im-chat.png' });
      await apply(api, lena, chat.sendMessage(group, 'Foto', undefined, { attachments: [onMessage.id] }));
      const before = await syncAll(api, petra);
      for (const file of [petrasImage, pdf, onMessage]) {
        expect(await rejection(lena, chat.updateGroup(group, { pictureId: file.id })), file.name).toBe(
          'invalid',
        );
      }
      expect(await since(petra, before)).toEqual([]);
      expect(await conversationAs(api, petra, group)).toMatchObject({ title: 'Bildersuche', picture: null });
    });

    it('are the admins’ to change: members are refused, outsiders find nothing, direct chats have none', async () => {
      const group = await createGroup(api, lena, [petra], 'Nur Admins');
      expect(await rejection(petra, chat.updateGroup(group, { title: 'Von Petra' }))).toBe('forbidden');
      expect(await rejection(admin, chat.updateGroup(group, { title: 'Von außen' }))).toBe('not_found');
      const direct = (await apply(api, lena, chat.openDirect(jonas.id))).entityId ?? '';
      expect(await rejection(lena, chat.updateGroup(direct, { title: 'Wir zwei' }))).toBe('invalid');
      const channel = await putChannel(api, admin, {
        title: 'Alle',
        audience: 'company',
        adminIds: [lena.id],
      });
      expect(await rejection(lena, chat.updateGroup(channel, { title: 'Umbenannt' }))).toBe('invalid');
      expect((await conversationAs(api, petra, group)).title).toBe('Nur Admins');
    });
  });

  describe('admins', () => {
    it('are chosen by admins among the members, and a group always keeps one', async () => {
      const group = await createGroup(api, lena, [petra, jonas], 'Betriebsrat');
      expect(await rejection(petra, chat.setAdmin(group, petra.id, true))).toBe('forbidden');
      expect(await rejection(lena, chat.setAdmin(group, admin.id, true))).toBe('not_found');
      // The only admin cannot step down while the others have no admin role.
      expect(await rejection(lena, chat.setAdmin(group, lena.id, false))).toBe('invalid');

      const before = await syncAll(api, jonas);
      await apply(api, lena, chat.setAdmin(group, petra.id, true));
      const { adminIds } = upsertOf(await since(jonas, before), 'conversation.upsert', group).data;
      expect(adminIds.toSorted()).toEqual([lena.id, petra.id].toSorted());
      expect((await apply(api, lena, chat.setAdmin(group, petra.id, true))).seq).toBeNull();
      // Now Petra may take Lena's role, and change the group.
      await apply(api, petra, chat.setAdmin(group, lena.id, false));
      await apply(api, petra, chat.updateGroup(group, { title: 'Betriebsrat Werk' }));
      expect(await rejection(lena, chat.updateGroup(group, { title: 'Zurück' }))).toBe('forbidden');
      expect(await conversationAs(api, jonas, group)).toMatchObject({
        title: 'Betriebsrat Werk',
        adminIds: [petra.id],
      });
      expect(await rejection(petra, chat.setAdmin(group, petra.id, false))).toBe('invalid');
    });

    it('exist in groups only, and outsiders find nothing to change', async () => {
      const direct = (await apply(api, petra, chat.openDirect(jonas.id))).entityId ?? '';
      expect(await rejection(petra, chat.setAdmin(direct, jonas.id, true))).toBe('invalid');
      const group = await createGroup(api, lena, [petra], 'Geschlossen');
      expect(await rejection(jonas, chat.setAdmin(group, jonas.id, true))).toBe('not_found');
      expect((await conversationAs(api, petra, group)).adminIds).toEqual([lena.id]);
    });
  });
});
