/**
 * POST /api/v1/mutations: client writes from the outbox, answered one by one, applied once
 * however often they are sent, and only where the writer is allowed to.
 */
import { randomUUID } from 'node:crypto';
import { ChatMessage, type Conversation, ErrorBody, MessageHistoryPage, scopeKey } from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import {
  type User,
  apply,
  chat,
  createGroup,
  history,
  mutate,
  postMutations,
  putChannel,
  sendMessage,
  signInAs,
  syncAll,
} from '../support/chat-support.js';

describeEachStorage('mutations', (backend) => {
  let api: ApiClient;
  let lena: User;
  let petra: User;
  let jonas: User;
  let admin: User;
  /** Lena's group with Petra and Jonas; Lena is its admin. */
  let group: string;

  const messagesOf = async (user: User, conversationId: string) => {
    const response = await history(api, user, conversationId);
    expect(response.status).toBe(200);
    return MessageHistoryPage.parse(response.body).messages;
  };
  const conversationAs = async (user: User, id: string): Promise<Conversation> => {
    const { changes } = await syncAll(api, user, { scope: scopeKey('chat', id), snapshot: true });
    const found = changes.find((c) => c.type === 'conversation.upsert' && c.id === id);
    if (found?.type !== 'conversation.upsert') throw new Error(`${user.username} does not see ${id}`);
    return found.data;
  };

  beforeAll(async () => {
    const server = await backend.start({ demo: true });
    api = apiClient(server.url);
    [lena, petra, jonas, admin] = (await Promise.all(
      ['lena.weber', 'petra.koch', 'jonas.becker', 'admin'].map((name) => signInAs(api, name)),
    )) as [User, User, User, User];
    group = await createGroup(api, lena, [petra, jonas], 'Kantinenausschuss');
  });

  describe('idempotency', () => {
    it('answers a repeated batch with the first results and writes nothing twice', async () => {
      const conversationId = v7();
      const messageId = v7();
      const batch = [
        chat.createGroup('Doppelt gesendet', [petra.id], conversationId),
        chat.sendMessage(conversationId, 'Einmal, bitte', messageId),
        chat.editMessage(messageId, 'Einmal, wirklich'),
      ];
      const first = await mutate(api, lena, batch);
      expect(first.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      const cursor = (await syncAll(api, petra, { scope: scopeKey('chat', conversationId) })).cursor;

      expect(await mutate(api, lena, batch)).toEqual(first);
      const messages = await messagesOf(petra, conversationId);
      expect(messages).toEqual([expect.objectContaining({ id: messageId, body: 'Einmal, wirklich' })]);
      expect((await syncAll(api, petra, { after: cursor })).changes).toEqual([]);
    });

    it("rejects another person's reuse of a mutation id as a conflict", async () => {
      const write = chat.sendMessage(group, 'Meins');
      await apply(api, lena, write);
      const [stolen] = await mutate(api, petra, [{ ...write, args: { ...write.args, messageId: v7() } }]);
      expect(stolen).toMatchObject({ status: 'rejected', code: 'conflict' });
      expect((await messagesOf(lena, group)).filter((m) => m.body === 'Meins')).toHaveLength(1);
      // Lena's retry still gets her own answer.
      expect((await mutate(api, lena, [write]))[0]).toMatchObject({ status: 'applied' });
    });

    it('applies a batch sent several times at once exactly once', async () => {
      const messageId = v7();
      const batch = [
        chat.sendMessage(group, 'Gleichzeitig', messageId),
        chat.updateSettings(group, { pinned: true }),
      ];
      const answers = await Promise.all(Array.from({ length: 5 }, () => mutate(api, jonas, batch)));
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect(answers[0]?.map((r) => r.status)).toEqual(['applied', 'applied']);
      expect((await messagesOf(petra, group)).filter((m) => m.id === messageId)).toHaveLength(1);
    });

    it('accepts a message id once, even from different mutations sent at once', async () => {
      const messageId = v7();
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          mutate(api, lena, [chat.sendMessage(group, 'Wer war schneller?', messageId)]),
        ),
      );
      const statuses = answers.map(([result]) =>
        result?.status === 'rejected' ? result.code : result?.status,
      );
      expect(statuses.sort()).toEqual(['applied', 'conflict', 'conflict', 'conflict']);
      expect((await messagesOf(petra, group)).filter((m) => m.id === messageId)).toHaveLength(1);
    });
  });

  describe('batches', () => {
    it('answers each mutation of a mixed batch on its own, in order', async () => {
      const petrasMessage = await sendMessage(api, petra, group, 'Von Petra');
      const firstId = v7();
      const lastId = v7();
      const batch = [
        chat.sendMessage(group, 'Vorher', firstId),
        { id: v7(), type: 'chat.sendMessage', args: { conversationId: group, body: '   ', messageId: v7() } },
        chat.editMessage(petrasMessage, 'Von Lena überschrieben'),
        { id: v7(), type: 'chat.teleport', args: {} },
        chat.sendMessage(group, 'Nachher', lastId),
      ];
      const results = await mutate(api, lena, batch);
      expect(results).toEqual([
        { id: batch[0]?.id, status: 'applied', seq: expect.any(String), entityId: firstId },
        {
          id: batch[1]?.id,
          status: 'rejected',
          code: 'invalid',
          message: expect.stringContaining('needs text or a file'),
        },
        { id: batch[2]?.id, status: 'rejected', code: 'forbidden', message: expect.any(String) },
        { id: batch[3]?.id, status: 'rejected', code: 'invalid', message: expect.any(String) },
        { id: batch[4]?.id, status: 'applied', seq: expect.any(String), entityId: lastId },
      ]);
      const seqOf = (index: number) => BigInt((results[index] as { seq: string }).seq);
      expect(seqOf(0)).toBeLessThan(seqOf(4));
      const messages = await messagesOf(jonas, group);
      expect(messages.find((m) => m.id === petrasMessage)?.body).toBe('Von Petra');
      expect(messages.map((m) => m.id)).toEqual(expect.arrayContaining([firstId, lastId]));
    });

    it('refuses a batch of more than 100 mutations, or none, as a whole', async () => {
      const tooMany = Array.from({ length: 101 }, (_, i) => chat.sendMessage(group, `Nachricht ${i}`));
      const response = await postMutations(api, lena, tooMany);
      expect(response.status).toBe(400);
      expect(ErrorBody.parse(response.body).error.code).toBe('bad_request');
      expect((await postMutations(api, lena, [])).status).toBe(400);
      const bodies = (await messagesOf(lena, group)).map((m) => m.body);
      expect(bodies).not.toContain('Nachricht 0');

      const hundred = Array.from({ length: 100 }, (_, i) =>
        chat.updateSettings(group, { muted: i % 2 === 0 }),
      );
      expect((await mutate(api, lena, hundred)).every((r) => r.status === 'applied')).toBe(true);
    });

    it('refuses a malformed envelope (an id that is no UUIDv7) as a whole, applying nothing of it', async () => {
      const good = chat.sendMessage(group, 'Mit kaputtem Nachbarn');
      const bad = { ...chat.sendMessage(group, 'Kaputte Id'), id: randomUUID() };
      const response = await postMutations(api, lena, [good, bad]);
      expect(response.status).toBe(400);
      expect(ErrorBody.parse(response.body).error.code).toBe('bad_request');
      const extra = await postMutations(api, lena, [{ ...good, sender: 'me' }]);
      expect(extra.status).toBe(400);
      const bodies = (await messagesOf(lena, group)).map((m) => m.body);
      expect(bodies).not.toContain('Mit kaputtem Nachbarn');
      expect(bodies).not.toContain('Kaputte Id');
    });

    it('requires a signed-in user', async () => {
      const response = await api.post('/api/v1/mutations', {
        json: { mutations: [chat.sendMessage(group, 'Anonym')] },
      });
      expect(response.status).toBe(401);
    });
  });

  describe('permissions', () => {
    it('lets only its admins write in a read-only channel, and everyone read it', async () => {
      const channel = await putChannel(api, admin, {
        title: 'Aushang der Geschäftsführung',
        audience: 'company',
        readOnly: true,
        adminIds: [jonas.id],
      });
      const [refused] = await mutate(api, lena, [chat.sendMessage(channel, 'Darf ich?')]);
      expect(refused).toMatchObject({ status: 'rejected', code: 'forbidden' });
      const announcement = await sendMessage(api, jonas, channel, 'Betriebsversammlung am Freitag');
      expect((await messagesOf(lena, channel)).map((m) => m.id)).toEqual([announcement]);
      // Lena can still mute it: settings are her own.
      await apply(api, lena, chat.updateSettings(channel, { muted: true }));
    });

    it('lets only the author edit a message', async () => {
      const message = await sendMessage(api, lena, group, 'Tippfeler');
      const [byPetra] = await mutate(api, petra, [chat.editMessage(message, 'Von Petra korrigiert')]);
      expect(byPetra).toMatchObject({ status: 'rejected', code: 'forbidden' });
      await apply(api, lena, chat.editMessage(message, 'Tippfehler'));
      const edited = ChatMessage.parse((await messagesOf(petra, group)).find((m) => m.id === message));
      expect(edited).toMatchObject({ body: 'Tippfehler', authorId: lena.id, editedAt: expect.any(String) });
    });

    it('lets the author or a group admin delete a message, nobody else', async () => {
      const jonasMessage = await sendMessage(api, jonas, group, 'Von Jonas');
      const petraMessage = await sendMessage(api, petra, group, 'Von Petra');
      const own = await sendMessage(api, petra, group, 'Petra löscht selbst');
      const [byMember] = await mutate(api, petra, [chat.deleteMessage(jonasMessage)]);
      expect(byMember).toMatchObject({ status: 'rejected', code: 'forbidden' });
      await apply(api, petra, chat.deleteMessage(own));
      await apply(api, lena, chat.deleteMessage(petraMessage));
      const messages = await messagesOf(jonas, group);
      expect(messages.find((m) => m.id === jonasMessage)).toMatchObject({
        body: 'Von Jonas',
        deletedAt: null,
      });
      // Deleted for everyone: each stays in its place as a tombstone without its text.
      for (const id of [petraMessage, own]) {
        expect(messages.find((m) => m.id === id)).toMatchObject({ body: '', deletedAt: expect.any(String) });
      }
      const [again] = await mutate(api, lena, [chat.deleteMessage(petraMessage)]);
      expect(again).toMatchObject({ status: 'applied', seq: null });
    });

    it('lets only group admins add or remove others, and members leave', async () => {
      const [add] = await mutate(api, petra, [chat.addMembers(group, [admin.id])]);
      expect(add).toMatchObject({ status: 'rejected', code: 'forbidden' });
      const [remove] = await mutate(api, petra, [chat.removeMember(group, jonas.id)]);
      expect(remove).toMatchObject({ status: 'rejected', code: 'forbidden' });
      const [unknown] = await mutate(api, lena, [chat.addMembers(group, [v7()])]);
      expect(unknown).toMatchObject({ status: 'rejected', code: 'not_found' });
      expect((await conversationAs(lena, group)).memberIds).not.toContain(admin.id);
    });
  });

  describe('conversations', () => {
    it('opens one direct conversation per pair, whoever opens it and however often', async () => {
      const first = await apply(api, jonas, chat.openDirect(petra.id));
      const again = await apply(api, jonas, chat.openDirect(petra.id));
      const fromPetra = await apply(api, petra, chat.openDirect(jonas.id));
      expect(again).toMatchObject({ entityId: first.entityId, seq: null });
      expect(fromPetra).toMatchObject({ entityId: first.entityId, seq: null });
      const direct = await conversationAs(petra, first.entityId ?? '');
      expect(direct).toMatchObject({
        kind: 'direct',
        memberIds: expect.arrayContaining([jonas.id, petra.id]),
      });
      expect(direct.memberIds).toHaveLength(2);
      const [self] = await mutate(api, jonas, [chat.openDirect(jonas.id)]);
      expect(self).toMatchObject({ status: 'rejected', code: 'invalid' });
      const [taken] = await mutate(api, jonas, [chat.openDirect(admin.id, group)]);
      expect(taken).toMatchObject({ status: 'rejected', code: 'conflict' });
    });

    it('opens one direct conversation when both people open it at the same moment', async () => {
      const answers = await Promise.all([
        mutate(api, lena, [chat.openDirect(admin.id)]),
        mutate(api, admin, [chat.openDirect(lena.id)]),
        mutate(api, lena, [chat.openDirect(admin.id)]),
      ]);
      const ids = answers.map(([result]) => (result?.status === 'applied' ? result.entityId : result?.code));
      expect(new Set(ids).size).toBe(1);
      expect((await conversationAs(admin, ids[0] ?? '')).kind).toBe('direct');
    });

    it('creates a group once when two writes claim the same conversation id at the same moment', async () => {
      const conversationId = v7();
      const answers = await Promise.all([
        mutate(api, lena, [chat.createGroup('Erste', [petra.id], conversationId)]),
        mutate(api, jonas, [chat.createGroup('Zweite', [petra.id], conversationId)]),
      ]);
      const statuses = answers.map(([result]) =>
        result?.status === 'rejected' ? result.code : result?.status,
      );
      expect(statuses.sort()).toEqual(['applied', 'conflict']);
    });

    it('makes another member admin when the last admin leaves a group', async () => {
      const team = await createGroup(api, lena, [petra, jonas], 'Betriebsausflug');
      expect((await conversationAs(petra, team)).adminIds).toEqual([lena.id]);
      await apply(api, lena, chat.removeMember(team, lena.id));

      const after = await conversationAs(petra, team);
      expect(new Set(after.memberIds)).toEqual(new Set([petra.id, jonas.id]));
      expect(after.adminIds).toHaveLength(1);
      const newAdmin = after.adminIds[0] === petra.id ? petra : jonas;
      expect([petra.id, jonas.id]).toContain(newAdmin.id);
      await apply(api, newAdmin, chat.addMembers(team, [admin.id]));
      expect((await history(api, lena, team)).status).toBe(404);
    });

    it('keeps settings per person and reports an unchanged setting as applied without a change', async () => {
      const first = await apply(api, petra, chat.updateSettings(group, { pinned: true }));
      expect(first.seq).not.toBeNull();
      const unchanged = await apply(api, petra, chat.updateSettings(group, { pinned: true }));
      expect(unchanged).toMatchObject({ seq: null, entityId: group });
    });
  });
});
