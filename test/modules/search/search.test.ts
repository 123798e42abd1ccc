import fc from 'fast-check';
import { describe, expect, it as plainIt } from 'vitest';
import { sql } from 'kysely';
import type { DomainError } from '../../../src/domain/errors.js';
import { parseInput } from '../../../src/domain/inputs.js';
import { compileStatement } from '../../../src/db/statements.js';
import { searchInput, type SearchInput } from '../../../src/modules/search/service.js';
import { describeOnDatabases } from '../../support/store-fixture.js';

/**
 * Full-text search over the history, on every database, through the search service as the doors
 * call it: what is found, in what order, with which filters, across pages while messages are
 * added, and that the index follows every write of the history (in the write's own transaction).
 */

const input = (query: string, rest: Record<string, unknown> = {}): SearchInput => parseInput(searchInput, { query, ...rest });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as DomainError).code ?? `unexpected: ${(error as Error).message}`;
  }
  return 'ok';
}

describeOnDatabases('history search', (test) => {
  const it = test.extend('search', ({ storage }) => storage.search);

  it('finds words, phrases, prefixes, alternatives and exclusions; ranks repeated terms higher', async ({ storage, search, session }) => {
    const s = await session();
    const [once, twice, other, phrase, , prefixed] = await storage.history.addMany(s.id, [
      { role: 'user', content: 'I want a refund for my order', metadata: {} },
      { role: 'user', content: 'Refund! I said refund, please.', metadata: {} },
      { role: 'assistant', content: 'Your order has shipped', metadata: {} },
      { role: 'assistant', content: 'Our refund policy allows returns within 30 days', metadata: {} },
      { role: 'user', content: 'policy questions about a refund later', metadata: {} },
      { role: 'user', content: 'Refunding takes a week', metadata: {} },
    ]);
    const ids = async (q: string) => (await search.search(input(q))).hits.map((h) => h.message.id);

    const refund = await search.search(input('refund'));
    expect(refund.hits[0]!.message.id).toBe(twice!.id);
    expect(refund.hits.map((h) => h.message.id)).toContain(once!.id);
    expect(refund.totalCount).toBe(4);
    expect(refund.totalCountIsEstimate).toBe(false);
    expect(refund.hits[0]!.score).toBeGreaterThan(refund.hits.find((h) => h.message.id === once!.id)!.score);

    expect(await ids('"refund policy"')).toEqual([phrase!.id]);
    expect((await ids('refund*')).sort()).toEqual([once!.id, twice!.id, phrase!.id, prefixed!.id, (await ids('later'))[0]!].sort());
    expect((await ids('shipped OR returns')).sort()).toEqual([other!.id, phrase!.id].sort());
    expect(await ids('refund -policy -said')).toEqual([once!.id]);
    expect(await ids('REFUND ORDER')).toEqual([once!.id]);

    const hit = refund.hits.find((h) => h.message.id === once!.id)!;
    expect(hit.snippet).toBe('I want a refund for my order');
    expect(hit.highlights.map(([a, b]) => hit.snippet.slice(a, b))).toEqual(['refund']);
    expect(hit.sessionId).toBe(s.id);
  });

  it('finds structured items by their text, and long messages by a snippet around the hit', async ({ storage, search, session }) => {
    const s = await session();
    const [call] = await storage.history.addMany(s.id, [
      { role: 'assistant', content: 'calling a tool', item: { type: 'function_call', name: 'lookup', arguments: '{"city":"Reykjavik"}' }, metadata: {} },
      { role: 'user', content: `${'filler words here '.repeat(40)}the zebra crossing${' and more text'.repeat(20)}`, metadata: {} },
    ]);
    const [byItem] = (await search.search(input('reykjavik'))).hits;
    expect(byItem!.message.id).toBe(call!.id);
    expect(byItem!.highlights.map(([a, b]) => byItem!.snippet.slice(a, b))).toEqual(['Reykjavik']);
    const [long] = (await search.search(input('"zebra crossing"'))).hits;
    expect(long!.snippet.startsWith('…')).toBe(true);
    expect(long!.snippet.endsWith('…')).toBe(true);
    expect(long!.snippet.length).toBeLessThanOrEqual(202);
    expect(long!.highlights.map(([a, b]) => long!.snippet.slice(a, b))).toEqual(['zebra crossing']);
  });

  it('keeps to every filter', async ({ storage, search, session, clock }) => {
    const a = await session({ agentName: 'support', userId: 'u-1', metadata: { plan: 'pro', n: 3 } });
    const b = await session({ agentName: 'sales', userId: 'u-2', status: 'ended', metadata: { plan: 'free' } });
    const t0 = clock.iso();
    await storage.history.add({ sessionId: a.id, role: 'user', content: 'apple from a user', metadata: { lang: 'en' } });
    clock.advance(60_000);
    const t1 = clock.iso();
    await storage.history.add({ sessionId: a.id, role: 'assistant', content: 'apple from the assistant', metadata: { lang: 'de', n: 1 } });
    await storage.history.add({ sessionId: b.id, role: 'user', content: 'apple in another session', metadata: {} });
    const count = async (rest: Record<string, unknown>) => (await search.search(input('apple', rest))).totalCount;
    expect(await count({})).toBe(3);
    expect(await count({ agentName: 'support' })).toBe(2);
    expect(await count({ userId: 'u-2' })).toBe(1);
    expect(await count({ sessionIds: [b.id] })).toBe(1);
    expect(await count({ sessionIds: [a.id, b.id] })).toBe(3);
    expect(await count({ roles: ['assistant'] })).toBe(1);
    expect(await count({ roles: ['assistant', 'user'] })).toBe(3);
    expect(await count({ status: 'ended' })).toBe(1);
    expect(await count({ since: t1 })).toBe(2);
    expect(await count({ until: t1 })).toBe(1);
    expect(await count({ since: t0, until: t1, agentName: 'support' })).toBe(1);
    expect(await count({ metadata: { lang: 'de' } })).toBe(1);
    expect(await count({ metadata: { lang: 'de', n: 1 } })).toBe(1);
    expect(await count({ metadata: { n: '1' } })).toBe(0);
    expect(await count({ sessionMetadata: { plan: 'pro' } })).toBe(2);
    expect(await count({ sessionMetadata: { plan: 'pro', n: 3 } })).toBe(2);
    expect(await count({ sessionMetadata: { missing: null } })).toBe(0);
  });

  it('pages without repeating or skipping while messages are added, and refuses a cursor of another search', async ({ storage, search, session }) => {
    const s = await session();
    const words = ['alpha', 'alpha alpha', 'alpha beta', 'alpha alpha alpha beta', 'beta alpha gamma'];
    await storage.history.addMany(s.id, Array.from({ length: 40 }, (_, i) => ({ role: 'user' as const, content: `${words[i % words.length]} number ${i}`, metadata: {} })));
    const before = new Set((await search.search(input('alpha beta OR gamma', { limit: 100 }))).hits.map((h) => h.message.id));
    const seen: string[] = [];
    let cursor: string | null = null;
    let extra = 0;
    do {
      const page: Awaited<ReturnType<typeof search.page>> = await search.page(input('alpha beta OR gamma', { limit: 3, cursor }));
      seen.push(...page.hits.map((h) => h.message.id));
      cursor = page.nextCursor;
      // More matching messages, of every score, between pages.
      await storage.history.add({ sessionId: s.id, role: 'user', content: `${words[extra++ % words.length]} beta added later`, metadata: {} });
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);

    const first = await search.page(input('alpha', { limit: 1 }));
    expect(await codeOf(search.page(input('beta', { limit: 1, cursor: first.nextCursor })))).toBe('BAD_USER_INPUT');
    expect(await codeOf(search.page(input('alpha', { limit: 1, cursor: 'not-a-cursor' })))).toBe('BAD_USER_INPUT');
  });

  it('follows every write of the history: replace, pop, rewrite, clear, fork, expiry, deletion', async ({ storage, search, session, clock }) => {
    const ids = async (q: string) => (await search.search(input(q))).hits.map((h) => h.message.id).sort();
    const s = await session();
    const [kept, popped] = await storage.history.addMany(s.id, [
      { role: 'user', content: 'walrus one', idempotencyKey: 'k1', metadata: {} },
      { role: 'user', content: 'walrus two', metadata: {} },
    ]);
    await storage.history.addMany(s.id, [{ role: 'user', content: 'narwhal one', idempotencyKey: 'k1', metadata: {} }], { onConflict: 'replace' });
    expect(await ids('narwhal')).toEqual([kept!.id]);
    expect(await ids('walrus')).toEqual([popped!.id]);
    await storage.history.pop(s.id);
    expect(await ids('walrus')).toEqual([]);
    const rewritten = await storage.history.rewrite(s.id, { operationId: 'op', expectedLastSeq: kept!.seq, replaceLast: 1, expectedItems: null, messages: [{ role: 'assistant', content: 'summary of the narwhal talk', metadata: {} }], reason: 'compacted' });
    expect(await ids('narwhal')).toEqual([rewritten.messages[0]!.id]);
    const { session: fork } = await storage.sessions.fork(s.id, rewritten.messages[0]!.id);
    expect((await search.search(input('narwhal'))).hits.map((h) => h.sessionId).sort()).toEqual([s.id, fork.id].sort());
    await storage.history.clear(s.id);
    expect((await search.search(input('narwhal'))).hits.map((h) => h.sessionId)).toEqual([fork.id]);
    await storage.sessions.delete(fork.id);
    expect(await ids('narwhal')).toEqual([]);

    const expiring = await session({ ttlSeconds: 60 });
    await storage.history.add({ sessionId: expiring.id, role: 'user', content: 'ephemeral', metadata: {} });
    expect(await ids('ephemeral')).toHaveLength(1);
    clock.advance(61_000);
    expect(await ids('ephemeral')).toEqual([]);
  });

  it('indexes messages stored before search existed, in batches', async ({ storage, search, session, backend }) => {
    const s = await session();
    await storage.history.addMany(s.id, Array.from({ length: 25 }, (_, i) => ({ role: 'user' as const, content: `backlog item ${i}`, metadata: {} })));
    await storage.sessions.update(s.id, { metadata: { note: 'backlog owner' } });
    await storage.artifacts.create({ sessionId: s.id, name: 'backlog.csv', type: 'table', path: '/b.csv', size: 1, metadata: {} });
    // As a database migrated from an older version has them: no search words yet.
    for (const table of ['history', 'sessions', 'artifacts']) {
      const forget = compileStatement(`forget_${table}`, () => sql`UPDATE ${sql.raw(table)} SET search_text = NULL`, backend.runner.dialect);
      await backend.runner.write(forget, {});
    }
    expect((await search.search(input('backlog'))).totalCount).toBe(0);
    expect((await search.count(input('backlog'), 'sessions')).totalCount).toBe(0);
    // A batch of each kind: 10 messages, the session, the artifact.
    expect(await search.indexPending(10)).toBe(12);
    expect((await search.search(input('backlog'))).totalCount).toBe(10);
    expect((await search.count(input('backlog'), 'sessions')).totalCount).toBe(1);
    expect((await search.count(input('backlog'), 'artifacts')).totalCount).toBe(1);
    while ((await search.indexPending(10)) > 0);
    expect((await search.search(input('backlog'))).totalCount).toBe(25);
    expect(await search.indexPending(10)).toBe(0);
  });

  it('finds sessions by their metadata and artifacts by name, type and metadata, as they are written, changed and deleted', async ({ storage, search, session }) => {
    const a = await session({ agentName: 'support', metadata: { topic: 'Refund for order 4417', tags: ['billing', 'urgent'], plan: 'pro' } });
    const b = await session({ agentName: 'sales', status: 'ended', metadata: { topic: 'renewal pricing' } });
    const report = await storage.artifacts.create({ sessionId: a.id, name: 'refund-report.pdf', type: 'document', path: '/r.pdf', size: 10, metadata: { lang: 'en', about: 'chargebacks' } });
    await storage.artifacts.create({ sessionId: b.id, name: 'pricing.xlsx', type: 'spreadsheet', path: '/p.xlsx', size: 10, metadata: {} });
    const sessions = async (q: string, rest: Record<string, unknown> = {}) => (await search.sessions(input(q, rest))).hits.map((h) => h.session.id);
    const artifacts = async (q: string, rest: Record<string, unknown> = {}) => (await search.artifacts(input(q, rest))).hits.map((h) => h.artifact.id);

    expect(await sessions('refund')).toEqual([a.id]);
    expect(await sessions('4417 urgent')).toEqual([a.id]);
    expect(await sessions('pro')).toEqual([a.id]); // a value, not a key: "plan" finds nothing
    expect(await sessions('plan')).toEqual([]);
    expect(await sessions('renewal OR refund', { status: 'ended' })).toEqual([b.id]);
    expect(await sessions('renewal OR refund', { agentName: 'support' })).toEqual([a.id]);
    const [hit] = (await search.sessions(input('order'))).hits;
    expect(hit!.snippet).toBe('Refund for order 4417 · billing · urgent · pro');
    expect(hit!.highlights.map(([x, y]) => hit!.snippet.slice(x, y))).toEqual(['order']);
    expect((await search.count(input('refund'), 'sessions')).totalCount).toBe(1);

    await storage.sessions.update(a.id, { metadata: { topic: 'closed' } });
    expect(await sessions('refund')).toEqual([]);
    expect(await sessions('closed')).toEqual([a.id]);

    expect(await artifacts('refund')).toEqual([report.id]);
    expect(await artifacts('document chargebacks')).toEqual([report.id]);
    expect(await artifacts('spreadsheet OR document', { metadata: { lang: 'en' } })).toEqual([report.id]);
    expect(await artifacts('spreadsheet OR document', { sessionIds: [b.id] })).toHaveLength(1);
    const [found] = (await search.artifacts(input('pdf'))).hits;
    expect(found!.snippet).toBe('refund-report.pdf · document · en · chargebacks');
    expect(found!.sessionId).toBe(a.id);

    expect(await codeOf(search.sessions(input('x', { roles: ['user'] })))).toBe('BAD_USER_INPUT');
    expect(await codeOf(search.sessions(input('x', { metadata: { a: 1 } })))).toBe('BAD_USER_INPUT');
    expect(await codeOf(search.artifacts(input('x', { roles: ['user'] })))).toBe('BAD_USER_INPUT');

    await storage.artifacts.delete(report.id);
    expect(await artifacts('refund')).toEqual([]);
    await storage.sessions.delete(b.id);
    expect(await sessions('renewal')).toEqual([]);
    expect(await artifacts('pricing')).toEqual([]);
  });

  it('answers any query text with results or a 400, never a database error', async ({ storage, search, session }) => {
    const s = await session();
    await storage.history.add({ sessionId: s.id, role: 'user', content: 'NEAR the "quoted" thing: AND OR NOT * ^ ( ) col:umn -minus', metadata: {} });
    const hostile = ['"', '""', '*', '"*"', 'NEAR(a b)', 'col:umn', 'a AND OR NOT b', '-', '- -x', '(((', 'a"b"c', '\u0000', 'x\u0000y', "'; DROP TABLE history; --", '^a', 'a* *b', 'OR', 'OR OR a', 'a OR', 'x'.repeat(10_000), 'é*', '"unclosed phrase'];
    const arbitrary = fc.sample(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', '*', '-', ':', '(', ')', '^', 'O', 'R', 'N', 'E', 'A', '\u0000', 'é', '\'', '\\') , maxLength: 30 }), { numRuns: 150, seed: 17 });
    for (const q of [...hostile, ...arbitrary]) {
      const parsed = searchInput.safeParse({ query: q });
      if (!parsed.success) continue; // a 400 at the door
      expect(['ok', 'BAD_USER_INPUT']).toContain(await codeOf(search.search(parsed.data)));
    }
    expect((await search.search(input('col:umn'))).totalCount).toBe(1);
    expect((await search.search(input('"quoted thing"'))).totalCount).toBe(1);
  });
});

describe('search input', () => {
  plainIt('says what is wrong with a query', () => {
    expect(searchInput.safeParse({ query: '' }).error?.issues[0]?.message).toMatch(/no word/);
    expect(searchInput.safeParse({ query: '-only -excluded' }).error?.issues[0]?.message).toMatch(/not excluded/);
    expect(searchInput.safeParse({ query: 'x'.repeat(5000) }).error?.issues[0]?.message).toMatch(/at most 4096/);
    expect(searchInput.safeParse({ query: Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ') }).error?.issues[0]?.message).toMatch(/at most 32 terms/);
  });
});
