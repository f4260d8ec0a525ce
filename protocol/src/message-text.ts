import markdownIt from 'markdown-it';

/** Beyond this many characters a text is not parsed as Markdown: no real message is that long. */
const maxMarkdownLength = 200_000;

let parser: ReturnType<typeof markdownIt> | null = null;

/**
 * A message's or post's words without their Markdown, on one line: `**Achtung**` reads as
 * "Achtung", a link as its text, an image as its description. For previews that are plain text
 * (the conversation list, desktop notifications); mentions stay as written (`<@id>`).
 */
export function markdownAsText(body: string): string {
  if (body.length > maxMarkdownLength) return oneLine(body);
  // The options of the app's Markdown that decide what is text; nesting kept low as there.
  parser ??= markdownIt('default', { html: false, linkify: true, breaks: true, maxNesting: 20 });
  const words: string[] = [];
  for (const token of parser.parse(body, {})) {
    if (token.type === 'fence' || token.type === 'code_block') words.push(token.content, ' ');
    if (token.type !== 'inline') continue;
    for (const child of token.children ?? []) {
      if (child.type === 'text' || child.type === 'code_inline' || child.type === 'image')
        words.push(child.content);
      else if (child.type === 'softbreak' || child.type === 'hardbreak') words.push(' ');
    }
    words.push(' ');
  }
  const text = oneLine(words.join(''));
  // Nesting beyond the parser's limit yields no words: then the text as it was typed.
  return text === '' ? oneLine(body) : text;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
