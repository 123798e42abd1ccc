import { fileURLToPath } from 'node:url';
import { AgentStorageClient, AgentStorageError, type DocumentTypeDecoration } from '../../src/client/index.js';
import { describe, expect, it } from '../support/server-fixture.js';

/*
 * The client's `persistedOperations` against real servers in each PERSISTED_OPERATIONS mode,
 * watching what it sends: hash-only requests where the server accepts them, the text once where
 * APQ asks for it, texts from then on where the server does not speak APQ — and subscriptions
 * (the change feed over SSE) the same way as queries and mutations.
 */

/** The client's own manifest (codegen's persistedDocuments): what a server run for it would be given. */
const MANIFEST = fileURLToPath(new URL('../../src/client/gql/persisted-documents.json', import.meta.url));

interface Sent {
  query?: string;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string } };
}

/** A fetch that records the GraphQL bodies it sends. */
function recordingFetch(): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    fetch: (input, init) => {
      if (String(input).endsWith('/graphql') && typeof init?.body === 'string') sent.push(JSON.parse(init.body) as Sent);
      return fetch(input, init);
    },
  };
}

/** A document of the caller's own: a string typed by hand (it carries no hash). */
const own = <R>(text: string) => text as unknown as DocumentTypeDecoration<R, Record<string, never>>;
const typename = own<{ __typename: string }>('query Mine { __typename }');

const kinds = (sent: Sent[]) => sent.map((body) => `${body.query === undefined ? '' : 'text'}${body.query !== undefined && body.extensions ? '+' : ''}${body.extensions ? 'hash' : ''}`);

/** The first event of a session's change feed (an append made once the stream is open). */
async function firstEvent(client: AgentStorageClient, sessionId: string): Promise<string> {
  const controller = new AbortController();
  const events = client.sessionEvents(sessionId, { signal: controller.signal, onConnect: () => void client.history.append(sessionId, { role: 'USER', content: 'hello' }) });
  for await (const event of events) {
    controller.abort();
    return event.__typename;
  }
  throw new Error('the feed ended without an event');
}

describe("persistedOperations: 'hash'", () => {
  it('a server with PERSISTED_OPERATIONS=only runs the client’s operations, queries, mutations and subscriptions, sent by hash alone', async ({ serve }) => {
    const server = await serve({ PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST });
    const { fetch, sent } = recordingFetch();
    const client = new AgentStorageClient({ url: server.url, fetch, persistedOperations: 'hash' });
    const session = await client.sessions.create({ agentName: 'persisted-hash' });
    expect((await client.sessions.get(session.id))?.id).toBe(session.id);
    expect(await firstEvent(client, session.id)).toBe('MessageAdded');
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(new Set(kinds(sent))).toEqual(new Set(['hash']));

    // A text of the caller's own is sent as text, which such a server refuses.
    const plain = new AgentStorageClient({ url: server.url, persistedOperations: 'hash' });
    const refused = await plain.request(own('{ __typename }')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AgentStorageError);
    expect((refused as AgentStorageError).code).toBe('PERSISTED_QUERY_ONLY');
  });

  it('without the option the same server refuses the client (texts)', async ({ serve }) => {
    const server = await serve({ PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST });
    const refused = await new AgentStorageClient({ url: server.url }).sessions.create({ agentName: 'text' }).catch((error: unknown) => error);
    expect((refused as AgentStorageError).code).toBe('PERSISTED_QUERY_ONLY');
  });
});

describe("persistedOperations: 'apq'", () => {
  it('sends the hash alone, and hash and text once per operation the server has not seen', async ({ serve }) => {
    const server = await serve({ PERSISTED_OPERATIONS: 'apq' });
    const { fetch, sent } = recordingFetch();
    const client = new AgentStorageClient({ url: server.url, fetch, persistedOperations: 'apq' });
    const first = await client.sessions.create({ agentName: 'apq' });
    const second = await client.sessions.create({ agentName: 'apq' });
    expect(second.id).not.toBe(first.id); // the mutation ran once per call, not once more for the text
    expect(await client.request(typename)).toEqual({ __typename: 'Query' });
    expect(await client.request(typename)).toEqual({ __typename: 'Query' });
    expect(kinds(sent)).toEqual(['hash', 'text+hash', 'hash', 'hash', 'text+hash', 'hash']);
    // A second client (another process, say) finds the texts known.
    const other = recordingFetch();
    await new AgentStorageClient({ url: server.url, fetch: other.fetch, persistedOperations: 'apq' }).sessions.create({ agentName: 'apq' });
    expect(kinds(other.sent)).toEqual(['hash']);
    expect(await firstEvent(client, first.id)).toBe('MessageAdded');
  });

  it('against a server without APQ, falls back to texts after the first refusal', async ({ serve }) => {
    const server = await serve({ PERSISTED_OPERATIONS: 'off' });
    const { fetch, sent } = recordingFetch();
    const client = new AgentStorageClient({ url: server.url, fetch, persistedOperations: 'apq' });
    const session = await client.sessions.create({ agentName: 'apq-off' });
    expect((await client.sessions.get(session.id))?.id).toBe(session.id);
    expect(kinds(sent)).toEqual(['hash', 'text', 'text']);
  });

  it('an option that is neither is refused at construction', () => {
    expect(() => new AgentStorageClient({ url: 'http://127.0.0.1:1', persistedOperations: 'yes' as never })).toThrow(/'hash' or 'apq'/);
  });
});
