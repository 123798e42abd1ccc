import { CACHE_BODY, messageContent, messageMetadata, messageRole } from './data.js';
import type { Sizes } from './options.js';

/**
 * Fixtures created through the public API (REST and GraphQL), so that they work on every backend.
 */

export interface Fixtures {
  /** Sessions the spread appends and session reads rotate over. */
  spreadIds: string[];
  /** The one session every "hot" append goes to. */
  hotId: string;
  /** A session with `bigHistory` messages, a state, artifacts and metrics. */
  bigId: string;
  /** Agent name of the sessions of the nested query. */
  nestedAgent: string;
  cacheKeys: string[];
}

/** `fetch`, or an in-process app's handler (the statement count runs the app without a port). */
export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

async function call(base: string, method: string, path: string, body?: unknown, fetchFn: FetchFn = fetch): Promise<any> {
  const response = await fetchFn(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return text === '' ? undefined : JSON.parse(text);
}

export async function graphql(base: string, query: string, variables: Record<string, unknown>, fetchFn: FetchFn = fetch): Promise<any> {
  const result = await call(base, 'POST', '/graphql', { query, variables }, fetchFn);
  if (result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors).slice(0, 500)}`);
  return result.data;
}

/** Runs `work` for 0..n-1 with at most `concurrency` in flight; the results in order. */
export async function inParallel<T>(n: number, concurrency: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await work(i);
      }
    }),
  );
  return out;
}

const createSession = async (base: string, agentName: string, i: number, f: FetchFn): Promise<string> =>
  (await call(base, 'POST', '/storage/sessions', { agent_name: agentName, user_id: `user_${i % 100}`, metadata: { bench: true, i } }, f)).id;

const ADD_MESSAGES = `mutation Add($sessionId: ID!, $messages: [NewMessageInput!]!) { addMessages(sessionId: $sessionId, messages: $messages) { id } }`;

/** Adds `count` messages (in calls of at most 1,000, the API's limit). */
async function addMessages(base: string, sessionId: string, count: number, f: FetchFn): Promise<void> {
  for (let start = 0; start < count; start += 1000) {
    const messages = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      messages.push({ role: messageRole(i).toUpperCase(), content: messageContent(i), metadata: messageMetadata(i) });
    }
    await graphql(base, ADD_MESSAGES, { sessionId, messages }, f);
  }
}

/** A state, `artifacts` artifact records and `metrics` latency metrics for one session. */
async function decorate(base: string, sessionId: string, artifacts: number, metrics: number, f: FetchFn): Promise<void> {
  await call(base, 'PUT', `/storage/state/${sessionId}`, { data: { step: 3, plan: ['search', 'summarise', 'answer'], notes: messageContent(3) } }, f);
  for (let i = 0; i < artifacts; i++) {
    await call(base, 'POST', '/storage/artifacts', { session_id: sessionId, name: `report-${i}.md`, type: 'text/markdown', path: `/artifacts/${sessionId}/${i}`, size: 1000 + i }, f);
  }
  for (let i = 0; i < metrics; i++) {
    await call(base, 'POST', '/storage/metrics', {
      entity_type: 'agent', entity_name: 'bench-agent', metric_name: 'latency', value: 100 + i, session_id: sessionId, labels: { i },
    }, f);
  }
}

export async function seedService(base: string, sizes: Sizes, f: FetchFn = fetch): Promise<Fixtures> {
  const spreadIds = await inParallel(sizes.spreadSessions, 16, (i) => createSession(base, 'bench-spread', i, f));
  const hotId = await createSession(base, 'bench-hot', 0, f);

  const bigId = await createSession(base, 'bench-big', 0, f);
  await addMessages(base, bigId, sizes.bigHistory, f);
  await decorate(base, bigId, 5, 20, f);

  const nestedAgent = 'bench-nested';
  await inParallel(sizes.nestedSessions, 8, async (i) => {
    const id = await createSession(base, nestedAgent, i, f);
    await addMessages(base, id, sizes.nestedMessages, f);
    await decorate(base, id, 2, 3, f);
  });

  const cacheKeys = Array.from({ length: sizes.cacheKeys }, (_, i) => `bench-key-${i}`);
  await inParallel(cacheKeys.length, 16, (i) => call(base, 'PUT', `/storage/cache/${cacheKeys[i]}`, CACHE_BODY, f));
  return { spreadIds, hotId, bigId, nestedAgent, cacheKeys };
}
