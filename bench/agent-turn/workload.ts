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
  /** Turns per second: one at a time, 1 / the mean turn; at once, turns in the window / its length. */
  turnsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** The two halves of a turn: getItems(READ_ITEMS) and addItems, p50 and p99, ms. */
  read: { p50Ms: number; p99Ms: number };
  write: { p50Ms: number; p99Ms: number };
}

/**
 * One subject's conversations: a store each, the newest READ_ITEMS items written to each (every
 * read is checked against them) and each one's next turn number.
 */
export interface Conversations {
  stores: TurnStore[];
  expected: AgentInputItem[][];
  next: number[];
}

export function conversations(stores: TurnStore[], histories: AgentInputItem[][]): Conversations {
  return { stores, expected: histories.map((items) => items.slice(-READ_ITEMS)), next: histories.map((items) => items.length / 4) };
}

/** Percentile of ascending-sorted values (nearest rank). */
function at(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

class Timings {
  readonly turns: number[] = [];
  readonly reads: number[] = [];
  readonly writes: number[] = [];

  stats(turnsPerSec?: number): TurnStats {
    const sorted = (values: number[]) => values.sort((a, b) => a - b);
    const half = (values: number[]) => ({ p50Ms: at(sorted(values), 50), p99Ms: at(values, 99) });
    const mean = this.turns.reduce((sum, t) => sum + t, 0) / this.turns.length;
    sorted(this.turns);
    return { turns: this.turns.length, turnsPerSec: turnsPerSec ?? 1000 / mean, p50Ms: at(this.turns, 50), p99Ms: at(this.turns, 99), read: half(this.reads), write: half(this.writes) };
  }
}

/** Turn `n` on conversation `s` of a subject, timed into `timings` when `measured`; checks what was read. */
async function timedTurn(subject: Conversations, s: number, timings: Timings, measured: boolean): Promise<void> {
  const produced = turnItems(s, subject.next[s]!++, false);
  const t0 = performance.now();
  const { history, readMs, writeMs } = await turn(subject.stores[s]!, produced);
  if (measured) {
    timings.turns.push(performance.now() - t0);
    timings.reads.push(readMs);
    timings.writes.push(writeMs);
  }
  if (!isDeepStrictEqual(history, subject.expected[s])) throw new Error(`conversation ${s}: getItems(${READ_ITEMS}) did not return the newest ${READ_ITEMS} items as written`);
  subject.expected[s] = [...subject.expected[s]!, ...produced].slice(-READ_ITEMS);
}

/*
 * The loops below watch the clock instead of waiting for a timer: an in-process store never yields
 * to the event loop. A turn is measured when it starts inside the window (after `warmupMs`).
 */

/**
 * Turns one at a time for `durationMs` after `warmupMs`, the subjects taking turns: one turn on
 * the first, one on the second, …, each round in another order. Each subject's turns are timed
 * under the same conditions as the others', however the machine's load moves meanwhile.
 */
export async function interleavedTurns(subjects: Conversations[], options: { durationMs: number; warmupMs: number }): Promise<TurnStats[]> {
  const timings = subjects.map(() => new Timings());
  const from = performance.now() + options.warmupMs;
  const until = from + options.durationMs;
  for (let round = 0; ; round++) {
    const started = performance.now();
    if (started >= until) break;
    for (let k = 0; k < subjects.length; k++) {
      const which = (round + k) % subjects.length;
      const subject = subjects[which]!;
      await timedTurn(subject, round % subject.stores.length, timings[which]!, started >= from);
    }
  }
  return timings.map((t) => t.stats());
}

/**
 * Turns of one subject, `concurrency` at a time, for `durationMs` after `warmupMs`. Loop `w` goes
 * round the conversations `w, w + concurrency, …` only, so no two turns run on one conversation at
 * once (an agent's turns on a conversation are sequential).
 */
export async function concurrentTurns(subject: Conversations, options: { durationMs: number; warmupMs: number; concurrency: number }): Promise<TurnStats> {
  const timings = new Timings();
  const from = performance.now() + options.warmupMs;
  const until = from + options.durationMs;
  const loop = async (w: number) => {
    const own = subject.stores.map((_, s) => s).filter((s) => s % options.concurrency === w);
    for (let i = 0; ; i++) {
      const started = performance.now();
      if (started >= until) return;
      await timedTurn(subject, own[i % own.length]!, timings, started >= from);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, subject.stores.length) }, (_, w) => loop(w)));
  return timings.stats(timings.turns.length / (options.durationMs / 1000));
}
