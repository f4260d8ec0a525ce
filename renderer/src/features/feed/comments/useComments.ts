import { computed, onBeforeUnmount, shallowRef, watch } from 'vue';
import type { CommentView } from '@flurfunk/protocol';
import { call, onEvent, onReconnected } from '@/api/index.js';

/** A comment with the replies under it. */
export interface CommentThread {
  comment: CommentView;
  replies: CommentView[];
}

/** What a post's comments are made of: a change to any of them can change the list. */
const commentEntities = new Set(['postComment', 'authoredPostComment', 'outboxEntry']);

/**
 * The comments of one post while `open()` says they are on screen: read from the cache, read
 * again when sync or the user's writes change them, and grouped into threads.
 */
export function useComments(postId: () => string, open: () => boolean) {
  const comments = shallowRef<readonly CommentView[]>([]);
  let reading = 0;

  async function load(): Promise<void> {
    const started = ++reading;
    const list = await call('listComments', { postId: postId() });
    if (started === reading) comments.value = list;
  }

  const threads = computed<CommentThread[]>(() => {
    const byId = new Map<string, CommentThread>();
    const list: CommentThread[] = [];
    for (const comment of comments.value) {
      const parent = comment.parentId === null ? undefined : byId.get(comment.parentId);
      if (parent) parent.replies.push(comment);
      else {
        const thread = { comment, replies: [] };
        byId.set(comment.id, thread);
        list.push(thread);
      }
    }
    return list;
  });

  const stops = [
    onEvent('dataChanged', ({ changes }) => {
      if (open() && changes.some((change) => commentEntities.has(change.entity))) void load().catch(() => {});
    }),
    onReconnected(() => {
      if (open()) void load().catch(() => {});
    }),
  ];
  watch(
    open,
    (isOpen) => {
      if (isOpen) void load().catch(() => {});
    },
    { immediate: true },
  );
  onBeforeUnmount(() => stops.forEach((stop) => stop()));

  return {
    comments,
    threads,
    load,
    async add(body: string, parentId: string | null): Promise<CommentView> {
      const added = await call('addComment', { postId: postId(), parentId, body });
      await load();
      return added;
    },
    async edit(commentId: string, body: string): Promise<void> {
      await call('editComment', { commentId, body });
      await load();
    },
    async remove(commentId: string): Promise<void> {
      await call('deleteComment', { commentId });
      await load();
    },
  };
}
