import { isDeepStrictEqual } from 'node:util';
import type { AgentInputItem } from '@openai/agents-core';

/**
 * The storage work of one OpenAI Agents turn, as the SDK's runner asks it of a `Session`: read the
 * newest 50 items of the conversation (`getItems(50)`), then save what the turn produced
 * (`addItems`: the user's message, the model's function call and the tool's result). The same code
 * drives every subject — MemorySession in process, a bare node:http server, the service — through
 * the two methods below, so only the storage differs.
 */

/** The part of the SDK's `Session` a turn uses. */
export interface TurnStore {
  getItems(limit?: number): Promise<AgentInputItem[]>;
  addItems(items: AgentInputItem[]): Promise<void>;
}

/** Items a session holds before the run: 50 earlier turns of 4 items each. */
export const HISTORY_ITEMS = 200;
/** Items one turn reads. */
export const READ_ITEMS = 50;

/**
 * One turn: what the runner reads before calling the model, then what it saves after the tool ran.
 * Answers what was read, and how long each half took (ms), to tell reading from writing.
 */
export async function turn(store: TurnStore, produced: AgentInputItem[]): Promise<{ history: AgentInputItem[]; readMs: number; writeMs: number }> {
  const t0 = performance.now();
  const history = await store.getItems(READ_ITEMS);
  const t1 = performance.now();
  await store.addItems(produced);
  return { history, readMs: t1 - t0, writeMs: performance.now() - t1 };
}

/**
 * The items of turn `n` of a conversation as the SDK records them: the user's message, the model's
 * call of a tool, the tool's result and (for earlier turns in the history) the assistant's answer.
 * Realistic sizes: ids, a JSON arguments string, a structured tool output.
 */
export function turnItems(session: number, n: number, withAnswer: boolean): AgentInputItem[] {
  const order = 10_000 + ((session * 7919 + n) % 90_000);
  const callId = `call_${session.toString(36)}_${n.toString(36)}_Xq3vTz8LmP2`;
  const items: AgentInputItem[] = [
    { type: 'message', role: 'user', content: `Turn ${n}: what is the status of order #${order}, and was the refund for the damaged item issued yet?` },
    {
      type: 'function_call',
      id: `fc_${session.toString(36)}_${n.toString(36)}_68c1a0f2e9d4`,
      callId,
      name: 'lookup_order',
      arguments: JSON.stringify({ order_id: `#${order}`, fields: ['status', 'refunds', 'shipping'], include_history: true }),
      status: 'completed',
    },
    {
      type: 'function_call_result',
      callId,
      name: 'lookup_order',
      status: 'completed',
      output: {
        type: 'text',
        text: JSON.stringify({ order_id: `#${order}`, status: 'delivered', refunds: [{ amount: '12.50', currency: 'EUR', issued: '2026-03-03' }], carrier: 'DHL', events: 4 }),
      },
    },
  ];
  if (withAnswer) {
    items.push({
      type: 'message',
      role: 'assistant',
      id: `msg_${session.toString(36)}_${n.toString(36)}_a7c0e1b9`,
      status: 'completed',
      content: [{ type: 'output_text', text: `Order #${order} was delivered by DHL. A refund of 12.50 EUR for the damaged item was issued on March 3rd.` }],
    });
  }
  return items;
}

/** The conversation a session holds before the run: HISTORY_ITEMS items. */
export function history(session: number): AgentInputItem[] {
  return Array.from({ length: HISTORY_ITEMS / 4 }, (_, n) => turnItems(session, n, true)).flat();
}

export interface TurnStats {
  turns: number;
  turnsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** The two halves of a turn: getItems(READ_ITEMS) and addItems, p50 and p99, ms. */
  read: { p50Ms: number; p99Ms: number };
  write: { p50Ms: number; p99Ms: number };
}

/** Percentile of ascending-sorted values (nearest rank). */
function at(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/**
 * Turns on `stores` for `durationMs` after `warmupMs`, `concurrency` loops at a time; a turn counts
 * when it starts inside the measured window. Loop `w` owns the stores `w, w + concurrency, …` and
 * goes round them, so no two turns run on one conversation at once (an agent's turns on a
 * conversation are sequential). `expected` keeps each conversation's newest READ_ITEMS items as
 * written, to check every read against; `next` its next turn number. The loops watch the clock
 * instead of waiting for a timer: an in-process store never yields to the event loop.
 */
export async function runTurns(stores: TurnStore[], expected: AgentInputItem[][], next: number[], options: { durationMs: number; warmupMs: number; concurrency: number }): Promise<TurnStats> {
  const times: number[] = [];
  const reads: number[] = [];
  const writes: number[] = [];
  const from = performance.now() + options.warmupMs;
  const until = from + options.durationMs;
  const loop = async (w: number) => {
    const own = stores.map((_, s) => s).filter((s) => s % options.concurrency === w);
    for (let i = 0; ; i++) {
      const t0 = performance.now();
      if (t0 >= until) return;
      const s = own[i % own.length]!;
      const produced = turnItems(s, next[s]!++, false);
      const { history, readMs, writeMs } = await turn(stores[s]!, produced);
      if (t0 >= from) {
        times.push(performance.now() - t0);
        reads.push(readMs);
        writes.push(writeMs);
      }
      if (!isDeepStrictEqual(history, expected[s])) throw new Error(`conversation ${s}: getItems(${READ_ITEMS}) did not return the newest ${READ_ITEMS} items as written`);
      expected[s] = [...expected[s]!, ...produced].slice(-READ_ITEMS);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, stores.length) }, (_, w) => loop(w)));
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  const half = (values: number[]) => ({ p50Ms: at(sorted(values), 50), p99Ms: at(values, 99) });
  sorted(times);
  return { turns: times.length, turnsPerSec: times.length / (options.durationMs / 1000), p50Ms: at(times, 50), p99Ms: at(times, 99), read: half(reads), write: half(writes) };
}
