import fc from 'fast-check';
import { artifactKeyset, type Keyset, messageKeyset, metricKeyset, sessionKeyset } from '../../src/graphql/pagination.js';
import { describe, expect, it } from '../support/server-fixture.js';
import { AddMessagesDocument, CreateSessionDocument, HistoryDocument, ListSessionsDocument } from './gql/graphql.js';

describe('cursors', () => {
  const id = fc.string({ unit: 'binary', minLength: 1, maxLength: 128 });
  const timestamp = fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
    .map((d) => d.toISOString());

  function roundTrips<K>(keys: Keyset<never, K>, key: fc.Arbitrary<K>) {
    fc.assert(
      fc.property(key, (k) => {
        const cursor = keys.encode(k);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(keys.decode(cursor)).toEqual(k);
      }),
    );
  }

  it('decode(encode(key)) is the key, for every kind of key', () => {
    roundTrips(messageKeyset, fc.maxSafeNat());
    roundTrips(sessionKeyset, id);
    roundTrips(artifactKeyset, id);
    roundTrips(metricKeyset, fc.record({ timestamp, id }));
  });

  it('decode accepts only what encode makes, and never throws', () => {
    const anyText = fc.oneof(fc.string(), fc.base64String(), fc.string({ unit: 'binary' }));
    const jsonInBase64 = fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url'));
    fc.assert(
      fc.property(fc.oneof(anyText, jsonInBase64), (cursor) => {
        for (const keys of [messageKeyset, sessionKeyset, artifactKeyset, metricKeyset] as Keyset<never, unknown>[]) {
          const key = keys.decode(cursor);
          if (key !== null) expect(keys.encode(key)).toBe(cursor);
        }
      }),
    );
  });

  it('a cursor of one kind is refused by every other kind', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (value) => {
        const cursor = sessionKeyset.encode(value);
        expect(artifactKeyset.decode(cursor)).toBeNull();
        expect(messageKeyset.decode(cursor)).toBeNull();
        expect(metricKeyset.decode(cursor)).toBeNull();
      }),
    );
  });
});

describe('walking a connection', () => {

  interface Page<T> {
    nodes: T[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };
  }
  type Fetch<T> = (args: { first?: number; after?: string | null; last?: number; before?: string | null }) => Promise<Page<T>>;

  /** Follows first/after to the end; every node seen, in the order seen. */
  async function forward<T>(fetch: Fetch<T>, size: number): Promise<T[]> {
    const seen: T[] = [];
    let after: string | null | undefined;
    for (;;) {
      const page = await fetch({ first: size, after });
      expect(page.nodes.length).toBeLessThanOrEqual(size);
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return seen;
      expect(page.nodes).toHaveLength(size);
      after = page.pageInfo.endCursor;
    }
  }

  /** Follows last/before to the start; every node seen, in natural order. */
  async function backward<T>(fetch: Fetch<T>, size: number): Promise<T[]> {
    const seen: T[] = [];
    let before: string | null | undefined;
    for (;;) {
      const page = await fetch({ last: size, before });
      expect(page.nodes.length).toBeLessThanOrEqual(size);
      seen.unshift(...page.nodes);
      if (!page.pageInfo.hasPreviousPage) return seen;
      expect(page.nodes).toHaveLength(size);
      before = page.pageInfo.startCursor;
    }
  }

  it('visits every message exactly once, in order, forward with first/after and backward with last/before', async ({ gql }) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 12 }), async (count, size) => {
        const sessionId = (await gql.data(CreateSessionDocument, { input: { agentName: 'walk' } })).createSession.id;
        if (count > 0) {
          const messages = Array.from({ length: count }, (_, i) => ({ role: 'USER' as const, content: String(i + 1) }));
          await gql.data(AddMessagesDocument, { sessionId, messages });
        }
        const fetch: Fetch<{ seq: number }> = async (args) => (await gql.data(HistoryDocument, { id: sessionId, ...args })).session!.history;
        const expected = Array.from({ length: count }, (_, i) => i + 1);
        expect((await forward(fetch, size)).map((m) => m.seq)).toEqual(expected);
        expect((await backward(fetch, size)).map((m) => m.seq)).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('visits every session exactly once, newest first, in both directions, within a time range too', async ({ server, gql }) => {
    let run = 0;
    // The range's ends, as positions among the run's sessions (past the last: none).
    const end = fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 5 }), end, end, async (count, size, from, to) => {
        const agentName = `walker-${run++}`;
        const created: { id: string; createdAt: string }[] = [];
        for (let i = 0; i < count; i++) {
          server.clock.advance(1);
          created.push((await gql.data(CreateSessionDocument, { input: { agentName } })).createSession);
        }
        const timeAt = (i: number | undefined) => (i === undefined ? undefined : (created[i]?.createdAt ?? new Date(server.clock.now() + 1).toISOString()));
        const [a, b] = [timeAt(from), timeAt(to)];
        const range = a !== undefined && b !== undefined && a > b ? { since: b, until: a } : { since: a, until: b };
        const fetch: Fetch<{ id: string }> = async (args) => (await gql.data(ListSessionsDocument, { agentName, ...range, ...args })).sessions;
        const inRange = ({ createdAt }: { createdAt: string }) => (range.since === undefined || createdAt >= range.since) && (range.until === undefined || createdAt < range.until);
        const expected = created.filter(inRange).map((s) => s.id).reverse();
        expect((await forward(fetch, size)).map((s) => s.id)).toEqual(expected);
        expect((await backward(fetch, size)).map((s) => s.id)).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });
});
