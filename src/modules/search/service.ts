import { createHash } from 'node:crypto';
import { type Clock, isoTime } from '../../domain/clock.js';
import { UnavailableError, ValidationError } from '../../domain/errors.js';
import { textOfItem } from '../../domain/items.js';
import type { Message } from '../../domain/records.js';
import { searchColumn } from '../history/messages.js';
import { SEARCH_LIMITS, type SearchInput } from './inputs.js';
import { positiveTerms } from './query.js';
import { snippetOf } from './snippet.js';
import type { SearchAfter, SearchFilter, SearchStore } from './store.js';

export { type SearchInput, searchInput, SEARCH_LIMITS } from './inputs.js';

export interface SearchHit {
  message: Message;
  sessionId: string;
  /** Higher is better; comparable between results of one search on one database. */
  score: number;
  snippet: string;
  /** Where the terms are in `snippet`: [start, end) offsets. */
  highlights: [number, number][];
}

export interface SearchResults {
  hits: SearchHit[];
  /** The next page's cursor; null on the last page. */
  nextCursor: string | null;
}

export interface SearchCount {
  /** Exact up to SEARCH_LIMITS.countBound; past it, that bound ("at least"). */
  totalCount: number;
  totalCountIsEstimate: boolean;
}

export type SearchPage = SearchResults & SearchCount;

/** Messages the indexer indexes per transaction: small, so that appends wait little behind it. */
export const INDEX_BATCH = 500;

/**
 * Full-text search over a tenant's history (docs/search.md). Results come best first, a page at a
 * time: a page's cursor is its last result's score and id, which stay what they are while messages
 * are added (store.ts), so later pages neither repeat nor skip results; messages added meanwhile
 * show up in later pages only if they rank below the cursor.
 */
export class SearchService {
  constructor(
    private readonly store: SearchStore,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return isoTime(this.clock.now());
  }

  /** A page of results and how many there are in all. */
  async search(input: SearchInput): Promise<SearchPage> {
    const [results, count] = await Promise.all([this.page(input), this.count(input)]);
    return { ...results, ...count };
  }

  async page(input: SearchInput): Promise<SearchResults> {
    this.mustBeIndexed();
    const limit = input.limit ?? SEARCH_LIMITS.defaultLimit;
    const fingerprint = fingerprintOf(input);
    const after = input.cursor == null ? null : decodeCursor(input.cursor, fingerprint);
    const rows = await this.store.search(input.query, filterOf(input), after, limit + 1, this.now());
    const terms = positiveTerms(input.query);
    const hits = rows.slice(0, limit).map(({ message, score }): SearchHit => {
      let snippet = snippetOf(message.content, terms);
      // Found by its item's text (a tool call's arguments): the snippet comes from there.
      if (snippet.highlights.length === 0 && message.item !== null) {
        const fromItem = snippetOf(textOfItem(message.item), terms);
        if (fromItem.highlights.length > 0) snippet = fromItem;
      }
      return { message, sessionId: message.sessionId, score, snippet: snippet.text, highlights: snippet.highlights };
    });
    const last = hits.at(-1);
    return { hits, nextCursor: rows.length > limit && last ? encodeCursor({ score: last.score, id: last.message.id }, fingerprint) : null };
  }

  async count(input: SearchInput): Promise<SearchCount> {
    this.mustBeIndexed();
    const bound = SEARCH_LIMITS.countBound;
    const n = await this.store.count(input.query, filterOf(input), bound + 1, this.now());
    return n > bound ? { totalCount: bound, totalCountIsEstimate: true } : { totalCount: n, totalCountIsEstimate: false };
  }

  /**
   * Indexes up to `batch` messages not yet indexed (stored before search existed, or while it was
   * off); how many. The server runs it until none is left (indexer.ts).
   */
  async indexPending(batch = INDEX_BATCH): Promise<number> {
    if (!this.store.indexed) return 0;
    const messages = await this.store.unindexed(batch);
    if (messages.length === 0) return 0;
    await this.store.setSearchText(messages.map((m) => ({ id: m.id, searchText: searchColumn(m, true)! })));
    return messages.length;
  }

  private mustBeIndexed(): void {
    if (!this.store.indexed) throw new UnavailableError('Search is off on this server (SEARCH_INDEX=false)', 0);
  }
}

function filterOf(input: SearchInput): SearchFilter {
  const { query: _query, limit: _limit, cursor: _cursor, ...filter } = input;
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v != null)) as SearchFilter;
}

/** What a cursor belongs to: the query and the filter (a cursor of another search is refused, not misread). */
function fingerprintOf(input: SearchInput): string {
  const { limit: _limit, cursor: _cursor, ...search } = input;
  return createHash('sha256').update(JSON.stringify(search)).digest('base64url').slice(0, 12);
}

function encodeCursor(after: SearchAfter, fingerprint: string): string {
  return Buffer.from(JSON.stringify([after.score, after.id, fingerprint])).toString('base64url');
}

function decodeCursor(cursor: string, fingerprint: string): SearchAfter {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 3 || typeof decoded[0] !== 'number' || !Number.isFinite(decoded[0]) || typeof decoded[1] !== 'string') {
    throw new ValidationError([{ path: ['cursor'], message: 'is not a cursor of this search (pass next_cursor / endCursor as given)' }]);
  }
  if (decoded[2] !== fingerprint) {
    throw new ValidationError([{ path: ['cursor'], message: 'belongs to another search: a cursor continues the query and filters it came from' }]);
  }
  return { score: decoded[0], id: decoded[1] };
}
