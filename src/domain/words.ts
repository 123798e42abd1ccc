/**
 * The words of a text as both full-text indexes see them (history search, the memory store): runs
 * of letters, marks and digits, lower-cased. Documents and queries are cut into words here, and the
 * databases see only those words separated by spaces — so SQLite's FTS5 (`unicode61` tokenizer, no
 * diacritic folding) and PostgreSQL's `simple` text search configuration find the same words, and no
 * character of a user's text reaches a query parser unquoted.
 */

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** Longer "words" are not words (hashes, base64): they are not indexed or searched. */
export const MAX_WORD = 64;

export function words(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) if (match[0].length <= MAX_WORD) out.push(match[0]);
  return out;
}

/** Each word of `text` with where it is (UTF-16 offsets of the original text), for snippets. */
export function wordSpans(text: string): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = [];
  for (const match of text.matchAll(WORD)) {
    if (match[0].length <= MAX_WORD) out.push({ word: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
  }
  return out;
}
