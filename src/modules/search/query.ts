import { words } from '../../domain/words.js';

/**
 * The search syntax, parsed by us: a user's text never reaches FTS5's `MATCH` or PostgreSQL's
 * `to_tsquery` as it was typed. It is cut into words exactly as the documents are
 * (`domain/words.ts`), and the database sees only quoted words and the operators written here,
 * so no query can raise a database error.
 *
 *   refund policy      both words, anywhere in the message (AND)
 *   "refund policy"    the words next to each other, in this order (a phrase)
 *   refun*             a word starting with "refun" (at least two letters before the `*`)
 *   refund OR return   either (OR binds tighter than the implicit AND: `a b OR c` is a AND (b OR c))
 *   -draft  -"old policy"   without that word or phrase
 *
 * Everything else is text: `:`, `(`, `NEAR`, `^`, `AND` are not operators. A token that is several
 * words (`e-mail`, `user@example.com`) is a phrase of them, as it is written.
 */

/** A word, a phrase (several words, adjacent and in order) or a prefix (the last word is a prefix). */
export interface SearchTerm {
  readonly words: readonly string[];
  readonly prefix: boolean;
}

export interface SearchQuery {
  /** Every group must match; a group matches when any of its terms does. */
  readonly all: readonly (readonly SearchTerm[])[];
  /** No message with any of these matches. */
  readonly none: readonly SearchTerm[];
}

export const MAX_QUERY_LENGTH = 4096;
/** More terms only dilute the ranking and cost index look-ups. */
export const MAX_QUERY_TERMS = 32;
/** A shorter prefix matches too much of any index to be useful: it is searched as a word. */
const MIN_PREFIX = 2;

interface Token {
  text: string;
  quoted: boolean;
  negated: boolean;
}

function tokens(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    const negated = c === '-' && i + 1 < query.length && !/\s/u.test(query[i + 1]!);
    if (negated) i++;
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      // An unclosed quote runs to the end of the query.
      const end = close === -1 ? query.length : close;
      let text = query.slice(i + 1, end);
      i = end + 1;
      if (query[i] === '*') {
        text += '*';
        i++;
      }
      out.push({ text, quoted: true, negated });
      continue;
    }
    let end = i;
    while (end < query.length && !/\s/u.test(query[end]!) && query[end] !== '"') end++;
    out.push({ text: query.slice(i, end), quoted: false, negated });
    i = end;
  }
  return out;
}

function termOf(token: Token): SearchTerm | null {
  const ws = words(token.text);
  if (ws.length === 0) return null;
  // `refun*`: the star right after the word's last character.
  const prefix = /[\p{L}\p{M}\p{N}]\*+$/u.test(token.text) && ws[ws.length - 1]!.length >= MIN_PREFIX;
  return { words: ws, prefix };
}

/** Parses a user's query, or says what is wrong with it (the doors answer it as a 400). */
export function parseSearchQuery(query: string): SearchQuery | { problem: string } {
  if (query.length > MAX_QUERY_LENGTH) return { problem: `must be at most ${MAX_QUERY_LENGTH} characters` };
  const all: SearchTerm[][] = [];
  const none: SearchTerm[] = [];
  let joinNext = false;
  let count = 0;
  for (const token of tokens(query)) {
    if (!token.quoted && !token.negated && token.text === 'OR') {
      joinNext = all.length > 0;
      continue;
    }
    if (!token.quoted && !token.negated && token.text === 'AND') continue;
    const term = termOf(token);
    if (term === null) continue;
    if (++count > MAX_QUERY_TERMS) return { problem: `may have at most ${MAX_QUERY_TERMS} terms` };
    if (token.negated) none.push(term);
    else if (joinNext) all[all.length - 1]!.push(term);
    else all.push([term]);
    joinNext = false;
  }
  if (all.length === 0) {
    return { problem: none.length > 0 ? 'needs at least one word that is not excluded' : 'has no word to search for (letters or digits)' };
  }
  return { all, none };
}

/** Every term a message may match on (what ranks and highlights it). */
export function positiveTerms(query: SearchQuery): SearchTerm[] {
  return query.all.flat();
}

// Words are runs of letters, marks and digits: neither FTS5's string quote nor a tsquery quote
// can be in one, so quoting them is all the escaping either needs.

function fts5Term(term: SearchTerm): string {
  return `"${term.words.join(' ')}"${term.prefix ? ' *' : ''}`;
}

/** The query as an FTS5 MATCH expression. */
export function fts5Match(query: SearchQuery): string {
  const groups = query.all.map((group) => (group.length === 1 ? fts5Term(group[0]!) : `(${group.map(fts5Term).join(' OR ')})`));
  return [groups.join(' AND '), ...query.none.map(fts5Term)].join(' NOT ');
}

function tsTerm(term: SearchTerm): string {
  const lexemes = term.words.map((w, i) => `'${w}'${term.prefix && i === term.words.length - 1 ? ':*' : ''}`);
  return lexemes.length === 1 ? lexemes[0]! : `(${lexemes.join(' <-> ')})`;
}

/** The query as `to_tsquery('simple', …)` text. */
export function tsQuery(query: SearchQuery): string {
  const groups = query.all.map((group) => (group.length === 1 ? tsTerm(group[0]!) : `(${group.map(tsTerm).join(' | ')})`));
  return [...groups, ...query.none.map((t) => `!${tsTerm(t)}`)].join(' & ');
}

/** Where each term occurs in a list of words: [start, end) word positions, in order. */
export function termHits(term: SearchTerm, docWords: readonly string[]): [number, number][] {
  const hits: [number, number][] = [];
  const n = term.words.length;
  for (let i = 0; i + n <= docWords.length; i++) {
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      const w = docWords[i + j]!;
      ok = term.prefix && j === n - 1 ? w.startsWith(term.words[j]!) : w === term.words[j];
    }
    if (ok) hits.push([i, i + n]);
  }
  return hits;
}

// A BM25-like weight of each term's occurrences, with no corpus statistics (see store.ts for why):
// repeated terms count with diminishing returns, long messages a little less per occurrence.
const K1 = 1.2;
const B = 0.75;
/** The length (in words) a message's occurrences are weighed against. */
const TYPICAL_WORDS = 32;

/** A message's score for a query's terms, from its indexed words (space-separated): higher is better. */
export function searchScore(searchText: string, terms: readonly SearchTerm[]): number {
  const docWords = searchText.length === 0 ? [] : searchText.split(' ');
  const norm = K1 * (1 - B + (B * docWords.length) / TYPICAL_WORDS);
  let score = 0;
  for (const term of terms) {
    const tf = termHits(term, docWords).length;
    score += (tf * (K1 + 1)) / (tf + norm);
  }
  return score;
}
