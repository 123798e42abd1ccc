import { describe, expect, it as plainIt } from 'vitest';
import { countTokens } from '../../../src/modules/history/tokens.js';
import { describeOnDatabases } from '../../support/store-fixture.js';

/** Token counts (the client's, or the server's estimate when asked) and budget reads, on every database. */

describe('the server’s token count', () => {
  plainIt('is o200k_base, offline, and counts special-token text as text', async () => {
    expect(await countTokens(['', 'hello world', '<|endoftext|>'])).toEqual([0, 2, 7]);
  });
});

describeOnDatabases('token budgets', (test) => {
  const it = test.extend('history', ({ storage }) => storage.history);

  it('keeps the client’s counts, counts the others when asked, and reads the newest messages that fit', async ({ history, session }) => {
    const s = await session();
    const added = await history.addMany(s.id, [
      { role: 'system', content: 'You are terse.', tokenCount: 50, metadata: {} },
      { role: 'user', content: 'hello world', metadata: {} },
      { role: 'assistant', content: 'hi', tokenCount: 30, metadata: {} },
      { role: 'user', content: 'x'.repeat(40), metadata: {} },
    ], { countTokens: true });
    expect(added.map((m) => m.tokenCount)).toEqual([50, 2, 30, 5]);
    const plain = await history.add({ sessionId: s.id, role: 'assistant', content: 'abcdefghij', metadata: {} });
    expect(plain.tokenCount).toBeNull();
    expect((await history.list(s.id, { limit: 10 })).map((m) => m.tokenCount)).toEqual([50, 2, 30, 5, null]);

    // Unknown counts weigh a quarter of their characters, rounded up: 'abcdefghij' is 3.
    const fit = async (n: number) => (await history.latestWithinTokens(s.id, n)).map((m) => m.seq);
    expect(await fit(2)).toEqual([]);
    expect(await fit(3)).toEqual([5]);
    expect(await fit(8)).toEqual([4, 5]);
    expect(await fit(37)).toEqual([4, 5]);
    expect(await fit(38)).toEqual([3, 4, 5]);
    expect(await fit(40)).toEqual([2, 3, 4, 5]);
    expect(await fit(89)).toEqual([2, 3, 4, 5]);
    expect(await fit(90)).toEqual([1, 2, 3, 4, 5]);
    expect(await history.latestWithinTokens('session_unknown', 100)).toEqual([]);

    const other = await session();
    const within = await history.withinTokens([s.id, other.id], 8);
    expect(within.get(s.id)!.map((m) => m.seq)).toEqual([4, 5]);
    expect(within.get(other.id)).toEqual([]);
    const totals = await history.tokenTotals([s.id, other.id]);
    expect(totals.get(s.id)).toEqual({ tokens: 90, messages: 5, estimatedMessages: 1 });
    expect(totals.get(other.id)).toEqual({ tokens: 0, messages: 0, estimatedMessages: 0 });
  });
});
