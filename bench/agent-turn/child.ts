import { readFileSync } from 'node:fs';
import { openStores, type StoreSpec } from './stores.js';
import { history, READ_ITEMS, runTurns, type TurnStats } from './workload.js';

/*
 * One subject of the agent-turn benchmark, in a process of its own (run by bench/agent-turn/run.ts
 * with JSON on stdin): seeds `conversations` conversations of HISTORY_ITEMS items, runs turns one at
 * a time, then `concurrency` at a time, and prints the result as JSON.
 */

export interface ChildInput {
  store: StoreSpec;
  conversations: number;
  durationMs: number;
  warmupMs: number;
  concurrency: number;
}

export interface ChildResult {
  sequential: TurnStats;
  concurrent: TurnStats;
  /** Items each conversation held at the start, and on average at the end (every turn adds 3). */
  itemsAtStart: number;
  meanItemsAtEnd: number;
}

const input = JSON.parse(readFileSync(0, 'utf8')) as ChildInput;
const histories = Array.from({ length: input.conversations }, (_, i) => history(i));
const stores = await openStores(input.store, histories);
const expected = histories.map((items) => items.slice(-READ_ITEMS));
const next = histories.map((items) => items.length / 4);
const sequential = await runTurns(stores, expected, next, { durationMs: input.durationMs, warmupMs: input.warmupMs, concurrency: 1 });
const concurrent = await runTurns(stores, expected, next, { durationMs: input.durationMs, warmupMs: input.warmupMs, concurrency: input.concurrency });
const turnsRun = next.reduce((sum, n, i) => sum + n - histories[i]!.length / 4, 0);
const result: ChildResult = {
  sequential,
  concurrent,
  itemsAtStart: histories[0]!.length,
  meanItemsAtEnd: histories[0]!.length + (3 * turnsRun) / input.conversations,
};
process.stdout.write(JSON.stringify(result));
