import fc from 'fast-check';
import { expect } from 'vitest';
import { parseInput } from '../../../src/domain/inputs.js';
import { Storage } from '../../../src/storage/storage.js';
import { searchInput, type SearchService } from '../../../src/modules/search/service.js';
import { describeOnDatabases } from '../../support/store-fixture.js';

/**
 * Search over a generated corpus: 10,000 messages across 200 sessions in each of two tenants (two
 * databases), ordinary words drawn at random, and phrases planted in known messages — with decoys
 * (the same words apart, or in the other order). Every planted message is found, and nothing else;
 * over pages; ranked by how often the phrase occurs; never across tenants.
 */

const SESSIONS = 200;
const PER_SESSION = 50;
const VOCABULARY = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}`);

interface Planted {
  /** Message ids with the phrase once, and twice. */
  once: string[];
  twice: string[];
}

/** Fills a tenant's storage; the ids of the messages holding `phrase` (once or twice). */
async function corpus(storage: Storage, seed: number, phrase: string): Promise<Planted> {
  const rng = fc.sample(fc.integer({ min: 0, max: 1_000_000 }), { numRuns: SESSIONS * PER_SESSION * 12, seed });
  let r = 0;
  const next = (n: number) => rng[r++ % rng.length]! % n;
  const [first, second] = phrase.split(' ') as [string, string];
  const planted: Planted = { once: [], twice: [] };
  for (let s = 0; s < SESSIONS; s++) {
    const session = await storage.sessions.create({ agentName: `agent-${s % 7}`, userId: `user-${s % 13}`, status: 'active', metadata: {} });
    const kinds: ('plain' | 'once' | 'twice' | 'decoy')[] = [];
    const messages = Array.from({ length: PER_SESSION }, () => {
      const words = Array.from({ length: 6 + next(10) }, () => VOCABULARY[next(VOCABULARY.length)]!);
      const roll = next(100);
      const kind = roll < 2 ? 'once' : roll < 3 ? 'twice' : roll < 8 ? 'decoy' : 'plain';
      const at = next(words.length);
      if (kind === 'once') words.splice(at, 0, first, second);
      if (kind === 'twice') words.splice(at, 0, first, second, 'and', first.toUpperCase(), second);
      // The words apart, or in the other order: not the phrase.
      if (kind === 'decoy') words.splice(at, 0, ...(next(2) === 0 ? [second, first] : [first, 'wx', second]));
      kinds.push(kind);
      return { role: (['user', 'assistant'] as const)[next(2)]!, content: `${words.join(' ')}.`, metadata: {} };
    });
    const added = await storage.history.addMany(session.id, messages);
    added.forEach((m, i) => {
      if (kinds[i] === 'once') planted.once.push(m.id);
      if (kinds[i] === 'twice') planted.twice.push(m.id);
    });
  }
  return planted;
}

/** Every result of a search, page after page. */
async function everything(search: SearchService, query: string): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let total = -1;
  do {
    const page: Awaited<ReturnType<SearchService['search']>> = await search.search(parseInput(searchInput, { query, limit: 100, cursor }));
    if (total === -1) total = page.totalCount;
    ids.push(...page.hits.map((h) => h.message.id));
    cursor = page.nextCursor;
  } while (cursor);
  return { ids, total };
}

describeOnDatabases('search over a 10,000-message corpus in two tenants', (test) => {
  test('finds exactly the planted phrases, ranked by how often they occur, never across tenants', { timeout: 120_000 }, async ({ storage, otherBackend, clock, ids }) => {
    const other = new Storage(otherBackend, clock, ids);
    const acme = await corpus(storage, 1, 'refund policy');
    const beta = await corpus(other, 2, 'refund policy');
    expect(acme.once.length + acme.twice.length).toBeGreaterThan(100);

    const found = await everything(storage.search, '"refund policy"');
    expect(new Set(found.ids).size).toBe(found.ids.length);
    expect([...found.ids].sort()).toEqual([...acme.once, ...acme.twice].sort());
    expect(found.total).toBe(found.ids.length);
    // Twice before once.
    const rank = new Map(found.ids.map((id, i) => [id, i]));
    expect(Math.max(...acme.twice.map((id) => rank.get(id)!))).toBeLessThan(Math.min(...acme.once.map((id) => rank.get(id)!)));

    const theirs = await everything(other.search, '"refund policy"');
    expect([...theirs.ids].sort()).toEqual([...beta.once, ...beta.twice].sort());
    const mine = new Set(found.ids);
    expect(theirs.ids.some((id) => mine.has(id))).toBe(false);

    // The words apart find the decoys too; the prefix finds what the words find.
    const apart = await everything(storage.search, 'refund policy');
    expect(apart.ids.length).toBeGreaterThan(found.ids.length);
    for (const id of found.ids) expect(apart.ids).toContain(id);
    expect((await everything(storage.search, 'refun* polic*')).ids.sort()).toEqual([...apart.ids].sort());
    expect((await storage.search.count(parseInput(searchInput, { query: VOCABULARY[0]! }))).totalCount).toBeGreaterThan(100);
  });
});
