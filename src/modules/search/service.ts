import { createHash } from 'node:crypto';
import { type Clock, isoTime } from '../../domain/clock.js';
import { UnavailableError, ValidationError } from '../../domain/errors.js';
import { textOfItem } from '../../domain/items.js';
import type { Artifact, Message, Session } from '../../domain/records.js';
import { SEARCH_LIMITS, type SearchInput } from './inputs.js';
import { positiveTerms, type SearchTerm } from './query.js';
import { type Snippet, snippetOf } from './snippet.js';
import { recordText } from './text.js';
import { type Found, SEARCH_KINDS, type SearchAfter, type SearchFilter, type SearchKind, type SearchStore } from './store.js';

export { type SearchInput, searchInput, SEARCH_LIMITS } from './inputs.js';
export { SEARCH_KINDS, type SearchKind } from './store.js';

/** What every kind of result has: its session, score, snippet, and the cursor after it. */
interface Hit {
  sessionId: string;
  /** Higher is better; comparable between results of one search on one database. */
  score: number;
  snippet: string;
  /** Where the terms are in `snippet`: [start, end) offsets. */
  highlights: [number, number][];
  /** The cursor of the results after this one. */
  cursor: string;
}

export type SearchHit = Hit & { message: Message };
export type SessionHit = Hit & { session: Session };
export type ArtifactHit = Hit & { artifact: Artifact };

export interface SearchResults<H = SearchHit> {
  hits: H[];
  /** The next page's cursor; null on the last page. */
  nextCursor: string | null;
}

export interface SearchCount {
  /** Exact up to SEARCH_LIMITS.countBound; past it, that bound ("at least"). */
  totalCount: number;
  totalCountIsEstimate: boolean;
}

export type SearchPage<H = SearchHit> = SearchResults<H> & SearchCount;

/** Records of a kind the indexer indexes per transaction: small, so that writes wait little behind it. */
export const INDEX_BATCH = 500;

/** The filters only some kinds have: a message's role; an own metadata (a session's is `sessionMetadata`). */
const FILTERS_OF: Record<SearchKind, readonly (keyof SearchInput)[]> = {
  messages: [],
  sessions: ['roles', 'metadata'],
  artifacts: ['roles'],
};

/**
 * Full-text search (docs/search.md) over a tenant's messages, sessions (their metadata) and
 * artifacts (name, type, metadata). Results come best first, a page at a time: a page's cursor is
 * its last result's score and id, which stay what they are while records are added (store.ts), so
 * later pages neither repeat nor skip results; records added meanwhile show up in later pages only
 * if they rank below the cursor.
 */
export class SearchService {
  constructor(
    private readonly store: SearchStore,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return isoTime(this.clock.now());
  }

  /** A page of messages and how many there are in all. */
  async search(input: SearchInput): Promise<SearchPage> {
    const [results, count] = await Promise.all([this.page(input), this.count(input)]);
    return { ...results, ...count };
  }

  /** A page of messages, best first. */
  page(input: SearchInput): Promise<SearchResults> {
    return this.pageOf('messages', input, (message, terms) => {
      const snippet = snippetOf(message.content, terms);
      // Found by its item's text (a tool call's arguments): the snippet comes from there.
      if (snippet.highlights.length === 0 && message.item !== null) {
        const fromItem = snippetOf(textOfItem(message.item), terms);
        if (fromItem.highlights.length > 0) return { message, sessionId: message.sessionId, snippet: fromItem };
      }
      return { message, sessionId: message.sessionId, snippet };
    });
  }

  /** A page of sessions found by their metadata, best first. */
  sessions(input: SearchInput): Promise<SearchResults<SessionHit>> {
    return this.pageOf('sessions', input, (session, terms) => ({ session, sessionId: session.id, snippet: snippetOf(recordText(session), terms) }));
  }

  /** A page of artifacts found by name, type or metadata, best first. */
  artifacts(input: SearchInput): Promise<SearchResults<ArtifactHit>> {
    return this.pageOf('artifacts', input, (artifact, terms) => ({ artifact, sessionId: artifact.sessionId, snippet: snippetOf(recordText(artifact), terms) }));
  }

  private async pageOf<K extends SearchKind, H extends Hit>(
    kind: K,
    input: SearchInput,
    hitOf: (record: Found[K], terms: SearchTerm[]) => Omit<H, keyof Hit> & { sessionId: string; snippet: Snippet },
  ): Promise<SearchResults<H>> {
    this.check(kind, input);
    const limit = input.limit ?? SEARCH_LIMITS.defaultLimit;
    const fingerprint = fingerprintOf(kind, input);
    const after = input.cursor == null ? null : decodeCursor(input.cursor, fingerprint);
    const rows = await this.store.search(kind, input.query, filterOf(input), after, limit + 1, this.now());
    const terms = positiveTerms(input.query);
    const hits = rows.slice(0, limit).map(({ record, score }) => {
      const { snippet, ...hit } = hitOf(record, terms);
      const cursor = encodeCursor({ score, id: (record as { id: string }).id }, fingerprint);
      return { ...hit, score, snippet: snippet.text, highlights: snippet.highlights, cursor } as unknown as H;
    });
    return { hits, nextCursor: rows.length > limit ? (hits.at(-1)?.cursor ?? null) : null };
  }

  async count(input: SearchInput, kind: SearchKind = 'messages'): Promise<SearchCount> {
    this.check(kind, input);
    const bound = SEARCH_LIMITS.countBound;
    const n = await this.store.count(kind, input.query, filterOf(input), bound + 1, this.now());
    return n > bound ? { totalCount: bound, totalCountIsEstimate: true } : { totalCount: n, totalCountIsEstimate: false };
  }

  /**
   * Indexes up to `batch` records of each kind not yet indexed (stored before the index existed,
   * or messages written while it was off); how many. The server runs it until none is left (indexer.ts).
   */
  async indexPending(batch = INDEX_BATCH): Promise<number> {
    let indexed = 0;
    for (const kind of SEARCH_KINDS) indexed += await this.store.indexPending(kind, batch);
    return indexed;
  }

  private check(kind: SearchKind, input: SearchInput): void {
    if (kind === 'messages' && !this.store.indexed) throw new UnavailableError('Searching messages is off on this server (SEARCH_INDEX=false)', 0);
    const misplaced = FILTERS_OF[kind].filter((name) => input[name] != null);
    if (misplaced.length > 0) throw new ValidationError(misplaced.map((name) => ({ path: [name], message: `is not a filter of a search of ${kind}` })));
  }
}

function filterOf(input: SearchInput): SearchFilter {
  const { query: _query, limit: _limit, cursor: _cursor, ...filter } = input;
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v != null)) as SearchFilter;
}

/** What a cursor belongs to: the query and the filter (a cursor of another search is refused, not misread). */
function fingerprintOf(kind: SearchKind, input: SearchInput): string {
  const { limit: _limit, cursor: _cursor, ...search } = input;
  return createHash('sha256').update(JSON.stringify([kind, search])).digest('base64url').slice(0, 12);
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
