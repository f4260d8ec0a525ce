import type { MarkdownIt } from 'markdown-it';
import { type PostMarkdownEnv, createPostMarkdown } from './markdown.js';
import { isSanitizerSupported, sanitizePostHtml } from './sanitizer.js';
import type { SanitizeOptions } from './sanitizer.js';

export type RenderPostBodyOptions = SanitizeOptions & PostMarkdownEnv;

/**
 * Beyond this many characters a body is shown as plain text: parsing and laying out Markdown that
 * large costs seconds (a hostile table, thousands of emphasis runs) and no real post is that long.
 */
export const MAX_MARKDOWN_LENGTH = 200_000;

let markdown: MarkdownIt | null = null;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function plainTextHtml(body: string): string {
  return `<p>${escapeHtml(body).replace(/\r\n?|\n/g, '<br>')}</p>`;
}

/**
 * A post body (the Markdown subset of markdown.ts) as sanitized HTML: the only HTML a post may
 * put into the DOM. Links keep only https/http/mailto/tel targets; images only from `mediaBase`
 * (the post's own attachments, written as `attachment:<id>`, are resolved to it with `images`).
 */
export function renderPostBody(body: string, options: RenderPostBodyOptions = {}): string {
  // Without a working sanitizer the post is still readable, as plain text.
  if (body.length > MAX_MARKDOWN_LENGTH || !isSanitizerSupported()) return plainTextHtml(body);
  markdown ??= createPostMarkdown();
  const env: PostMarkdownEnv = { images: options.images };
  return sanitizePostHtml(markdown.render(body, { ...env }), options);
}
