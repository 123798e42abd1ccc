import type { Json } from '../../domain/json.js';
import { words } from '../../domain/words.js';

/**
 * The text search of the memory store, the part that is ours on both databases: what text an item
 * is indexed under, and how a user's query becomes a database query that cannot fail (the words are
 * cut as everywhere, by `domain/words.ts`).
 */

/** Words in a query: more only dilutes the ranking and costs index look-ups. */
export const MAX_QUERY_TERMS = 32;

/** The indexed text of an item's value: the words of every string in it (not its keys), in order. */
export function searchText(value: Json): string {
  const out: string[] = [];
  const walk = (v: Json): void => {
    if (typeof v === 'string') out.push(...words(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out.join(' ');
}

/** A query's distinct words, at most MAX_QUERY_TERMS; none when it has no word at all. */
export function queryTerms(query: string): string[] {
  return [...new Set(words(query))].slice(0, MAX_QUERY_TERMS);
}

/**
 * The terms as an FTS5 MATCH expression: each a quoted string (its only special character, '"', is
 * never in a word), joined by OR — an item matching any term is found; bm25 ranks by how well.
 */
export function fts5Match(terms: readonly string[]): string {
  return terms.map((t) => `"${t}"`).join(' OR ');
}

/** The terms as a PostgreSQL `to_tsquery` text: each a quoted lexeme, joined by `|`. */
export function tsQuery(terms: readonly string[]): string {
  return terms.map((t) => `'${t}'`).join(' | ');
}
