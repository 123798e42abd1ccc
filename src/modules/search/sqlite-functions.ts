import type Database from 'better-sqlite3';
import { searchScore, type SearchTerm } from './query.js';

/**
 * SQLite's part of the search that is code, not SQL: `search_score(search_text, terms)`, a
 * message's own score (store.ts says why not FTS5's bm25). Registered on each connection the
 * service opens; a database opened elsewhere (the sqlite3 shell) has no such function, and needs
 * none but to search.
 */
export function registerSearchFunctions(db: Database.Database): void {
  // A query's terms come as the same JSON text for every row of it: parsed once.
  let lastJson = '';
  let lastTerms: readonly SearchTerm[] = [];
  db.function('search_score', { deterministic: true }, (searchText: unknown, termsJson: unknown) => {
    if (termsJson !== lastJson) {
      lastTerms = JSON.parse(String(termsJson)) as SearchTerm[];
      lastJson = String(termsJson);
    }
    return searchScore(typeof searchText === 'string' ? searchText : '', lastTerms);
  });
}
