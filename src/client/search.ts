import { type Message, type SearchFilter, SearchDocument } from './gql/graphql.js';
import type { Caller } from './resources.js';
import type { CallOptions } from './transport.js';

/** A message found by a search: its score, and a snippet of its text with the matched terms' places. */
export interface SearchHit {
  message: Omit<Message, 'session'>;
  score: number;
  snippet: string;
  /** [start, end) offsets of the matched terms in `snippet` (JavaScript string indexes). */
  highlights: { start: number; end: number }[];
}

export interface SearchPage {
  hits: SearchHit[];
  /** Exact up to 10,000; past that, 10,000 and `totalCountIsEstimate` ("at least"). */
  totalCount: number;
  totalCountIsEstimate: boolean;
  /** Pass as `after` for the next page; null on the last one. */
  nextCursor: string | null;
}

export interface SearchOptions extends CallOptions {
  filter?: SearchFilter;
  /** Results per page: 1 to 100, 20 by default. */
  first?: number;
  after?: string | null;
}

/** Full-text search over the history (docs/search.md: the query syntax and filters). */
export class SearchApi {
  constructor(private readonly client: Caller) {}

  /** One page of results, best first. */
  async find(query: string, options: SearchOptions = {}): Promise<SearchPage> {
    const { filter, first, after, ...call } = options;
    const { search } = await this.client.call(SearchDocument, { query, filter, first, after }, call);
    return {
      hits: search.edges.map(({ node }) => node),
      totalCount: search.totalCount,
      totalCountIsEstimate: search.totalCountIsEstimate,
      nextCursor: search.pageInfo.hasNextPage ? (search.pageInfo.endCursor ?? null) : null,
    };
  }

  /** Every result, page after page, best first (pages stay consistent while messages are added). */
  async *all(query: string, options: Omit<SearchOptions, 'after'> = {}): AsyncGenerator<SearchHit, void, undefined> {
    for (let after: string | null = null; ; ) {
      const page = await this.find(query, { ...options, after });
      yield* page.hits;
      if (page.nextCursor === null) return;
      after = page.nextCursor;
    }
  }
}
