import { describe, expect, it } from 'vitest';
import {
  MessageDraft,
  ReactionEmoji,
  channelMention,
  mentionOf,
  mentionsIn,
  splitMentions,
} from '@flurfunk/protocol';

const lena = '0195f1a0-0000-7000-8000-00000000000a';
const jonas = '0195f1a0-0000-7000-8000-00000000000b';

describe('reaction emoji', () => {
  it('takes one emoji, with skin tones, joiners, flags and keycaps', () => {
    const emoji = ['👍', '❤️', '🎉', '👍🏽', '👨‍👩‍👧', '🇩🇪', '1️⃣', '😂'];
    expect(emoji.filter((e) => !ReactionEmoji.safeParse(e).success)).toEqual([]);
  });

  it('refuses text, markup and more than one emoji', () => {
    const refused = ['a', '1', '#', '👍👍', '<script>', 'ab', '', '👍a', '👍 '];
    expect(refused.filter((e) => ReactionEmoji.safeParse(e).success)).toEqual([]);
  });
});

describe('mentions in a message body', () => {
  it('finds people once each and the whole conversation', () => {
    const body = `Hallo ${mentionOf(lena)} und ${mentionOf(jonas)}, ${channelMention}! Nochmal ${mentionOf(lena)}`;
    expect(mentionsIn(body)).toEqual({ personIds: [lena, jonas], everyone: true });
    expect(mentionsIn('Mail an lena@example.com, <@nobody>')).toEqual({ personIds: [], everyone: false });
  });

  it('splits the body into text and mentions for rendering', () => {
    expect(splitMentions(`Danke ${mentionOf(jonas)}!`)).toEqual([
      { text: 'Danke ' },
      { mention: jonas },
      { text: '!' },
    ]);
    expect(splitMentions(channelMention)).toEqual([{ mention: 'channel' }]);
  });
});

describe('a message draft', () => {
  const conversationId = '0195f1a0-0000-7000-8000-0000000000c1';
  const file = '0195f1a0-0000-7000-8000-0000000000f1';

  it('needs text or a file', () => {
    expect(MessageDraft.safeParse({ conversationId, body: '   ' }).success).toBe(false);
    expect(MessageDraft.safeParse({ conversationId, body: '', attachments: [file] }).success).toBe(true);
    expect(MessageDraft.parse({ conversationId, body: ' Hallo ' })).toEqual({
      conversationId,
      body: 'Hallo',
      replyToId: null,
      attachments: [],
    });
  });
});
