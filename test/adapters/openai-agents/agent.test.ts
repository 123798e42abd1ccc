import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type AgentInputItem, MemorySession, OutputGuardrailTripwireTriggered, type Session, type SessionHistoryTransactionArgs } from '@openai/agents';
import { assistantMessage, functionCall } from '@openai/agents/testing';
import { AgentStorageSession } from '../../../src/adapters/openai-agents/index.js';
import { describe, expect, it } from '../../support/server-fixture.js';
import { firstTurn, secondTurn, turn } from './agent.js';

/*
 * A real Agent with a real tool, run by the SDK's runner on AgentStorageSession and a real
 * server: the first turn persists, ANOTHER PROCESS continues the conversation from the stored
 * session, popItem undoes the last turn, a compaction replaces the history and the next run works
 * from it, the replaced items stay readable as superseded. The same script on the SDK's
 * MemorySession (continued in process) must leave the same items at every step. And a turn an
 * output guardrail blocks after its tool ran, which the runner persists by a history transaction.
 */

const CONTINUE = fileURLToPath(new URL('./continue.ts', import.meta.url));
const exec = promisify(execFile);

type Continued = Awaited<ReturnType<typeof secondTurn>>;

const COMPACTION: AgentInputItem = { type: 'compaction', encrypted_content: 'summary: the user asked about the weather in Paris' };

/** What the runner does with a session that cannot replace its history itself. */
async function compact(session: Session, items: AgentInputItem[]) {
  if (session.replaceHistoryWithCompaction) return session.replaceHistoryWithCompaction(items);
  await session.clearSession();
  await session.addItems(items);
}

async function scenario(session: Session, continueConversation: () => Promise<Continued>) {
  const first = await firstTurn(session);
  const afterFirst = await session.getItems();
  const second = await continueConversation();
  const afterSecond = await session.getItems();
  const lastTwo = await session.getItems(2);
  // Undo the second turn: its answer, then its question.
  const popped = [await session.popItem(), await session.popItem()];
  const afterPop = await session.getItems();
  await compact(session, [COMPACTION, ...afterPop.slice(-1)]);
  const afterCompaction = await session.getItems();
  const third = await turn(session, 'Still sunny?', [assistantMessage('Still sunny.')]);
  const final = await session.getItems();
  return { first, afterFirst, second, afterSecond, lastTwo, popped, afterPop, afterCompaction, third, final };
}

describe('an OpenAI Agents run on AgentStorageSession', () => {
  it('persists, continues in another process, pops and compacts, as on MemorySession', async ({ server }) => {
    const session = new AgentStorageSession({ url: server.url, agentName: 'forecaster', userId: 'user-7' });
    const ours = await scenario(session, async () => {
      const { stdout } = await exec(process.execPath, ['--import', 'tsx', CONTINUE, server.url, await session.getSessionId()], { encoding: 'utf8' });
      return JSON.parse(stdout) as Continued;
    });
    const memorySession = new MemorySession();
    const memory = await scenario(memorySession, () => secondTurn(memorySession));

    const sessionId = await session.getSessionId();
    expect(sessionId).toMatch(/^session_/);
    expect(await session.client.sessions.get(sessionId)).toMatchObject({ agentName: 'forecaster', userId: 'user-7' });

    expect(ours.first.finalOutput).toBe('It is sunny in Paris.');
    expect(ours.afterFirst.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call_result', 'message']);
    // The other process's model was given the whole stored conversation, then the new question.
    expect(ours.second.inputs[0]).toEqual([...ours.afterFirst, { type: 'message', role: 'user', content: 'And what did I ask?' }]);
    expect(ours.afterSecond).toHaveLength(6);
    expect(ours.lastTwo).toEqual(ours.afterSecond.slice(-2));
    expect(ours.popped).toEqual(ours.afterSecond.slice(-2).reverse());
    expect(ours.afterPop).toEqual(ours.afterFirst);
    expect(ours.afterCompaction).toEqual([COMPACTION, ours.afterFirst.at(-1)]);
    // The next run starts from the compaction: what it replaced is not sent to the model again.
    expect(ours.third.inputs[0]).toEqual([...ours.afterCompaction, { type: 'message', role: 'user', content: 'Still sunny?' }]);
    expect(ours.final).toHaveLength(4);
    expect(ours).toEqual(memory);

    // What the history looks like in the service: one message per item, its role from the item.
    const stored = await session.client.history.list(sessionId);
    expect(stored.nodes.map((message) => message.item)).toEqual(ours.final);
    expect(stored.nodes.map((message) => message.role)).toEqual(['ASSISTANT', 'ASSISTANT', 'USER', 'ASSISTANT']);
    // Nothing was destroyed: the popped and the compacted items are kept as superseded.
    const superseded = await session.client.history.superseded(sessionId);
    const byReason = (reason: string) => superseded.nodes.filter((entry) => entry.reason === reason).map((entry) => entry.message.item);
    expect(byReason('POPPED')).toEqual(expect.arrayContaining(ours.popped));
    const compacted = superseded.nodes.filter((entry) => entry.reason === 'COMPACTED').map((entry) => entry.message);
    expect(compacted.map((message) => message.item)).toEqual(ours.afterFirst);
    expect(compacted.map((message) => message.role)).toEqual(['USER', 'ASSISTANT', 'TOOL', 'ASSISTANT']);
  });

  it('persists a turn an output guardrail blocked after a tool ran, by a history transaction, as on MemorySession', async ({ server }) => {
    /** The turn, and the transactions the runner applied to the session. */
    const blockedTurn = async (session: Session & { applyHistoryTransaction(args: SessionHistoryTransactionArgs): Promise<void> }) => {
      const applied: SessionHistoryTransactionArgs[] = [];
      const apply = session.applyHistoryTransaction.bind(session);
      session.applyHistoryTransaction = (args) => (applied.push(structuredClone(args)), apply(args));
      const script = [functionCall('get_weather', { city: 'Oslo' }, { callId: 'call_oslo' }), assistantMessage('The secret is: it snows.')];
      const error = await turn(session, 'Weather in Oslo?', script).catch((caught: unknown) => caught);
      return { error, applied, items: await session.getItems() };
    };
    const ours = await blockedTurn(new AgentStorageSession({ url: server.url }));
    const memory = await blockedTurn(new MemorySession());

    expect(ours.error).toBeInstanceOf(OutputGuardrailTripwireTriggered);
    // The question, the call and its result are kept (the tool ran); the blocked answer is not.
    expect(ours.applied.map((args) => args.transaction.type)).toEqual(['append_items']);
    expect(ours.items.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call_result']);
    expect(ours.items).toEqual(memory.items);
    expect(ours.applied.map((args) => args.transaction)).toEqual(memory.applied.map((args) => args.transaction));
  });
});
