/**
 * The Markdown dialect of post bodies: CommonMark plus tables, strikethrough and bare URLs/e-mail addresses as links, without
 * raw HTML (it shows as text). The output still goes through the sanitizer; this only decides the
 * subset.
 */
import markdownIt from 'markdown-it';
import type { MarkdownIt, StateCore, Token } from 'markdown-it';

// `#` becomes h3: a post's own headings must rank below its title (h2) in the feed's outline.
const HEADING_LEVEL_OFFSET = 2;

function shiftHeadingLevels(state: StateCore): void {
  for (const token of state.tokens) {
    if (token.type !== 'heading_open' && token.type !== 'heading_close') continue;
    const level = Number(token.tag.slice(1));
    token.tag = `h${Math.min(level + HEADING_LEVEL_OFFSET, 6)}`;
  }
}

// maxNesting does not cover emphasis (built after parsing); 20,000 nested <em> take seconds to sanitize and lay out.
const MAX_INLINE_DEPTH = 10;

function asPlainText(state: StateCore, token: Token): Token {
  const text = new state.Token('text', '', 0);
  // A link's markup is the name of the rule that found it, not text the author wrote.
  text.content = token.type.startsWith('link_') ? '' : token.markup;
  return text;
}

/** Emphasis, links etc. deeper than MAX_INLINE_DEPTH stay as the characters the author typed. */
function flattenDeepInlineMarkup(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || block.children === null) continue;
    // Inline tokens are well nested, so each closer belongs to the last unclosed opener.
    const keptOpeners: boolean[] = [];
    let depth = 0;
    block.children = block.children.map((token) => {
      if (token.nesting === 1) {
        const keep = depth < MAX_INLINE_DEPTH;
        keptOpeners.push(keep);
        if (!keep) return asPlainText(state, token);
        depth++;
        return token;
      }
      if (token.nesting === -1) {
        if (keptOpeners.pop() !== true) return asPlainText(state, token);
        depth--;
        return token;
      }
      return token;
    });
  }
}

/** How a post's own files are written into its body: `![Plan](attachment:<file id>)`. */
export const ATTACHMENT_SCHEME = 'attachment:';

/** An image a post body may show: one of the post's own attachments, by id. */
export interface InlineImage {
  src: string;
  width: number;
  height: number;
}

/** What a body is rendered with: the post's images, by file id. */
export interface PostMarkdownEnv {
  images?: ReadonlyMap<string, InlineImage> | undefined;
}

/**
 * `attachment:<id>` images become the post's own image from the media route, sized so the text
 * does not jump when it loads. Any other image source is left for the sanitizer, which keeps only
 * media-route images: nothing is loaded from elsewhere.
 */
function resolveAttachmentImages(state: StateCore): void {
  const images = (state.env as PostMarkdownEnv | undefined)?.images;
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type !== 'image') continue;
      const src = String(token.attrGet('src') ?? '');
      if (!src.startsWith(ATTACHMENT_SCHEME)) continue;
      const image = images?.get(src.slice(ATTACHMENT_SCHEME.length));
      if (!image) {
        token.attrSet('src', '');
        continue;
      }
      token.attrSet('src', image.src);
      token.attrSet('width', String(image.width));
      token.attrSet('height', String(image.height));
    }
  }
}

export function createPostMarkdown(): MarkdownIt {
  const md = new markdownIt('default', {
    html: false,
    linkify: true,
    typographer: false,
    // People write posts like messages: a single Enter is meant as a line break.
    breaks: true,
    // Deeply nested blockquotes/lists are parsed recursively; a low limit keeps hostile input cheap.
    maxNesting: 20,
  });
  md.core.ruler.push('shift_heading_levels', shiftHeadingLevels);
  md.core.ruler.push('flatten_deep_inline_markup', flattenDeepInlineMarkup);
  md.core.ruler.push('resolve_attachment_images', resolveAttachmentImages);
  // `//host` and `ftp://` would only become links the sanitizer strips again.
  md.linkify.add('//', null).add('ftp:', null);
  return md;
}
