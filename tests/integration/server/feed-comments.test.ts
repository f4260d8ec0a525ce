/**
 * Comments on newsfeed posts on the server: who receives them (the post's audience, and its author
 * as `authoredPostComment`), one level of replies, edits by their author, deletes by their author
 * or whoever manages the post, the per-post switch, the author's reach, and what happens to them
 * when the post is deleted or its channel moves, all through the real server over loopback.
 */
import { type FeedChannel, type SyncChange, maxCommentLength, scopeKey } from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import { type User, apply, mutate, syncAll } from '../support/chat-support.js';
import {
  addComment,
  signInFeedCast,
  feed,
  publishPost,
  putFeedChannel,
  syncedPost,
  upsertOf,
  rejection as refusal,
} from '../support/feed-support.js';

/** `<type> <scope>` of each change of a comment among `changes`. */
const commentCopies = (changes: readonly SyncChange[], commentId: string): string[] =>
  changes
    .filter((c) => c.id === commentId && /^(postComment|authoredPostComment)\./.test(c.type))
    .map((c) => `${c.type} ${c.scope}`);

describeEachStorage('newsfeed comments', (backend) => {
  let api: ApiClient;
  let lena: User;
  let jonas: User;
  /** IT administrator at head office: outside the plant. */
  let admin: User;
  /** Someone else at the plant. */
  let colleague: User;
  let plantChannel: FeedChannel;

  const rejection = (user: User, mutation: Parameters<typeof apply>[2]) => refusal(api, user, mutation);
  const since = async (user: User, before: { cursor: string }) =>
    (await syncAll(api, user, { after: before.cursor })).changes;
  const reachOf = async (postId: string) =>
    upsertOf((await syncAll(api, jonas, { snapshot: true })).changes, 'postReach.upsert', postId).data;

  beforeAll(async () => {
    const server = await backend.start({ demo: true });
    api = apiClient(server.url);
    ({ lena, jonas, admin, colleague, plantChannel } = await signInFeedCast(api));
  });

  it('gives the company the questions about the summer party and Jonas’s answer, under the right comment', async () => {
    const { changes } = await syncAll(api, admin);
    const comments = changes.flatMap((c) => (c.type === 'postComment.upsert' ? [c.data] : []));
    const summer = changes.find((c) => c.type === 'post.upsert' && c.data.title === 'Sommerfest am 4. Juli');
    expect(comments.length).toBe(4);
    expect(new Set(comments.map((c) => c.postId))).toEqual(new Set([summer?.id]));
    const answer = comments.find((c) => c.authorId === jonas.id);
    const question = comments.find((c) => c.id === answer?.parentId);
    expect(question?.body).toContain('Kinder');
    expect(question?.parentId).toBeNull();
    expect(answer?.body).toContain('Familien');
    // Jonas, the post's author, has them in his own scope as well.
    const own = (await syncAll(api, jonas)).changes.filter((c) => c.type === 'authoredPostComment.upsert');
    expect(own.map((c) => c.id).sort()).toEqual(comments.map((c) => c.id).sort());
  });

  it('delivers a reader’s comment to the plant and to the post’s author, never to head office', async () => {
    const postId = await publishPost(api, jonas, {
      channelId: plantChannel.id,
      title: 'Neue Kaffeemaschine',
    });
    const [lenaBefore, jonasBefore, adminBefore] = await Promise.all([
      syncAll(api, lena),
      syncAll(api, jonas),
      syncAll(api, admin),
    ]);
    const body = 'Endlich! **Danke** <script>window.canary = 1</script>';
    const commentId = await addComment(api, colleague, postId, body);

    const lenaGot = await since(lena, lenaBefore);
    expect(commentCopies(lenaGot, commentId)).toEqual([`postComment.upsert ${plantChannel.audience}`]);
    const comment = upsertOf(lenaGot, 'postComment.upsert', commentId).data;
    expect(comment).toMatchObject({ postId, parentId: null, authorId: colleague.id, body, editedAt: null });
    const jonasGot = await since(jonas, jonasBefore);
    expect(commentCopies(jonasGot, commentId)).toEqual([
      `authoredPostComment.upsert ${scopeKey('user', jonas.id)}`,
    ]);
    expect(upsertOf(jonasGot, 'authoredPostComment.upsert', commentId).data).toEqual(comment);
    expect((await since(admin, adminBefore)).filter((c) => c.id === commentId)).toEqual([]);
    expect(await rejection(admin, feed.addComment(postId, 'Ich auch?'))).toBe('not_found');

    // The author's reach counts people who commented, once each, and not himself.
    expect((await reachOf(postId)).commented).toBe(1);
    await addComment(api, colleague, postId, 'Und Tee?');
    await addComment(api, jonas, postId, 'Gern geschehen.');
    expect((await reachOf(postId)).commented).toBe(1);
    await addComment(api, lena, postId, 'Super.');
    expect((await reachOf(postId)).commented).toBe(2);
  });

  it('takes one level of replies: a reply to a reply, or to another post’s comment, is refused', async () => {
    const postId = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Fahrgemeinschaft' });
    const otherPost = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Anderes' });
    const question = await addComment(api, lena, postId, 'Wer fährt ab Bielefeld?');
    const reply = await addComment(api, colleague, postId, 'Ich, um 7 Uhr.', question);
    const { changes } = await syncAll(api, lena, { snapshot: true });
    expect(upsertOf(changes, 'postComment.upsert', reply).data.parentId).toBe(question);

    expect(await rejection(lena, feed.addComment(postId, 'Danke!', reply))).toBe('invalid');
    expect(await rejection(lena, feed.addComment(otherPost, 'Falsch', question))).toBe('not_found');
    expect(await rejection(lena, feed.addComment(postId, 'Niemand', v7()))).toBe('not_found');
  });

  it('refuses malformed comments and a taken id, writing nothing', async () => {
    const postId = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Leer' });
    const before = await syncAll(api, lena);
    for (const body of ['', '   ', 'x'.repeat(maxCommentLength + 1)]) {
      expect(await rejection(lena, feed.addComment(postId, body)), JSON.stringify(body.slice(0, 5))).toBe(
        'invalid',
      );
    }
    const [malformed] = await mutate(api, lena, [
      { id: v7(), type: 'feed.addComment', args: { commentId: 'nope', postId, parentId: null, body: 'x' } },
    ]);
    expect(malformed).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect(await rejection(lena, feed.addComment(v7(), 'Wohin?'))).toBe('not_found');
    const commentId = await addComment(api, lena, postId, 'Erster');
    expect(await rejection(colleague, feed.addComment(postId, 'Zweiter', null, commentId))).toBe('conflict');
    const after = (await since(lena, before)).filter((c) => c.type.startsWith('postComment.'));
    expect(after.map((c) => `${c.type} ${c.id}`)).toEqual([`postComment.upsert ${commentId}`]);
    expect(upsertOf(after, 'postComment.upsert', commentId).data.body).toBe('Erster');
  });

  it('lets only its author edit a comment, marked as edited', async () => {
    const postId = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Pausenraum' });
    const commentId = await addComment(api, lena, postId, 'Der Kühlschrank ist kaputt.');
    expect(await rejection(colleague, feed.editComment(commentId, 'Alles gut.'))).toBe('forbidden');
    expect(await rejection(jonas, feed.editComment(commentId, 'Alles gut.'))).toBe('forbidden');
    expect(await rejection(admin, feed.editComment(commentId, 'Alles gut.'))).toBe('not_found');

    const before = await syncAll(api, colleague);
    await apply(api, lena, feed.editComment(commentId, 'Der Kühlschrank ist wieder heil.'));
    const edited = upsertOf(await since(colleague, before), 'postComment.upsert', commentId).data;
    expect(edited.body).toBe('Der Kühlschrank ist wieder heil.');
    expect(edited.editedAt).not.toBeNull();
    expect(
      (await apply(api, lena, feed.editComment(commentId, 'Der Kühlschrank ist wieder heil.'))).seq,
    ).toBeNull();
  });

  it('lets the comment’s author and the post’s author delete it, with its replies, everywhere', async () => {
    const postId = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Parkplatz' });
    const question = await addComment(api, lena, postId, 'Gilt das auch für Motorräder?');
    const reply = await addComment(api, colleague, postId, 'Ich glaube ja.', question);
    const own = await addComment(api, colleague, postId, 'Blöde Idee.');
    expect((await reachOf(postId)).commented).toBe(2);

    // A reader may not delete someone else's comment; its author may delete their own.
    expect(await rejection(lena, feed.deleteComment(own))).toBe('forbidden');
    await apply(api, colleague, feed.deleteComment(own));
    expect(await rejection(colleague, feed.deleteComment(own))).toBe('not_found');

    // The post's author deletes Lena's question: Colleague's reply goes with it, for everyone.
    const [lenaBefore, jonasBefore] = await Promise.all([syncAll(api, lena), syncAll(api, jonas)]);
    await apply(api, jonas, feed.deleteComment(question));
    const lenaGot = await since(lena, lenaBefore);
    expect([...commentCopies(lenaGot, question), ...commentCopies(lenaGot, reply)]).toEqual([
      `postComment.delete ${plantChannel.audience}`,
      `postComment.delete ${plantChannel.audience}`,
    ]);
    const jonasGot = await since(jonas, jonasBefore);
    expect([...commentCopies(jonasGot, question), ...commentCopies(jonasGot, reply)]).toEqual([
      `authoredPostComment.delete ${scopeKey('user', jonas.id)}`,
      `authoredPostComment.delete ${scopeKey('user', jonas.id)}`,
    ]);
    const snapshot = (await syncAll(api, lena, { snapshot: true })).changes;
    expect(snapshot.filter((c) => c.type === 'postComment.upsert' && c.data.postId === postId)).toEqual([]);
    expect((await reachOf(postId)).commented).toBe(0);
    expect(await rejection(lena, feed.addComment(postId, 'Und jetzt?', question))).toBe('not_found');
  });

  it('closes a post for new comments when its author says so, keeping the ones it has', async () => {
    const postId = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Umfrage Kantine' });
    const early = await addComment(api, lena, postId, 'Mehr Salat bitte.');
    expect(await rejection(lena, feed.allowComments(postId, false))).toBe('forbidden');
    await apply(api, jonas, feed.allowComments(postId, false));
    expect((await syncedPost(api, lena, postId))?.commentsEnabled).toBe(false);
    expect(await rejection(colleague, feed.addComment(postId, 'Und Suppe.'))).toBe('forbidden');
    expect(await rejection(colleague, feed.addComment(postId, 'Und Suppe.', early))).toBe('forbidden');
    const { changes } = await syncAll(api, colleague, { snapshot: true });
    expect(upsertOf(changes, 'postComment.upsert', early).data.body).toBe('Mehr Salat bitte.');
    expect((await apply(api, jonas, feed.allowComments(postId, false))).seq).toBeNull();
    await apply(api, jonas, feed.allowComments(postId, true));
    await addComment(api, colleague, postId, 'Und Suppe.');

    // A post published without comments takes none from the start.
    const closed = await publishPost(api, jonas, {
      channelId: plantChannel.id,
      title: 'Ohne Kommentare',
      commentsEnabled: false,
    });
    expect(await rejection(lena, feed.addComment(closed, 'Hallo?'))).toBe('forbidden');
  });

  it('sends tombstones of the comments with a deleted post, to readers and the author', async () => {
    const postId = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Vergänglich' });
    const commentId = await addComment(api, lena, postId, 'Gelesen.');
    const [lenaBefore, jonasBefore] = await Promise.all([syncAll(api, lena), syncAll(api, jonas)]);
    await apply(api, jonas, feed.deletePost(postId));
    expect(commentCopies(await since(lena, lenaBefore), commentId)).toEqual([
      `postComment.delete ${plantChannel.audience}`,
    ]);
    expect(commentCopies(await since(jonas, jonasBefore), commentId)).toEqual([
      `authoredPostComment.delete ${scopeKey('user', jonas.id)}`,
    ]);
    expect(await rejection(lena, feed.addComment(postId, 'Weg?'))).toBe('not_found');
    expect(await rejection(lena, feed.editComment(commentId, 'Weg?'))).toBe('not_found');
  });

  it('moves the comments with their channel to a new audience', async () => {
    const channelId = await putFeedChannel(api, jonas, {
      name: 'Kommentar-Umzug',
      audience: plantChannel.audience,
    });
    const postId = await publishPost(api, jonas, { channelId, title: 'Umzug' });
    const commentId = await addComment(api, lena, postId, 'Kommt mit.');
    const [lenaBefore, adminBefore] = await Promise.all([syncAll(api, lena), syncAll(api, admin)]);
    await putFeedChannel(api, jonas, { name: 'Kommentar-Umzug', audience: 'company' }, channelId);
    expect(commentCopies(await since(lena, lenaBefore), commentId)).toEqual([
      `postComment.delete ${plantChannel.audience}`,
      'postComment.upsert company',
    ]);
    expect(commentCopies(await since(admin, adminBefore), commentId)).toEqual(['postComment.upsert company']);
    // Head office may now answer, and Lena still edits her own comment.
    await addComment(api, admin, postId, 'Angekommen.', commentId);
    await apply(api, lena, feed.editComment(commentId, 'Ist mitgekommen.'));
  });
});
