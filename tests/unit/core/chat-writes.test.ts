import { channelMention, scopeKey } from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeSet } from '../../../electron/core/sync/change-set.js';
import { anna, jonas, lena } from './core-test-data.js';
import {
  type ChatCache,
  conversation,
  conversationChange,
  fileMeta,
  message,
  messageChange,
  openChatCache,
} from './chat-test-data.js';

let cache: ChatCache;
const group = conversation('group');

beforeEach(async () => {
  cache = await openChatCache();
  cache.sync([conversationChange(group)]);
});
afterEach(async () => {
  await cache.close();
});

/** The user discards the outbox entry behind a write after the server refused it. */
function discard(outboxId: string): ChangeSet {
  const changes = new ChangeSet();
  cache.db
    .transaction(() => {
      cache.stores.outbox.markFailed(outboxId, 'forbidden', 'nein');
      const entry = cache.stores.outbox.get(outboxId)!;
      cache.stores.outbox.delete(outboxId);
      cache.writes.undo(entry, changes);
    })
    .immediate();
  return changes;
}

const entityIds = (changes: ChangeSet, entity: 'message' | 'conversation' | 'conversationSettings') =>
  changes.toEvent().changes.find((c) => c.entity === entity)?.ids;

describe('sending messages', () => {
  it('shows a sent message at once as pending, queues it, and clears the conversation’s draft', () => {
    cache.drafts.write(`chat:${group.id}`, { body: 'Bin gleich', replyToId: null });
    const changes = new ChangeSet();
    const sent = cache.writes.sendMessage(
      { conversationId: group.id, body: 'Bin gleich da', replyToId: null, attachments: [] },
      changes,
    );
    expect(sent).toMatchObject({
      authorId: lena.id,
      body: 'Bin gleich da',
      delivery: 'pending',
      failure: null,
    });
    expect(cache.reader.listMessages({ conversationId: group.id, limit: 10 }).map((m) => m.id)).toEqual([
      sent.id,
    ]);
    expect(cache.reader.getConversation(group.id)).toMatchObject({ draft: null, unreadCount: 0 });
    const [entry] = cache.stores.outbox.list();
    expect(entry).toMatchObject({ type: 'chat.sendMessage', state: 'pending' });
    expect(cache.stores.outbox.get(entry!.id)?.args).toEqual({
      messageId: sent.id,
      conversationId: group.id,
      body: 'Bin gleich da',
      replyToId: null,
      attachments: [],
    });
    expect(entityIds(changes, 'message')).toEqual([sent.id]);
    expect(entityIds(changes, 'conversation')).toEqual([group.id]);

    // The server refuses it: the message says why, until the user retries or discards it.
    cache.stores.outbox.markFailed(entry!.id, 'forbidden', 'not a member');
    expect(cache.reader.getMessage(sent.id)).toMatchObject({
      delivery: 'failed',
      failure: 'forbidden',
      outboxId: entry!.id,
    });
  });

  it('attaches the user’s own uploads, and gives them back when the user discards the refused message', () => {
    const upload = fileMeta('Schichtplan.pdf');
    cache.files.recordUpload(upload);
    const sent = cache.writes.sendMessage(
      { conversationId: group.id, body: '', replyToId: null, attachments: [upload.id] },
      new ChangeSet(),
    );
    expect(sent.attachments).toEqual([upload]);
    // Taken by the message: no longer among the uploads, served as the message's file.
    expect(cache.db.prepare('SELECT count(*) FROM uploads').pluck().get()).toBe(0);
    expect(cache.files.meta(upload.id)).toEqual(upload);

    const stranger = uuidv7();
    expect(() =>
      cache.writes.sendMessage(
        { conversationId: group.id, body: 'Noch eins', replyToId: null, attachments: [stranger] },
        new ChangeSet(),
      ),
    ).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(cache.stores.outbox.list()).toHaveLength(1);

    discard(cache.stores.outbox.list()[0]!.id);
    expect(cache.reader.getMessage(sent.id)).toBeNull();
    expect(cache.files.takeUploads([upload.id])).toEqual([upload]);
  });

  it('answers a message of the same conversation only, and writes in announcements only as their admin', () => {
    const other = conversation('group');
    const quoted = message(other, 'Anderswo');
    cache.sync([conversationChange(other), messageChange(quoted, other)]);
    expect(() =>
      cache.writes.sendMessage(
        { conversationId: group.id, body: 'Antwort', replyToId: quoted.id, attachments: [] },
        new ChangeSet(),
      ),
    ).toThrow(expect.objectContaining({ code: 'not_found' }));
    const reply = cache.writes.sendMessage(
      { conversationId: other.id, body: 'Antwort', replyToId: quoted.id, attachments: [] },
      new ChangeSet(),
    );
    expect(reply.replyToId).toBe(quoted.id);

    const announcements = conversation('channel', { readOnly: true, adminIds: [jonas.id] });
    cache.sync([conversationChange(announcements)]);
    expect(() =>
      cache.writes.sendMessage(
        { conversationId: announcements.id, body: 'Hallo', replyToId: null, attachments: [] },
        new ChangeSet(),
      ),
    ).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(cache.stores.outbox.list().map((e) => e.type)).toEqual(['chat.sendMessage']);
  });

  it('mentions everyone in a group, and in a channel only as its admin', () => {
    const send = (conversationId: string) =>
      cache.writes.sendMessage(
        { conversationId, body: `${channelMention} Pause um 10`, replyToId: null, attachments: [] },
        new ChangeSet(),
      );
    expect(send(group.id).body).toContain(channelMention);
    const workshop = conversation('channel');
    const ownChannel = conversation('channel', { adminIds: [lena.id] });
    cache.sync([conversationChange(workshop), conversationChange(ownChannel)]);
    expect(() => send(workshop.id)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    const plain = cache.writes.sendMessage(
      { conversationId: workshop.id, body: 'Pause um 10', replyToId: null, attachments: [] },
      new ChangeSet(),
    );
    expect(() =>
      cache.writes.editMessage(
        { messageId: plain.id, body: `${channelMention} Pause um 10` },
        new ChangeSet(),
      ),
    ).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(send(ownChannel.id).conversationId).toBe(ownChannel.id);
    expect(cache.stores.outbox.list().map((e) => e.type)).toEqual([
      'chat.sendMessage',
      'chat.sendMessage',
      'chat.sendMessage',
    ]);
  });

  it('forwards a copy with its files into another conversation', () => {
    const file = fileMeta('Foto.jpg', { mediaType: 'image/jpeg' });
    const source = message(group, 'Seht mal', { attachments: [file] });
    const direct = conversation('direct');
    cache.sync([conversationChange(direct), messageChange(source, group)]);
    const copy = cache.writes.forwardMessage(
      { sourceId: source.id, conversationId: direct.id },
      new ChangeSet(),
    );
    expect(copy).toMatchObject({
      conversationId: direct.id,
      authorId: lena.id,
      body: 'Seht mal',
      attachments: [file],
      forwarded: true,
      delivery: 'pending',
    });
    expect(cache.stores.outbox.get(cache.stores.outbox.list()[0]!.id)?.args).toEqual({
      messageId: copy.id,
      conversationId: direct.id,
      sourceId: source.id,
    });
  });
});

describe('changing messages', () => {
  it('edits and deletes the user’s own message optimistically and brings it back when discarded', () => {
    const mine = message(group, 'Treffen um neun', { authorId: lena.id });
    cache.sync([messageChange(mine, group)]);

    const edited = cache.writes.editMessage({ messageId: mine.id, body: 'Treffen um zehn' }, new ChangeSet());
    expect(edited).toMatchObject({ body: 'Treffen um zehn', delivery: 'pending' });
    expect(edited.editedAt).not.toBeNull();
    discard(cache.stores.outbox.list()[0]!.id);
    expect(cache.reader.getMessage(mine.id)).toMatchObject({
      body: 'Treffen um neun',
      editedAt: null,
      delivery: 'synced',
    });

    const deleted = cache.writes.deleteMessage({ messageId: mine.id }, new ChangeSet());
    expect(deleted).toMatchObject({ body: '', attachments: [], delivery: 'pending' });
    expect(deleted.deletedAt).not.toBeNull();
    expect(cache.reader.searchMessages({ query: 'treffen', limit: 10 })).toEqual([]);
    discard(cache.stores.outbox.list()[0]!.id);
    expect(cache.reader.getMessage(mine.id)).toMatchObject({ body: 'Treffen um neun', deletedAt: null });
    expect(cache.reader.searchMessages({ query: 'treffen', limit: 10 })).toHaveLength(1);
  });

  it('refuses to change someone else’s message or a deleted one, and queues nothing', () => {
    const theirs = message(group, 'Von Jonas');
    const gone = message(group, '', { authorId: lena.id, deletedAt: '2026-11-22T08:00:00.000000Z' });
    cache.sync([messageChange(theirs, group), messageChange(gone, group)]);
    expect(() => cache.writes.editMessage({ messageId: theirs.id, body: 'x' }, new ChangeSet())).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(() => cache.writes.deleteMessage({ messageId: gone.id }, new ChangeSet())).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(cache.reader.getMessage(theirs.id)?.body).toBe('Von Jonas');
    expect(cache.stores.outbox.list()).toEqual([]);
  });

  it('keeps an unconfirmed edit and delete over the older version sync brings meanwhile', () => {
    const a = message(group, 'Erste Fassung', { authorId: lena.id });
    const b = message(group, 'Weg damit', { authorId: lena.id });
    cache.sync([messageChange(a, group), messageChange(b, group)]);
    cache.writes.editMessage({ messageId: a.id, body: 'Zweite Fassung' }, new ChangeSet());
    cache.writes.deleteMessage({ messageId: b.id }, new ChangeSet());
    // Sync brings the server's versions from before the writes arrived there.
    cache.sync([messageChange(a, group), messageChange(b, group)]);
    cache.writes.reapply(cache.stores.outbox.forEntities([a.id, b.id]));
    expect(cache.reader.getMessage(a.id)?.body).toBe('Zweite Fassung');
    expect(cache.reader.getMessage(b.id)?.deletedAt).not.toBeNull();
  });

  it('toggles the user’s reaction at once, keeps it over an older version, and takes it back when discarded', () => {
    const m = message(group, 'Feierabend!', { reactions: [{ emoji: '🎉', personIds: [anna.id] }] });
    cache.sync([messageChange(m, group)]);

    const reacted = cache.writes.react({ messageId: m.id, emoji: '🎉', on: true }, new ChangeSet());
    expect(reacted.reactions).toEqual([{ emoji: '🎉', personIds: [anna.id, lena.id] }]);
    const thumbs = cache.writes.react({ messageId: m.id, emoji: '👍🏽', on: true }, new ChangeSet());
    expect(thumbs.reactions).toEqual([
      { emoji: '🎉', personIds: [anna.id, lena.id] },
      { emoji: '👍🏽', personIds: [lena.id] },
    ]);
    // Giving a reaction the user already gave changes nothing and sends nothing.
    cache.writes.react({ messageId: m.id, emoji: '🎉', on: true }, new ChangeSet());
    expect(cache.stores.outbox.list()).toHaveLength(2);

    cache.sync([messageChange(m, group)]);
    cache.writes.reapply(cache.stores.outbox.forEntities([m.id]));
    expect(cache.reader.getMessage(m.id)?.reactions).toEqual(thumbs.reactions);

    const [, second] = cache.stores.outbox.list();
    discard(second!.id);
    expect(cache.reader.getMessage(m.id)?.reactions).toEqual([
      { emoji: '🎉', personIds: [anna.id, lena.id] },
    ]);
    cache.writes.react({ messageId: m.id, emoji: '🎉', on: false }, new ChangeSet());
    expect(cache.reader.getMessage(m.id)?.reactions).toEqual([{ emoji: '🎉', personIds: [anna.id] }]);
  });
});

describe('discarding a refused write', () => {
  it('takes back only the user’s reaction or edit, not what others did meanwhile', () => {
    const m = message(group, 'Wer kommt mit?', { authorId: lena.id });
    cache.sync([messageChange(m, group)]);
    cache.writes.react({ messageId: m.id, emoji: '👍', on: true }, new ChangeSet());
    cache.writes.editMessage({ messageId: m.id, body: 'nie' }, new ChangeSet());
    const [reaction, edit] = cache.stores.outbox.list();
    // Meanwhile Anna reacts, and sync brings the message with her reaction.
    cache.sync([messageChange({ ...m, reactions: [{ emoji: '🎉', personIds: [anna.id] }] }, group)]);
    cache.writes.reapply(cache.stores.outbox.forEntities([m.id]));

    discard(reaction!.id);
    expect(cache.reader.getMessage(m.id)?.reactions).toEqual([{ emoji: '🎉', personIds: [anna.id] }]);
    expect(cache.reader.getMessage(m.id)?.body).toBe('nie');
    discard(edit!.id);
    expect(cache.reader.getMessage(m.id)).toMatchObject({
      body: 'Wer kommt mit?',
      editedAt: null,
      reactions: [{ emoji: '🎉', personIds: [anna.id] }],
    });
  });

  it('takes back only the setting the refused write changed', () => {
    cache.writes.updateSettings({ conversationId: group.id, muted: true }, new ChangeSet());
    const [mute] = cache.stores.outbox.list();
    cache.writes.updateSettings({ conversationId: group.id, pinned: true }, new ChangeSet());
    discard(mute!.id);
    expect(cache.reader.getConversation(group.id)).toMatchObject({ muted: false, pinned: true });
  });
});

describe('the user’s state of a conversation', () => {
  it('drops the unread count at once when read, never moves the mark back, and keeps it over older settings', () => {
    const messages = [message(group, 'Eins'), message(group, 'Zwei'), message(group, 'Drei')];
    cache.sync(messages.map((m) => messageChange(m, group)));
    expect(cache.reader.getConversation(group.id)?.unreadCount).toBe(3);

    const changes = new ChangeSet();
    cache.writes.markRead({ conversationId: group.id, messageId: messages[1]!.id }, changes);
    expect(cache.reader.getConversation(group.id)).toMatchObject({
      unreadCount: 1,
      lastReadMessageId: messages[1]!.id,
    });
    expect(entityIds(changes, 'conversationSettings')).toEqual([group.id]);
    expect(cache.stores.outbox.get(cache.stores.outbox.list()[0]!.id)?.args).toEqual({
      conversationId: group.id,
      lastReadMessageId: messages[1]!.id,
    });

    cache.writes.markRead({ conversationId: group.id, messageId: messages[0]!.id }, new ChangeSet());
    expect(cache.reader.getConversation(group.id)?.lastReadMessageId).toBe(messages[1]!.id);
    expect(cache.stores.outbox.list()).toHaveLength(1);

    // The server's settings from before the mark arrive: the unconfirmed mark stays.
    cache.sync([
      {
        type: 'conversationSettings.upsert',
        id: group.id,
        scope: scopeKey('user', lena.id),
        data: { id: group.id, muted: true, pinned: false, lastReadMessageId: messages[0]!.id },
      },
    ]);
    cache.writes.reapply(cache.stores.outbox.forEntities([group.id]));
    expect(cache.reader.getConversation(group.id)).toMatchObject({ muted: true, unreadCount: 1 });

    expect(() =>
      cache.writes.markRead({ conversationId: group.id, messageId: uuidv7() }, new ChangeSet()),
    ).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('sends only the newest of the read marks waiting to go out; discarding it restores the mark before them', () => {
    const messages = ['Eins', 'Zwei', 'Drei', 'Vier'].map((text) => message(group, text));
    cache.sync(messages.map((m) => messageChange(m, group)));
    cache.writes.markRead({ conversationId: group.id, messageId: messages[0]!.id }, new ChangeSet());
    // The first mark went out; the next ones wait, and a change of mute between them stays its own.
    cache.stores.outbox.markSent(cache.stores.outbox.list()[0]!.id, '1');
    cache.writes.markRead({ conversationId: group.id, messageId: messages[1]!.id }, new ChangeSet());
    cache.writes.updateSettings({ conversationId: group.id, muted: true }, new ChangeSet());
    cache.writes.markRead({ conversationId: group.id, messageId: messages[2]!.id }, new ChangeSet());
    const changes = new ChangeSet();
    cache.writes.markRead({ conversationId: group.id, messageId: messages[3]!.id }, changes);
    const waiting = cache.stores.outbox.list().filter((e) => e.state === 'pending');
    expect(waiting.map((e) => cache.stores.outbox.get(e.id)?.args)).toEqual([
      { conversationId: group.id, muted: true },
      { conversationId: group.id, lastReadMessageId: messages[3]!.id },
    ]);
    // The one it replaces leaves the outbox, and the screen hears of it.
    expect(changes.toEvent().changes.find((c) => c.entity === 'outboxEntry')?.ids).toHaveLength(2);
    expect(cache.reader.getConversation(group.id)).toMatchObject({ unreadCount: 0, muted: true });

    discard(waiting[1]!.id);
    expect(cache.reader.getConversation(group.id)).toMatchObject({
      lastReadMessageId: messages[0]!.id,
      unreadCount: 3,
      muted: true,
    });
  });

  it('marks read only up to what the server has, never up to the user’s own unsent message', () => {
    const theirs = message(group, 'Von Jonas');
    cache.sync([messageChange(theirs, group)]);
    const mine = cache.writes.sendMessage(
      { conversationId: group.id, body: 'Meine Antwort', replyToId: null, attachments: [] },
      new ChangeSet(),
    );
    cache.writes.markRead({ conversationId: group.id, messageId: mine.id }, new ChangeSet());
    expect(cache.reader.getConversation(group.id)).toMatchObject({
      lastReadMessageId: theirs.id,
      unreadCount: 0,
    });
    const marks = cache.stores.outbox.list().filter((e) => e.type === 'chat.updateSettings');
    expect(marks.map((e) => cache.stores.outbox.get(e.id)?.args)).toEqual([
      { conversationId: group.id, lastReadMessageId: theirs.id },
    ]);
  });

  it('pins and mutes a conversation at once and takes it back when the user discards the refused change', () => {
    const other = conversation('group', { title: 'Andere' });
    cache.sync([conversationChange(other), messageChange(message(other, 'Neu'), other)]);
    expect(cache.reader.listConversations()[0]?.id).toBe(other.id);

    cache.writes.updateSettings({ conversationId: group.id, pinned: true, muted: true }, new ChangeSet());
    expect(cache.reader.listConversations()[0]).toMatchObject({ id: group.id, pinned: true, muted: true });
    expect(cache.stores.outbox.get(cache.stores.outbox.list()[0]!.id)?.args).toEqual({
      conversationId: group.id,
      muted: true,
      pinned: true,
    });

    const changes = discard(cache.stores.outbox.list()[0]!.id);
    expect(entityIds(changes, 'conversationSettings')).toEqual([group.id]);
    expect(cache.reader.listConversations()[0]?.id).toBe(other.id);
    expect(cache.reader.getConversation(group.id)).toMatchObject({ pinned: false, muted: false });
  });

  it('keeps a draft per conversation and forgets an empty one', () => {
    cache.writes.saveDraft(
      { conversationId: group.id, draft: { body: 'Morgen früh', replyToId: null } },
      new ChangeSet(),
    );
    expect(cache.reader.getConversation(group.id)?.draft).toEqual({ body: 'Morgen früh', replyToId: null });
    cache.writes.saveDraft(
      { conversationId: group.id, draft: { body: '  ', replyToId: null } },
      new ChangeSet(),
    );
    expect(cache.reader.getConversation(group.id)?.draft).toBeNull();
    expect(() => cache.writes.saveDraft({ conversationId: uuidv7(), draft: null }, new ChangeSet())).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });
});
