/** The reactions the picker offers; their names for screen readers come from i18n (`chat.emoji.<name>`). */
export const quickReactions = [
  { emoji: '👍', name: 'thumbsUp' },
  { emoji: '❤️', name: 'heart' },
  { emoji: '😂', name: 'joy' },
  { emoji: '🎉', name: 'tada' },
  { emoji: '👀', name: 'eyes' },
  { emoji: '🙏', name: 'pray' },
  { emoji: '✅', name: 'check' },
  { emoji: '🤔', name: 'thinking' },
] as const;
