import type { Reaction } from '@flurfunk/protocol';

/** How each reaction looks; its name for screen readers comes from i18n (`feed.reactions.<reaction>`). */
export const reactionEmoji: Readonly<Record<Reaction, string>> = {
  like: '👍',
  love: '❤️',
  celebrate: '🎉',
  insightful: '💡',
  sad: '😢',
};
