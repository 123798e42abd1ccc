import fc from 'fast-check';
import type { JsonClient, JsonResponse } from '../support/http.js';
import { describe, expect, it, test } from '../support/server-fixture.js';

/**
 * The state's version history (STATE_HISTORY_VERSIONS), through REST and GraphQL, on both
 * databases: what each kind of write records, what a failed compare-and-set does not, the bound,
 * deletion, paging, and bad input.
 */
const KEEP = 12;
test.override({ env: { STATE_HISTORY_VERSIONS: String(KEEP) } });

async function newSession(api: JsonClient): Promise<string> {
  const r = await api.post('/storage/sessions', { agent_name: 'agent' });
  expect(r.status).toBe(200);
  return r.body.id as string;
}

async function history(api: JsonClient, sessionId: string, query = ''): Promise<{ version: number; data: unknown }[]> {
  const r = await api.get(`/storage/state/${sessionId}/history${query}`);
  expect(r.status, r.text).toBe(200);
  return (r.body as { version: number; data: unknown; session_id: string; updated_at: string }[]).map(({ version, data }) => ({ version, data }));
}

const HISTORY = `query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  session(id: $id) { state { version history(first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { sessionId version data updatedAt } } } }
}`;

async function gqlHistory(api: JsonClient, id: string, args: Record<string, unknown> = {}) {
  const r = await api.gql(HISTORY, { id, ...args });
  expect(r.body.errors, r.text).toBeUndefined();
  return r.body.data.session.state.history as {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    nodes: { sessionId: string; version: number; data: unknown; updatedAt: string }[];
  };
}

const mergePatch = { 'content-type': 'application/merge-patch+json' };

describe('state history', () => {
  it('records the version stored by every kind of write, REST and GraphQL, newest first', async ({ api, server }) => {
    const id = await newSession(api);
    expect((await api.put(`/storage/state/${id}`, { data: { step: 1 } })).status).toBe(200);
    server.clock.advance(1000);
    expect((await api.call('PATCH', `/storage/state/${id}`, { plan: ['a'] }, mergePatch)).status).toBe(200);
    expect((await api.put(`/storage/state/${id}`, { data: { step: 3 } }, { 'if-match': '"2"' })).status).toBe(200);
    const gqlSet = await api.gql('mutation ($id: ID!) { setState(sessionId: $id, data: [4], expectedVersion: 3) { version } }', { id });
    expect(gqlSet.body.data.setState.version).toBe(4);
    const gqlPatch = await api.gql('mutation ($id: ID!) { patchState(sessionId: $id, patch: {five: 5}) { version } }', { id });
    expect(gqlPatch.body.data.patchState.version).toBe(5);

    const expected = [
      { version: 5, data: { five: 5 } },
      { version: 4, data: [4] },
      { version: 3, data: { step: 3 } },
      { version: 2, data: { step: 1, plan: ['a'] } },
      { version: 1, data: { step: 1 } },
    ];
    expect(await history(api, id)).toEqual(expected);
    const page = await gqlHistory(api, id);
    expect(page.totalCount).toBe(5);
    expect(page.nodes.map(({ version, data }) => ({ version, data }))).toEqual(expected);
    expect(new Set(page.nodes.map((n) => n.sessionId))).toEqual(new Set([id]));
    // Each version keeps the time of its own write.
    expect(Date.parse(page.nodes[3]!.updatedAt) - Date.parse(page.nodes[4]!.updatedAt)).toBe(1000);
  });

  it('records nothing when a compare-and-set fails', async ({ api }) => {
    const id = await newSession(api);
    await api.put(`/storage/state/${id}`, { data: 1 });
    expect((await api.put(`/storage/state/${id}`, { data: 2 }, { 'if-match': '"7"' })).status).toBe(412);
    expect((await api.put(`/storage/state/${id}`, { data: 2 }, { 'if-none-match': '*' })).status).toBe(412);
    expect((await api.call('PATCH', `/storage/state/${id}`, { a: 1 }, { ...mergePatch, 'if-match': '"9"' })).status).toBe(412);
    const conflict = await api.gql('mutation ($id: ID!) { setState(sessionId: $id, data: 3, expectedVersion: 0) { version } }', { id });
    expect(conflict.body.errors[0].extensions.code).toBe('CONFLICT');
    expect(await history(api, id)).toEqual([{ version: 1, data: 1 }]);
  });

  it(`keeps the last ${KEEP} versions`, async ({ api }) => {
    const id = await newSession(api);
    for (let v = 1; v <= KEEP + 3; v++) await api.put(`/storage/state/${id}`, { data: v });
    const kept = await history(api, id, `?limit=${KEEP + 5}`);
    expect(kept.map((v) => v.version)).toEqual(Array.from({ length: KEEP }, (_, i) => KEEP + 3 - i));
    expect(kept.map((v) => v.data)).toEqual(kept.map((v) => v.version));
    expect((await gqlHistory(api, id)).totalCount).toBe(KEEP);
  });

  it('forgets the versions with the state, and with the session', async ({ api }) => {
    const id = await newSession(api);
    for (const data of ['a', 'b', 'c']) await api.put(`/storage/state/${id}`, { data });
    expect((await api.del(`/storage/state/${id}`)).status).toBe(200);
    const gone = await api.get(`/storage/state/${id}/history`);
    expect(gone.status).toBe(404);
    expect(gone.body.detail).toBe('State not found');
    // Set again: version 1, and the history starts over.
    await api.put(`/storage/state/${id}`, { data: 'again' });
    expect(await history(api, id)).toEqual([{ version: 1, data: 'again' }]);

    expect((await api.del(`/storage/sessions/${id}`)).status).toBe(200);
    expect((await api.get(`/storage/state/${id}/history`)).status).toBe(404);
    expect((await api.get('/storage/state/session_unknown/history')).status).toBe(404);
  });

  it('pages the same versions by REST (limit, before_version, Link) and by GraphQL (first/after, last/before)', async ({ api }) => {
    const id = await newSession(api);
    const writes = KEEP + 3;
    for (let v = 1; v <= writes; v++) await api.put(`/storage/state/${id}`, { data: { v } });
    const all = Array.from({ length: KEEP }, (_, i) => writes - i);

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: KEEP + 1 }), fc.integer({ min: 0, max: writes + 1 }), async (size, start) => {
        // REST: from `before_version` on, following each page's Link until there is none.
        const seen: number[] = [];
        let path: string | null = `/storage/state/${id}/history?limit=${size}${start > 0 ? `&before_version=${start}` : ''}`;
        while (path) {
          const r: JsonResponse = await api.get(path);
          expect(r.status).toBe(200);
          expect(r.body.length).toBeLessThanOrEqual(size);
          seen.push(...(r.body as { version: number }[]).map((v) => v.version));
          const link: string | null = r.headers.get('link');
          path = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null;
        }
        expect(seen).toEqual(all.filter((v) => start === 0 || v < start));

        // GraphQL: forward with first/after over the whole history.
        const forward: number[] = [];
        let after: string | null = null;
        for (;;) {
          const page = await gqlHistory(api, id, { first: size, after });
          forward.push(...page.nodes.map((n) => n.version));
          expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(forward).toEqual(all);
        // Backward: the oldest `size` versions.
        expect((await gqlHistory(api, id, { last: size })).nodes.map((n) => n.version)).toEqual(all.slice(-size));
      }),
      { numRuns: 15 },
    );
  });

  it('refuses bad paging input with a 4xx that names it', async ({ api }) => {
    const id = await newSession(api);
    await api.put(`/storage/state/${id}`, { data: 1 });
    const cases: [string, string, string][] = [
      ['limit=0', 'limit', 'must be at least 1'],
      ['limit=ten', 'limit', 'must be a whole number'],
      ['limit=100000000', 'limit', 'must be at most'],
      ['before_version=0', 'before_version', 'must be at least 1'],
      ['before_version=-3', 'before_version', 'must be at least 1'],
      ['before_version=1.5', 'before_version', 'must be a whole number'],
    ];
    for (const [query, name, message] of cases) {
      const r = await api.get(`/storage/state/${id}/history?${query}`);
      expect(r.status, query).toBe(422);
      expect(r.body.detail[0].loc, query).toEqual(['query', name]);
      expect(r.body.detail[0].msg, query).toContain(message);
    }
    for (const args of [{ first: -1 }, { after: 'not-a-cursor' }, { first: 1, last: 1 }]) {
      const r = await api.gql(HISTORY, { id, ...args });
      expect(r.body.errors?.[0]?.extensions?.code, JSON.stringify(args)).toBe('BAD_USER_INPUT');
    }
    // A cursor of another connection is not one of this.
    const sessions = await api.gql('{ sessions(first: 1) { pageInfo { endCursor } } }');
    const foreign = await api.gql(HISTORY, { id, after: sessions.body.data.sessions.pageInfo.endCursor });
    expect(foreign.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('keeps none with STATE_HISTORY_VERSIONS=0', async ({ serve }) => {
    const other = await serve({ STATE_HISTORY_VERSIONS: '0' });
    const { client } = await import('../support/http.js');
    const api = client(other.url);
    const id = await newSession(api);
    await api.put(`/storage/state/${id}`, { data: 1 });
    await api.put(`/storage/state/${id}`, { data: 2 });
    expect(await history(api, id)).toEqual([]);
    expect((await api.get(`/storage/state/${id}`)).body.version).toBe(2);
    expect((await gqlHistory(api, id)).totalCount).toBe(0);
  });
});
