import { channelMention, mentionOf, splitMentions } from '@flurfunk/protocol';

/** What the composer shows for `<@channel>`. */
export const channelName = 'channel';

/**
 * The composer shows mentions as `@Name`; the message carries `<@id>`. The names the user chose
 * from the suggestions (name → person id) turn back into tokens when the message is sent.
 */
export function toWireBody(text: string, chosen: ReadonlyMap<string, string>): string {
  let body = text;
  // Longer names first, so "@Anna Maria" is not taken for "@Anna" followed by text.
  const names = [...chosen.keys()].sort((a, b) => b.length - a.length);
  for (const name of names) body = body.split(`@${name}`).join(mentionOf(chosen.get(name)!));
  return body.split(`@${channelName}`).join(channelMention);
}

/** A stored body (a draft, a message to edit) as the composer shows it, with the names it mentions. */
export function fromWireBody(
  body: string,
  nameOf: (personId: string) => string,
): { text: string; chosen: Map<string, string> } {
  const chosen = new Map<string, string>();
  const text = splitMentions(body)
    .map((part) => {
      if ('text' in part) return part.text;
      if (part.mention === 'channel') return `@${channelName}`;
      const name = nameOf(part.mention);
      chosen.set(name, part.mention);
      return `@${name}`;
    })
    .join('');
  return { text, chosen };
}

/** The `@…` being typed right before the caret, if any: where it starts and what it says so far. */
export function mentionBeforeCaret(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([^\s@<>]{0,40})$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}
