import { useI18n } from 'vue-i18n';
import { markdownAsText } from '@flurfunk/protocol';
import type { Conversation, MessageView } from '@flurfunk/protocol';
import { personName } from '@/features/feed/personNames.js';
import { useSessionStore } from '@/stores/session.js';
import { mentionsAsText } from '@/ui/rich-text/mentions.js';
import type { MentionTarget } from '@/ui/rich-text/mentions.js';
import { conversationTitle } from './conversationTitle.js';

/** Names as the chat shows them: people, conversations, mentions and message previews. */
export function useChatNames() {
  const { t } = useI18n();
  const session = useSessionStore();

  const nameOf = (personId: string): string => personName(personId) || t('chat.unknownPerson');
  const mentionName = (target: MentionTarget): string => (target === 'channel' ? 'channel' : nameOf(target));
  const titleOf = (conversation: Conversation): string =>
    conversationTitle(conversation, session.user?.id ?? null, t('chat.untitled'));

  /** One line of a message: mentions as names, a file by its name, a deleted one as such. */
  function previewOf(message: MessageView): string {
    if (message.deletedAt !== null) return t('chat.preview.deleted');
    const text = mentionsAsText(markdownAsText(message.body), mentionName);
    if (text !== '') return text;
    const file = message.attachments[0];
    return file ? t('chat.preview.file', { name: file.name }) : '';
  }

  return { nameOf, mentionName, titleOf, previewOf };
}
