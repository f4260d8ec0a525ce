import { splitMentions } from '@flurfunk/protocol';
import { renderPostBody } from './renderPostBody.js';
import type { RenderPostBodyOptions } from './renderPostBody.js';

// Private-use characters stand in for mentions while the Markdown is rendered and sanitized.
const markerStart = '\uE100';
const markerEnd = '\uE101';
const markers = /[\uE100\uE101]/g;
const marker = /\uE100(\d+)\uE101/g;

/** A mention's target: a person id, or `channel` for the whole conversation. */
export type MentionTarget = string;

/**
 * A message body as sanitized HTML with its `<@id>` mentions shown as highlighted names. The
 * mentions are put in after sanitizing, as elements built through the DOM with the name as text,
 * so neither a body nor a name can add markup.
 */
export function renderWithMentions(
  body: string,
  nameOf: (target: MentionTarget) => string,
  options: RenderPostBodyOptions = {},
): string {
  const targets: MentionTarget[] = [];
  const source = splitMentions(body.replace(markers, ''))
    .map((part) => {
      if ('text' in part) return part.text;
      targets.push(part.mention);
      return `${markerStart}${targets.length - 1}${markerEnd}`;
    })
    .join('');
  const html = renderPostBody(source, options);
  if (targets.length === 0) return html;
  const template = document.createElement('template');
  template.innerHTML = html;
  const walker = document.createTreeWalker(template.content, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) texts.push(node as Text);
  for (const text of texts) {
    const content = text.data;
    if (!content.includes(markerStart)) continue;
    const pieces: Node[] = [];
    let last = 0;
    for (const match of content.matchAll(marker)) {
      if (match.index > last) pieces.push(document.createTextNode(content.slice(last, match.index)));
      const target = targets[Number(match[1])] ?? '';
      const span = document.createElement('span');
      span.className = target === 'channel' ? 'ff-mention ff-mention--channel' : 'ff-mention';
      span.textContent = `@${nameOf(target)}`;
      pieces.push(span);
      last = match.index + match[0].length;
    }
    if (last < content.length) pieces.push(document.createTextNode(content.slice(last)));
    text.replaceWith(...pieces);
  }
  return template.innerHTML;
}

/** A body as plain text with mentions as `@Name`: for previews, copying and editing. */
export function mentionsAsText(body: string, nameOf: (target: MentionTarget) => string): string {
  return splitMentions(body)
    .map((part) => ('text' in part ? part.text : `@${nameOf(part.mention)}`))
    .join('');
}
