import { type AgentInputItem, MemorySession, type SessionHistoryTransactionArgs, UserError } from '@openai/agents';
import { AgentStorageSession } from '../../../src/adapters/openai-agents/index.js';
import { describe, expect, it } from '../../support/server-fixture.js';

/*
 * The SDK's optional history capabilities on a real server: applyHistoryTransaction (atomic,
 * idempotent by operation id, compare-and-set on the suffix) step by step beside MemorySession —
 * the same outcomes, the same errors, the same items — then under contention: many session objects
 * on one service session rewriting at once, where exactly the transactions whose expectation holds
 * win and every replaced item stays readable. And applyHistoryMutations beside MemorySession.
 */

const user = (text: string): AgentInputItem => ({ type: 'message', role: 'user', content: text });
const answer = (text: string): AgentInputItem => ({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] });
const call = (callId: string, city: string): AgentInputItem => ({ type: 'function_call', name: 'get_weather', callId, status: 'completed', arguments: JSON.stringify({ city }) });
const image = (bytes: number[]): AgentInputItem => ({
  type: 'function_call_result',
  name: 'snapshot',
  callId: 'call_img',
  status: 'completed',
  output: { type: 'image', image: { data: new Uint8Array(bytes), mediaType: 'image/png' } },
});

const append = (operationId: string, items: AgentInputItem[]): SessionHistoryTransactionArgs => ({ operationId, transaction: { type: 'append_items', items } });
const replace = (operationId: string, expectedSuffix: AgentInputItem[], replacement: AgentInputItem[]): SessionHistoryTransactionArgs => ({
  operationId,
  transaction: { type: 'replace_suffix', expectedSuffix, replacement },
});

/** What a call did: done, or the UserError's message. */
async function outcome(apply: () => Promise<void> | void): Promise<string> {
  try {
    await apply();
    return 'ok';
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
}

type TransactionSession = Pick<AgentStorageSession, 'applyHistoryTransaction' | 'getItems'>;

/** The steps, each with the items after it. */
async function transactionScenario(session: TransactionSession) {
  const steps: { step: string; outcome: string; items: AgentInputItem[] }[] = [];
  const step = async (name: string, args: unknown) => {
    steps.push({ step: name, outcome: await outcome(() => session.applyHistoryTransaction(args as SessionHistoryTransactionArgs)), items: await session.getItems() });
  };
  await step('append', append('op-1', [user('a'), answer('b'), image([1, 2, 3])]));
  await step('append replayed', append('op-1', [user('a'), answer('b'), image([1, 2, 3])]));
  await step('append: same id, other items', append('op-1', [user('a')]));
  await step('replace the suffix (with bytes)', replace('op-2', [answer('b'), image([1, 2, 3])], [answer('b2'), image([4, 5])]));
  await step('replace replayed', replace('op-2', [answer('b'), image([1, 2, 3])], [answer('b2'), image([4, 5])]));
  await step('replace: same id, other replacement', replace('op-2', [answer('b'), image([1, 2, 3])], [answer('b3')]));
  await step('replace a stale suffix', replace('op-3', [answer('b'), image([1, 2, 3])], [answer('x')]));
  await step('replace a suffix longer than the history', replace('op-4', [user('z'), user('a'), answer('b2'), image([4, 5])], []));
  await step('replace bytes that differ', replace('op-5', [image([4, 6])], []));
  await step('replace the whole history with nothing', replace('op-6', [user('a'), answer('b2'), image([4, 5])], []));
  await step('replace an empty suffix (an append)', replace('op-7', [], [user('c')]));
  await step('empty operation id', append('  ', [user('x')]));
  await step('unknown type', { operationId: 'op-8', transaction: { type: 'truncate' } });
  await step('extra field', { operationId: 'op-9', transaction: { type: 'append_items', items: [], extra: 1 } });
  await step('not an item', append('op-10', [{ type: 'nonsense' } as unknown as AgentInputItem]));
  await step('unsupported data', append('op-11', [{ ...user('d'), providerData: { at: new Date(0) } } as AgentInputItem]));
  await step('no arguments', undefined);
  return steps;
}

describe('applyHistoryTransaction on AgentStorageSession', () => {
  it('applies, replays and refuses exactly as MemorySession does', async ({ server }) => {
    const ours = await transactionScenario(new AgentStorageSession({ url: server.url }));
    const memory = await transactionScenario(new MemorySession());
    expect(ours).toEqual(memory);
    // (Spelled out, so that both agreeing on something wrong would show.)
    expect(ours.map((s) => s.outcome)).toEqual([
      'ok',
      'ok',
      'Session history operation was already applied with a different transaction.',
      'ok',
      'ok',
      'Session history operation was already applied with a different transaction.',
      'Session history suffix no longer matches the transaction precondition.',
      'Session history suffix no longer matches the transaction precondition.',
      'Session history suffix no longer matches the transaction precondition.',
      'ok',
      'ok',
      'Session history transaction operationId must be a non-empty string.',
      'Unsupported session history transaction type.',
      'Session history append transaction fields are invalid.',
      'Session history transaction items contain invalid or unsupported data.',
      'Session history transaction items contain invalid or unsupported data.',
      'Session history transaction arguments are invalid.',
    ]);
    expect(ours.at(-1)!.items).toEqual([user('c')]);
  });

  it('keeps what a rewrite replaced as superseded, and recognises a retry from elsewhere', async ({ server }) => {
    const session = new AgentStorageSession({ url: server.url });
    await session.applyHistoryTransaction(append('turn-1', [user('q'), answer('draft')]));
    await session.applyHistoryTransaction(replace('turn-1:accept', [answer('draft')], [answer('final')]));
    expect(await session.getItems()).toEqual([user('q'), answer('final')]);
    // A retry from another process (another object: this one keeps no state) after more was
    // appended: recognised, nothing applied again.
    await session.addItems([user('next')]);
    const elsewhere = new AgentStorageSession({ url: server.url, sessionId: await session.getSessionId() });
    await elsewhere.applyHistoryTransaction(append('turn-1', [user('q'), answer('draft')]));
    await elsewhere.applyHistoryTransaction(replace('turn-1:accept', [answer('draft')], [answer('final')]));
    expect(await session.getItems()).toEqual([user('q'), answer('final'), user('next')]);
    const superseded = await session.client.history.superseded(await session.getSessionId());
    expect(superseded.nodes.map((entry) => [entry.reason, entry.message.item])).toEqual([['REWRITTEN', answer('draft')]]);
  });

  it('lets exactly the consistent transactions of 20 concurrent session objects win, losing nothing', async ({ server }) => {
    const owner = new AgentStorageSession({ url: server.url });
    const sessionId = await owner.getSessionId();
    const original = [user('q'), answer('a1'), answer('a2')];
    await owner.addItems(original);
    const objects = Array.from({ length: 20 }, () => new AgentStorageSession({ url: server.url, sessionId }));

    // Round 1: all 20 expect the same last item and replace it with their own: one wins, the
    // others find the suffix gone.
    const round1 = await Promise.all(objects.map((session, i) => outcome(() => session.applyHistoryTransaction(replace(`r1-${i}`, [answer('a2')], [answer(`w${i}`)])))));
    const winners = round1.flatMap((result, i) => (result === 'ok' ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(round1.filter((result) => result !== 'ok')).toEqual(Array(19).fill('Session history suffix no longer matches the transaction precondition.'));
    const winner = answer(`w${winners[0]}`);
    expect(await owner.getItems()).toEqual([user('q'), answer('a1'), winner]);

    // Round 2: half rewrite the last item as it is (each success moves the last seq but keeps the
    // suffix: the others' expectation still holds, so each retries until it wins), half expect
    // `a1` last (stale since round 1).
    const round2 = await Promise.all(
      objects.map((session, i) => outcome(() => session.applyHistoryTransaction(i % 2 === 0 ? replace(`r2-${i}`, [winner], [winner]) : replace(`r2-${i}`, [answer('a1')], [answer(`stale${i}`)])))),
    );
    expect(round2.filter((_, i) => i % 2 === 0)).toEqual(Array(10).fill('ok'));
    expect(round2.filter((_, i) => i % 2 === 1)).toEqual(Array(10).fill('Session history suffix no longer matches the transaction precondition.'));
    expect(await owner.getItems()).toEqual([user('q'), answer('a1'), winner]);

    // Round 3: half append, half expect `a2` last (replaced in round 1).
    const round3 = await Promise.all(
      objects.map((session, i) => outcome(() => session.applyHistoryTransaction(i % 2 === 0 ? append(`r3-${i}`, [user(`n${i}`)]) : replace(`r3-${i}`, [answer('a2')], [answer(`stale${i}`)])))),
    );
    expect(round3.filter((_, i) => i % 2 === 0)).toEqual(Array(10).fill('ok'));
    expect(round3.filter((_, i) => i % 2 === 1)).toEqual(Array(10).fill('Session history suffix no longer matches the transaction precondition.'));
    const live = await owner.getItems();
    expect(live.slice(0, 3)).toEqual([user('q'), answer('a1'), winner]);
    expect(live.slice(3)).toHaveLength(10);
    expect(live.slice(3)).toEqual(expect.arrayContaining(objects.flatMap((_, i) => (i % 2 === 0 ? [user(`n${i}`)] : []))));

    // Nothing lost: the replaced original and each replaced version of the winner are superseded,
    // one per successful rewrite; everything else is live.
    const superseded = await owner.client.history.superseded(sessionId);
    expect(superseded.nodes.map((entry) => entry.message.item)).toEqual([answer('a2'), ...Array(10).fill(winner)]);
    expect(new Set(superseded.nodes.map((entry) => entry.operationId)).size).toBe(11);
  });
});

describe('applyHistoryMutations on AgentStorageSession', () => {
  it('replaces a function call in place, as MemorySession does', async ({ server }) => {
    const ours = new AgentStorageSession({ url: server.url });
    const memory = new MemorySession();
    const history = [user('weather?'), call('call_1', 'Pari'), answer('checking'), call('call_2', 'Rome'), call('call_1', 'Pari'), answer('done')];
    const mutations = [
      { type: 'replace_function_call' as const, callId: 'call_1', replacement: call('call_1', 'Paris') as Extract<AgentInputItem, { type: 'function_call' }> },
      { type: 'replace_function_call' as const, callId: 'call_2', replacement: call('call_2', 'Roma') as Extract<AgentInputItem, { type: 'function_call' }> },
      { type: 'replace_function_call' as const, callId: 'call_none', replacement: call('call_none', 'Oslo') as Extract<AgentInputItem, { type: 'function_call' }> },
    ];
    for (const session of [ours, memory]) {
      await session.addItems(history);
      await session.applyHistoryMutations({ mutations });
    }
    expect(await ours.getItems()).toEqual(await memory.getItems());
    expect(await ours.getItems()).toEqual([user('weather?'), call('call_1', 'Paris'), answer('checking'), call('call_2', 'Roma'), answer('done')]);
  });
});
