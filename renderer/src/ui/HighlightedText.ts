import { defineComponent, h } from 'vue';
import { highlightEnd, highlightStart } from '@flurfunk/protocol';

/** Splits search text at its match markers into plain and marked parts. */
export function highlightedParts(text: string): { text: string; marked: boolean }[] {
  const parts: { text: string; marked: boolean }[] = [];
  for (const [index, piece] of text.split(highlightStart).entries()) {
    const end = index === 0 ? -1 : piece.indexOf(highlightEnd);
    const marked = index === 0 ? '' : end === -1 ? piece : piece.slice(0, end);
    const rest = index === 0 ? piece : end === -1 ? '' : piece.slice(end + highlightEnd.length);
    if (marked) parts.push({ text: marked, marked: true });
    if (rest) parts.push({ text: rest, marked: false });
  }
  return parts;
}

/** Search text with its matches in `<mark>`: text nodes only, never parsed as HTML. */
export default defineComponent({
  name: 'HighlightedText',
  props: { text: { type: String, required: true } },
  setup(props) {
    return () =>
      h(
        'span',
        highlightedParts(props.text).map((part) => (part.marked ? h('mark', part.text) : part.text)),
      );
  },
});
