import { builder } from '../../graphql/builder.js';
import { parseInput } from '../../domain/inputs.js';
import { ValidationError } from '../../domain/errors.js';
import { Message, MessageRole } from '../history/graphql.js';
import { Session, SessionStatus, sessionOfRecord } from '../sessions/graphql.js';
import { type ArtifactHit, SEARCH_LIMITS, type SearchCount, type SearchInput, searchInput, type SearchHit as SearchHitRecord, type SessionHit } from './service.js';
import { Artifact } from '../artifacts/graphql.js';

const SearchHighlight = builder.objectRef<[number, number]>('SearchHighlight').implement({
  description: 'Where a term of the query is in a snippet: [start, end) offsets in UTF-16 code units (JavaScript string indexes).',
  fields: (t) => ({
    start: t.int({ resolve: ([start]) => start }),
    end: t.int({ resolve: ([, end]) => end }),
  }),
});

/** What every search result has. */
const SearchResult = builder.interfaceRef<{ score: number; snippet: string; highlights: [number, number][] }>('SearchResult').implement({
  description: 'A record found by a search, with its score and a snippet of its text around the match.',
  fields: (t) => ({
    score: t.exposeFloat('score', { description: 'Higher is better; comparable between the results of one search.' }),
    snippet: t.exposeString('snippet', { description: 'A piece of the found text around its first match, plain text; "…" where it is cut.' }),
    highlights: t.field({ type: [SearchHighlight], resolve: (hit) => hit.highlights }),
  }),
});

const SearchHit = builder.objectRef<SearchHitRecord>('SearchHit').implement({
  description: 'A message found by a search, with its score and a snippet of its text around the match.',
  interfaces: [SearchResult],
  fields: (t) => ({
    message: t.field({ type: Message, resolve: (hit) => hit.message }),
    session: t.field(sessionOfRecord),
  }),
});

const SessionSearchHit = builder.objectRef<SessionHit>('SessionSearchHit').implement({
  description: 'A session found by its metadata\'s values; the snippet is cut from those values, joined by " · ".',
  interfaces: [SearchResult],
  fields: (t) => ({ session: t.field({ type: Session, resolve: (hit) => hit.session }) }),
});

const ArtifactSearchHit = builder.objectRef<ArtifactHit>('ArtifactSearchHit').implement({
  description: 'An artifact found by its name, type or metadata\'s values; the snippet is cut from those, joined by " · ".',
  interfaces: [SearchResult],
  fields: (t) => ({
    artifact: t.field({ type: Artifact, resolve: (hit) => hit.artifact }),
    session: t.field(sessionOfRecord),
  }),
});

const SearchFilter = builder.inputType('SearchFilter', {
  description: 'What a search keeps to: every filter given must hold.',
  fields: (t) => ({
    agentName: t.string(),
    userId: t.string(),
    sessionIds: t.idList({ description: `At most ${SEARCH_LIMITS.sessionIds}.` }),
    roles: t.field({ type: [MessageRole] }),
    status: t.field({ type: SessionStatus, description: 'The session\'s status.' }),
    since: t.field({ type: 'DateTime', description: 'Messages written at or after this time.' }),
    until: t.field({ type: 'DateTime', description: 'Messages written before this time.' }),
    metadata: t.field({ type: 'JSONObject', description: 'Keys of the message\'s metadata and the scalar values they must hold (compared as JSON).' }),
    sessionMetadata: t.field({ type: 'JSONObject', description: 'Keys of the session\'s metadata and the scalar values they must hold.' }),
  }),
});

const SearchConnection = builder.connectionObject(
  { type: SearchHit, name: 'SearchConnection' },
  {},
);

const SessionSearchConnection = builder.connectionObject({ type: SessionSearchHit, name: 'SessionSearchConnection' }, {});
const ArtifactSearchConnection = builder.connectionObject({ type: ArtifactSearchHit, name: 'ArtifactSearchConnection' }, {});

for (const connection of [SearchConnection, SessionSearchConnection, ArtifactSearchConnection]) builder.objectField(connection, 'totalCountIsEstimate', (t) =>
  t.boolean({
    description: `True when more than ${SEARCH_LIMITS.countBound} results match: totalCount then says "at least".`,
    resolve: async (connection) => (await (connection as unknown as { count: () => Promise<{ totalCountIsEstimate: boolean }> }).count()).totalCountIsEstimate,
  }),
);

/** The arguments as the search's input; a problem is named by its argument (`filter.roles`, `first`, `after`). */
function searchArgs(args: Record<string, unknown>): SearchInput {
  const argument: Record<string, string> = { query: 'query', limit: 'first', cursor: 'after' };
  try {
    return parseInput(searchInput, args);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.issues.map((issue) => {
        const [field, ...rest] = issue.path;
        const name = argument[String(field)];
        return { ...issue, path: name ? [name, ...rest] : ['filter', ...issue.path] };
      }),
    );
  }
}

interface PagingArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** A search's page as a connection: the paging arguments checked, the count read only when asked for. */
async function searchConnection<H extends { cursor: string }>(
  args: PagingArgs & { query: string; filter?: object | null },
  maxPageSize: number,
  read: (input: SearchInput) => Promise<{ hits: H[]; nextCursor: string | null }>,
  count: (input: SearchInput) => Promise<SearchCount>,
) {
  const max = Math.min(SEARCH_LIMITS.limit, maxPageSize);
  const tooMany = (['first', 'last'] as const).filter((name) => (args[name] ?? 0) > max);
  if (tooMany.length > 0) throw new ValidationError(tooMany.map((name) => ({ path: [name], message: `must be at most ${max}` })));
  if (args.last != null || args.before != null) {
    throw new ValidationError([{ path: [args.last != null ? 'last' : 'before'], message: 'search pages forward only: use first/after' }]);
  }
  const input = searchArgs({ query: args.query, ...(args.filter ?? {}), limit: args.first ?? Math.min(SEARCH_LIMITS.defaultLimit, max), cursor: args.after });
  const results = await read(input);
  let counted: Promise<SearchCount> | undefined;
  const counting = () => (counted ??= count(input));
  return {
    edges: results.hits.map((hit) => ({ cursor: hit.cursor, node: hit })),
    pageInfo: {
      hasNextPage: results.nextCursor !== null,
      hasPreviousPage: args.after != null,
      startCursor: results.hits[0]?.cursor ?? null,
      endCursor: results.hits.at(-1)?.cursor ?? null,
    },
    totalCount: async () => (await counting()).totalCount,
    count: counting,
  };
}

const QUERY_ARG = 'Words, "phrases", prefix*, a OR b, -excluded (docs/search.md).';

builder.queryFields((t) => ({
  search: t.connection(
    {
      type: SearchHit,
      extensions: { defaultPageSize: SEARCH_LIMITS.defaultLimit },
      description: 'Full-text search over the messages of every session, best first (docs/search.md: the query syntax, filters, scores, snippets).',
      args: { query: t.arg.string({ required: true, description: QUERY_ARG }), filter: t.arg({ type: SearchFilter }) },
      resolve: (_root, args, { config, storage }) =>
        searchConnection(args, config.maxPageSize, (input) => storage.search.page(input), (input) => storage.search.count(input)),
    },
    SearchConnection,
  ),
  searchSessions: t.connection(
    {
      type: SessionSearchHit,
      extensions: { defaultPageSize: SEARCH_LIMITS.defaultLimit },
      description: 'Full-text search over sessions by their metadata\'s values, best first (filter: not roles or metadata; sessionMetadata is theirs; since/until: their creation).',
      args: { query: t.arg.string({ required: true, description: QUERY_ARG }), filter: t.arg({ type: SearchFilter }) },
      resolve: (_root, args, { config, storage }) =>
        searchConnection(args, config.maxPageSize, (input) => storage.search.sessions(input), (input) => storage.search.count(input, 'sessions')),
    },
    SessionSearchConnection,
  ),
  searchArtifacts: t.connection(
    {
      type: ArtifactSearchHit,
      extensions: { defaultPageSize: SEARCH_LIMITS.defaultLimit },
      description: 'Full-text search over artifacts by name, type and metadata\'s values, best first (filter: not roles; since/until: their creation).',
      args: { query: t.arg.string({ required: true, description: QUERY_ARG }), filter: t.arg({ type: SearchFilter }) },
      resolve: (_root, args, { config, storage }) =>
        searchConnection(args, config.maxPageSize, (input) => storage.search.artifacts(input), (input) => storage.search.count(input, 'artifacts')),
    },
    ArtifactSearchConnection,
  ),
}));
