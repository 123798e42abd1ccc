import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kind, parse } from 'graphql';
import { AgentStorageClient, AgentStorageError } from '../../src/client/index.js';
import { GetSessionDocument } from '../../src/client/gql/graphql.js';
import { ConsoleProbeDocument, ConsoleSessionEventsDocument, ConsoleSessionsDocument } from '../../src/console/gql/graphql.js';
import { afterAll } from 'vitest';
import { describe, expect, it } from '../support/server-fixture.js';

/*
 * The web console's operations, which it always sends by hash (docs/console.md): known to the
 * server in every PERSISTED_OPERATIONS mode; with `only`, in its allow-list whatever the operator's
 * manifest holds, and nothing else is.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const consoleManifest: Record<string, string> = JSON.parse(readFileSync(new URL('../../src/console/gql/persisted-documents.json', import.meta.url), 'utf8'));

/** An operator's manifest that holds one operation of its own, and none of the console's or the client's. */
const dir = mkdtempSync(join(tmpdir(), 'console-manifest-'));
const OWN = 'query Own { __typename }';
const MANIFEST = join(dir, 'manifest.json');
writeFileSync(MANIFEST, JSON.stringify({ [sha256(OWN)]: OWN }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ONLY = { PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST };

describe('the console by hash', () => {
  it('runs with PERSISTED_OPERATIONS off (the default) and apq, where other hashes still need their text', async ({ server, serve }) => {
    const apq = await serve({ PERSISTED_OPERATIONS: 'apq' });
    for (const [mode, url, unknownHash] of [['off', server.url, 'PERSISTED_QUERY_NOT_SUPPORTED'], ['apq', apq.url, 'PERSISTED_QUERY_NOT_FOUND']] as const) {
      const consoleClient = new AgentStorageClient({ url, persistedOperations: 'hash' });
      expect((await consoleClient.request(ConsoleProbeDocument)).sessions.totalCount, mode).toBeGreaterThanOrEqual(0);
      const other = await new AgentStorageClient({ url, persistedOperations: 'hash' }).request(GetSessionDocument, { id: 'session_x' }).catch((e: unknown) => e);
      expect((other as AgentStorageError).code, mode).toBe(unknownHash);
    }
  });
});

describe('the console with PERSISTED_OPERATIONS=only', () => {
  it('ships only reads: every operation of its manifest is a query or a subscription', () => {
    const kinds = Object.values(consoleManifest).flatMap((text) => parse(text).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.operation] : [])));
    expect(kinds.length).toBeGreaterThanOrEqual(10);
    expect(new Set(kinds)).toEqual(new Set(['query', 'subscription']));
  });

  it('runs its queries and follows the change feed by hash; text and other hashes stay refused', async ({ serve }) => {
    const server = await serve(ONLY);
    const rest = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ id: string; created_at: string }>);
    const post = (body: unknown) => fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // Writes through REST: the allow-list is GraphQL's.
    const session = await rest('/storage/sessions', { agent_name: 'console-only' });

    const consoleClient = new AgentStorageClient({ url: server.url, persistedOperations: 'hash' });
    expect((await consoleClient.request(ConsoleProbeDocument)).sessions.totalCount).toBeGreaterThanOrEqual(1);
    const listed = await consoleClient.request(ConsoleSessionsDocument, { agentName: 'console-only', since: session.created_at });
    expect(listed.sessions.nodes.map((s) => s.id)).toEqual([session.id]);

    const controller = new AbortController();
    const events = consoleClient.follow(ConsoleSessionEventsDocument, (after) => ({ sessionId: session.id, after }), (data) => data.sessionEvents, {
      signal: controller.signal,
      onConnect: () => void rest('/storage/history', { session_id: session.id, role: 'user', content: 'hello' }),
    });
    for await (const event of events) {
      expect(event.__typename === 'MessageAdded' && event.message.content).toBe('hello');
      controller.abort();
    }

    // The operator's own operation still runs; query text and a hash of neither list do not.
    const own = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(OWN) } } });
    expect(own.status).toBe(200);
    const text = await post({ query: '{ sessions(first: 1) { totalCount } }' });
    expect(text.status).toBe(403);
    expect(((await text.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    const notListed = await new AgentStorageClient({ url: server.url, persistedOperations: 'hash' }).request(GetSessionDocument, { id: session.id }).catch((e: unknown) => e);
    expect((notListed as AgentStorageError).code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});
