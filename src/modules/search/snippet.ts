import { wordSpans } from '../../domain/words.js';
import { type SearchTerm, termHits } from './query.js';

/** A snippet's length around the first hit, in characters (about two lines). */
export const SNIPPET_LENGTH = 200;
/** How much of the text before the first hit a snippet shows. */
const LEAD = 60;

export interface Snippet {
  /** A piece of the message's text around its first match; "…" where it is cut. */
  text: string;
  /** Where the query's terms are in `text`: [start, end) offsets in UTF-16 code units, in order. */
  highlights: [number, number][];
}

/**
 * The snippet of a found message, cut by us from its text (the same on both databases, and plain
 * text: the client decides how to mark the highlights, so no markup of ours meets the message's own).
 */
export function snippetOf(text: string, terms: readonly SearchTerm[]): Snippet {
  const spans = wordSpans(text);
  const docWords = spans.map((s) => s.word);
  const hits = terms.flatMap((t) => termHits(t, docWords)).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let from = 0;
  if (hits.length > 0) {
    const first = spans[hits[0]![0]]!.start;
    if (first > LEAD) from = spans.find((s) => s.start >= first - LEAD)!.start;
  }
  let to = Math.min(text.length, from + SNIPPET_LENGTH);
  if (to < text.length) {
    // End at a word's end, not inside one (unless one word is longer than the whole snippet).
    const last = spans.filter((s) => s.end <= to && s.start >= from).at(-1);
    if (last) to = last.end;
  }
  const prefix = from > 0 ? '…' : '';
  const highlights: [number, number][] = [];
  let covered = -1;
  for (const [startWord, endWord] of hits) {
    const start = spans[startWord]!.start;
    const end = spans[endWord - 1]!.end;
    // Overlapping hits (a word and a phrase that holds it) are one highlight.
    if (start < from || end > to || start < covered) continue;
    highlights.push([start - from + prefix.length, end - from + prefix.length]);
    covered = end;
  }
  return { text: prefix + text.slice(from, to) + (to < text.length ? '…' : ''), highlights };
}
