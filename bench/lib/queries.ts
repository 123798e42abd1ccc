/** The GraphQL documents the benchmark sends (as JSON request bodies). */

export const HELLO = JSON.stringify({ query: '{ hello }' });

const SESSION_FIELDS = 'id agentName userId status createdAt updatedAt metadata';

/** One session with everything in it: the whole history, state, artifacts and metrics. */
export const WHOLE_SESSION_QUERY = `query WholeSession($id: ID!) {
  session(id: $id) {
    ${SESSION_FIELDS}
    history { totalCount nodes { id seq role content timestamp metadata } pageInfo { hasNextPage endCursor } }
    state { data updatedAt }
    artifacts { totalCount nodes { id name type path size createdAt metadata } }
    metrics(metricName: "latency") { totalCount nodes { id value timestamp labels } }
  }
}`;

/**
 * `first` sessions of one agent, each with its nested history, state, artifacts and metrics. The
 * nested connections ask for a page: under a list, a whole history (up to MAX_PAGE_SIZE per
 * session) would be over the cost limit.
 */
export const NESTED_SESSIONS_QUERY = `query NestedSessions($agentName: String!, $first: Int!) {
  sessions(agentName: $agentName, first: $first) {
    totalCount
    nodes {
      ${SESSION_FIELDS}
      history(first: 100) { totalCount nodes { id seq role content timestamp metadata } }
      state { data updatedAt }
      artifacts(first: 100) { totalCount nodes { id name type path size } }
      metrics(metricName: "latency") { totalCount nodes { id value timestamp labels } }
    }
  }
}`;

export const SESSIONS_LIST_QUERY = `query ListSessions($first: Int!) {
  sessions(first: $first) { nodes { ${SESSION_FIELDS} } pageInfo { hasNextPage endCursor } }
}`;

export const HISTORY_PAGE_QUERY = `query HistoryPage($id: ID!, $first: Int!, $after: String) {
  session(id: $id) {
    history(first: $first, after: $after) { nodes { id seq role content timestamp metadata } pageInfo { hasNextPage endCursor } }
  }
}`;

export const graphqlBody = (query: string, variables: Record<string, unknown>): string => JSON.stringify({ query, variables });
