/**
 * Chat messages on the server: replies that quote a message of the same conversation, emoji
 * reactions, deletion for everyone as a tombstone, forwarding, read receipts and the history
 * route's message shape, all through the real server over loopback.
 */
import { ChatMessage, type SyncChange, maxNamedReaders, scopeKey } from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import {
  type Company,
  type User,
  apply,
  chat,
  createGroup,
  history,
  messageAs,
  messagesOf,
  putChannel,
  readCompany,
  sendMessage,
  signInAs,
  syncAll,
} from '../support/chat-support.js';
import { rejection as refusal, upsertOf } from '../support/feed-support.js';

describeEachStorage('chat messages', (backend) => {
  let api: ApiClient;
  let lena: User;
  let petra: User;
  let jonas: User;
  /** Outside Lena's group. */
  let admin: User;
  /** Lena's group with Petra and Jonas; Lena is its admin. */
  let group: string;
  let company: Company;

  const rejection = (user: User, mutation: Parameters<typeof apply>[2]) => refusal(api, user, mutation);
  const since = async (user: User, before: { cursor: string }) =>
    (await syncAll(api, user, { after: before.cursor })).changes;
  const send = (user: User, conversationId: string, body: string, replyToId: string | null = null) => {
    const messageId = v7();
    return apply(api, user, chat.sendMessage(conversationId, body, messageId, { replyToId })).then(
      () => messageId,
    );
  };

  beforeAll(async () => {
    const server = await backend.start({ demo: true });
    api = apiClient(server.url);
    [lena, petra, jonas, admin] = (await Promise.all(
      ['lena.weber', 'petra.koch', 'jonas.becker', 'admin'].map((name) => signInAs(api, name)),
    )) as [User, User, User, User];
    group = await createGroup(api, lena, [petra, jonas], 'Werkzeugausgabe');
    company = await readCompany(api, lena);
  });

  it('shows the demo group’s reply and reactions as the app displays them', async () => {
    const { changes } = await syncAll(api, lena);
    const summer = changes.find(
      (c) => c.type === 'conversation.upsert' && c.data.title === 'Sommerfest-Orga',
    );
    const messages = changes.flatMap((c) =>
      c.type === 'message.upsert' && c.data.conversationId === summer?.id ? [c.data] : [],
    );
    const question = messages.find((m) => m.body === 'Wer kümmert sich um den Grill?');
    const reply = messages.find((m) => m.replyToId !== null);
    expect(reply?.replyToId).toBe(question?.id);
    const cake = messages.find((m) => m.body.includes('Kuchen'));
    expect(cake?.reactions.map((r) => [r.emoji, r.personIds.length])).toEqual([
      ['🎉', 1],
      ['😋', 2],
    ]);
  });

  describe('replies', () => {
    it('quote a message of the same conversation, and reach the members with it', async () => {
      const question = await send(lena, group, 'Wer hat den Drehmomentschlüssel?');
      const before = await syncAll(api, jonas);
      const answer = await send(petra, group, 'Liegt in Schrank 3.', question);
      const delivered = upsertOf(await since(jonas, before), 'message.upsert', answer).data;
      expect(delivered).toMatchObject({ replyToId: question, body: 'Liegt in Schrank 3.', forwarded: false });
      expect((await messageAs(api, lena, group, answer)).replyToId).toBe(question);
    });

    it('refuse a message of another conversation or none, and write nothing', async () => {
      const direct = (await apply(api, lena, chat.openDirect(petra.id))).entityId ?? '';
      const elsewhere = await send(lena, direct, 'Unter uns');
      const before = await syncAll(api, petra);
      for (const replyToId of [elsewhere, v7()]) {
        const messageId = v7();
        expect(
          await rejection(petra, chat.sendMessage(group, 'Falscher Bezug', messageId, { replyToId })),
        ).toBe('invalid');
        expect((await messagesOf(api, petra, group)).map((m) => m.id)).not.toContain(messageId);
      }
      expect(await since(petra, before)).toEqual([]);
    });

    it('keep pointing at a message deleted since, and may quote a deleted one', async () => {
      const question = await send(jonas, group, 'Gilt die alte Liste noch?');
      const answer = await send(lena, group, 'Nein.', question);
      await apply(api, jonas, chat.deleteMessage(question));
      expect((await messageAs(api, petra, group, answer)).replyToId).toBe(question);
      // Written offline before the deletion arrived: what the user typed is not lost for it.
      const late = await send(petra, group, 'Hab ich auch gesehen.', question);
      expect((await messageAs(api, lena, group, late)).replyToId).toBe(question);
    });
  });

  describe('reactions', () => {
    it('toggle one emoji per person, ordered by the first to give each, and arrive by sync', async () => {
      const message = await send(lena, group, 'Neue Schutzbrillen sind da.');
      const before = await syncAll(api, jonas);
      await apply(api, petra, chat.react(message, '👍'));
      await apply(api, jonas, chat.react(message, '🎉'));
      await apply(api, jonas, chat.react(message, '👍'));
      await apply(api, lena, chat.react(message, '👩‍🔧'));
      const delivered = upsertOf(await since(jonas, before), 'message.upsert', message).data;
      expect(delivered.reactions).toEqual([
        { emoji: '👍', personIds: [petra.id, jonas.id] },
        { emoji: '🎉', personIds: [jonas.id] },
        { emoji: '👩‍🔧', personIds: [lena.id] },
      ]);

      // Giving again what is given, or taking back what is not, changes nothing.
      const again = await apply(api, petra, chat.react(message, '👍'));
      expect(again.seq).toBeNull();
      const afterAgain = await syncAll(api, jonas);
      await apply(api, petra, chat.react(message, '👍', false));
      expect((await apply(api, petra, chat.react(message, '👍', false))).seq).toBeNull();
      expect((await apply(api, petra, chat.react(message, '🎉', false))).seq).toBeNull();
      // 👍 now counts from Jonas's, given after his 🎉.
      const taken = upsertOf(await since(jonas, afterAgain), 'message.upsert', message).data;
      expect(taken.reactions).toEqual([
        { emoji: '🎉', personIds: [jonas.id] },
        { emoji: '👍', personIds: [jonas.id] },
        { emoji: '👩‍🔧', personIds: [lena.id] },
      ]);
    });

    it('take one emoji, never text, markup or several emoji', async () => {
      const message = await send(lena, group, 'Reagiert bitte nur mit Emoji.');
      const before = await syncAll(api, petra);
      for (const emoji of ['ab', '<script>', '👍👍', '👍a', ' ', '']) {
        expect(await rejection(petra, chat.react(message, emoji)), JSON.stringify(emoji)).toBe('invalid');
      }
      expect(await since(petra, before)).toEqual([]);
      expect((await messageAs(api, petra, group, message)).reactions).toEqual([]);
    });

    it(`take at most 50 different emoji on a message, and more people for those already there`, async () => {
      const message = await send(lena, group, 'Stimmungsbild');
      const fifty = Array.from({ length: 50 }, (_, i) => String.fromCodePoint(0x1f600 + i));
      for (const emoji of fifty) await apply(api, petra, chat.react(message, emoji));
      expect(await rejection(jonas, chat.react(message, '🦺'))).toBe('invalid');
      await apply(api, jonas, chat.react(message, fifty[0]!));
      const reactions = (await messageAs(api, jonas, group, message)).reactions;
      expect(reactions.map((r) => r.emoji)).toEqual(fifty);
      expect(reactions[0]?.personIds).toEqual([petra.id, jonas.id]);
    });

    it('are open to every reader of a read-only channel', async () => {
      const channel = await putChannel(api, admin, {
        title: 'Aushang',
        audience: 'company',
        readOnly: true,
        adminIds: [jonas.id],
      });
      const notice = await sendMessage(api, jonas, channel, 'Die Kantine schließt am Freitag früher.');
      await apply(api, petra, chat.react(notice, '😢'));
      expect((await messageAs(api, lena, channel, notice)).reactions).toEqual([
        { emoji: '😢', personIds: [petra.id] },
      ]);
    });
  });

  describe('deleting for everyone', () => {
    it('leaves a tombstone in its place, without text or reactions, and refuses changing it', async () => {
      const doomed = await send(petra, group, 'Aus Versehen hier gepostet');
      await apply(api, jonas, chat.react(doomed, '😮'));
      const before = await syncAll(api, jonas);
      // Lena deletes it as the group's admin.
      await apply(api, lena, chat.deleteMessage(doomed));
      const changes = await since(jonas, before);
      expect(changes.map((c) => c.type)).toEqual(['message.upsert']);
      const tombstone = upsertOf(changes, 'message.upsert', doomed).data;
      expect(tombstone).toMatchObject({
        body: '',
        reactions: [],
        attachments: [],
        authorId: petra.id,
        deletedAt: expect.any(String),
      });
      for (const user of [lena, petra, jonas]) {
        expect(await messageAs(api, user, group, doomed), user.username).toEqual(tombstone);
      }

      const afterDelete = await syncAll(api, petra);
      expect(await rejection(petra, chat.editMessage(doomed, 'Doch noch Text'))).toBe('invalid');
      expect(await rejection(jonas, chat.react(doomed, '👍'))).toBe('invalid');
      expect(await rejection(jonas, chat.forwardMessage(doomed, group))).toBe('invalid');
      // Deleting again is done already.
      expect((await apply(api, petra, chat.deleteMessage(doomed))).seq).toBeNull();
      expect(await since(petra, afterDelete)).toEqual([]);
    });
  });

  describe('forwarding', () => {
    it('copies the text into another conversation as the forwarder’s, marked as forwarded', async () => {
      const original = await send(lena, group, 'Die Wartung der Presse ist am Dienstag.', null);
      const direct = (await apply(api, petra, chat.openDirect(admin.id))).entityId ?? '';
      const copyId = v7();
      await apply(api, petra, chat.forwardMessage(original, direct, copyId));
      const copy = await messageAs(api, admin, direct, copyId);
      expect(copy).toMatchObject({
        conversationId: direct,
        authorId: petra.id,
        body: 'Die Wartung der Presse ist am Dienstag.',
        forwarded: true,
        replyToId: null,
        reactions: [],
        deletedAt: null,
      });
      // The original stays as it was.
      expect(await messageAs(api, lena, group, original)).toMatchObject({
        forwarded: false,
        authorId: lena.id,
      });
    });

    it('needs the source visible and the target writable', async () => {
      const original = await send(lena, group, 'Nur für die Gruppe');
      const direct = (await apply(api, admin, chat.openDirect(jonas.id))).entityId ?? '';
      // The admin is not in the group: its message looks missing.
      expect(await rejection(admin, chat.forwardMessage(original, direct))).toBe('not_found');
      // Petra may read the announcements, but not write in them; Jonas, their admin, may.
      const announcements = await putChannel(api, admin, {
        title: 'Bekanntmachungen',
        audience: 'company',
        readOnly: true,
        adminIds: [jonas.id],
      });
      const before = await syncAll(api, petra);
      expect(await rejection(petra, chat.forwardMessage(original, announcements))).toBe('forbidden');
      expect(await since(petra, before)).toEqual([]);
      const copyId = v7();
      await apply(api, jonas, chat.forwardMessage(original, announcements, copyId));
      expect((await messageAs(api, petra, announcements, copyId)).forwarded).toBe(true);
      // A conversation the forwarder is not in looks missing too.
      expect(await rejection(petra, chat.forwardMessage(original, direct))).toBe('not_found');
    });
  });

  describe('read receipts', () => {
    const readsIn = (changes: readonly SyncChange[], conversationId: string) =>
      upsertOf(changes, 'conversationReads.upsert', conversationId).data.readers;

    it('tell the other members how far each has read', async () => {
      const first = await send(lena, group, 'Inventur am Montag');
      const second = await send(lena, group, 'Bitte Listen mitbringen');
      const before = await syncAll(api, jonas);
      await apply(api, petra, chat.updateSettings(group, { lastReadMessageId: first }));
      await apply(api, jonas, chat.updateSettings(group, { lastReadMessageId: second }));
      const changes = await since(jonas, before);
      expect(readsIn(changes, group)).toEqual(
        [
          { personId: petra.id, lastReadMessageId: first },
          { personId: jonas.id, lastReadMessageId: second },
        ].sort((a, b) => a.personId.localeCompare(b.personId)),
      );
      expect(changes.find((c) => c.type === 'conversationReads.upsert')?.scope).toBe(scopeKey('chat', group));
      // Muting changes no read position: the others hear nothing of it.
      const afterReads = await syncAll(api, lena);
      await apply(api, petra, chat.updateSettings(group, { muted: true }));
      expect(await since(lena, afterReads)).toEqual([]);
    });

    it('refuse a read position in another conversation', async () => {
      const direct = (await apply(api, lena, chat.openDirect(jonas.id))).entityId ?? '';
      const elsewhere = await send(lena, direct, 'Kurze Frage');
      expect(await rejection(petra, chat.updateSettings(group, { lastReadMessageId: elsewhere }))).toBe(
        'invalid',
      );
    });

    it('are kept for nobody in a channel', async () => {
      const channel = await putChannel(api, admin, { title: 'Flurfunk', audience: 'company' });
      const message = await sendMessage(api, admin, channel, 'Willkommen!');
      const before = await Promise.all([syncAll(api, lena), syncAll(api, petra)]);
      await apply(api, petra, chat.updateSettings(channel, { lastReadMessageId: message }));
      expect(await since(lena, before[0])).toEqual([]);
      // Petra gets her own setting, and no read receipt either.
      expect((await since(petra, before[1])).map((c) => c.type)).toEqual(['conversationSettings.upsert']);
    });

    it('count the readers at each position in a large group, naming nobody', async () => {
      const others = company.people.filter((p) => ![lena.id, petra.id, jonas.id].includes(p.id));
      expect(others.length).toBeGreaterThanOrEqual(maxNamedReaders);
      const large = await createGroup(
        api,
        lena,
        [petra, jonas, ...others.slice(0, maxNamedReaders)],
        'Betriebsfest',
      );
      const first = await send(lena, large, 'Betriebsfest am 3. Juli');
      const second = await send(lena, large, 'Anmeldung bis Freitag');
      await apply(api, lena, chat.updateSettings(large, { lastReadMessageId: second }));
      await apply(api, petra, chat.updateSettings(large, { lastReadMessageId: first }));
      const before = await syncAll(api, lena);
      await apply(api, jonas, chat.updateSettings(large, { lastReadMessageId: second }));
      const reads = upsertOf(await since(lena, before), 'conversationReads.upsert', large).data;
      expect(reads).toEqual({
        id: large,
        readers: [],
        counts: [
          { lastReadMessageId: second, readers: 2 },
          { lastReadMessageId: first, readers: 1 },
        ],
      });
    });

    it('start a new member at the newest message, so none of the history is unread to them', async () => {
      const team = await createGroup(api, lena, [petra], 'Umzug');
      await send(lena, team, 'Kisten stehen im Keller');
      const newest = await send(petra, team, 'Danke, hole ich morgen');
      await apply(api, petra, chat.updateSettings(team, { lastReadMessageId: newest }));
      const before = await Promise.all([syncAll(api, jonas), syncAll(api, lena)]);
      await apply(api, lena, chat.addMembers(team, [jonas.id]));
      expect(upsertOf(await since(jonas, before[0]), 'conversationSettings.upsert', team).data).toEqual({
        id: team,
        muted: false,
        pinned: false,
        lastReadMessageId: newest,
      });
      // Where a newcomer starts is no read receipt: they have read nothing yet.
      expect(readsIn(await since(lena, before[1]), team)).toEqual([
        { personId: petra.id, lastReadMessageId: newest },
      ]);
    });

    it('lose a member who leaves', async () => {
      const team = await createGroup(api, lena, [petra, jonas], 'Frühschicht');
      const message = await send(lena, team, 'Schichtplan hängt aus');
      await apply(api, petra, chat.updateSettings(team, { lastReadMessageId: message }));
      await apply(api, jonas, chat.updateSettings(team, { lastReadMessageId: message }));
      const before = await syncAll(api, lena);
      await apply(api, petra, chat.removeMember(team, petra.id));
      expect(readsIn(await since(lena, before), team)).toEqual([
        { personId: jonas.id, lastReadMessageId: message },
      ]);
    });
  });

  describe('mentioning everyone', () => {
    it('is open to every member of a group, and to the admins only in a channel', async () => {
      const everyone = (text: string) => `<@channel> ${text}`;
      await send(petra, group, everyone('Pause um 10'));
      const channel = await putChannel(api, admin, {
        title: 'Ganze Firma',
        audience: 'company',
        adminIds: [jonas.id],
      });
      await send(jonas, channel, everyone('Betriebsversammlung um 14 Uhr'));
      const messages = await messagesOf(api, lena, channel);
      expect(await rejection(lena, chat.sendMessage(channel, everyone('Wer hat mein Rad?')))).toBe(
        'forbidden',
      );
      // Nor can an edit slip it in later.
      const own = await send(lena, channel, 'Wer hat mein Rad?');
      expect(await rejection(lena, chat.editMessage(own, everyone('Wer hat mein Rad?')))).toBe('forbidden');
      expect((await messageAs(api, lena, channel, own)).body).toBe('Wer hat mein Rad?');
      expect(await messagesOf(api, lena, channel)).toHaveLength(messages.length + 1);
    });
  });

  it('gives the whole message in the history, newest first', async () => {
    const conversation = await createGroup(api, jonas, [lena], 'Verlauf');
    const first = await send(jonas, conversation, 'Erste');
    const reply = await send(lena, conversation, 'Antwort', first);
    await apply(api, jonas, chat.react(reply, '👍'));
    await apply(api, lena, chat.editMessage(reply, 'Antwort (korrigiert)'));
    const response = await history(api, lena, conversation);
    expect(response.status).toBe(200);
    const { messages, hasMore } = response.body as { messages: unknown[]; hasMore: boolean };
    expect(hasMore).toBe(false);
    expect(messages.map((m) => ChatMessage.parse(m))).toEqual([
      {
        id: reply,
        conversationId: conversation,
        authorId: lena.id,
        body: 'Antwort (korrigiert)',
        replyToId: first,
        forwarded: false,
        attachments: [],
        reactions: [{ emoji: '👍', personIds: [jonas.id] }],
        createdAt: expect.any(String),
        editedAt: expect.any(String),
        deletedAt: null,
      },
      expect.objectContaining({ id: first, replyToId: null, editedAt: null, deletedAt: null }),
    ]);
  });
});
