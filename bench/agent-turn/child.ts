import { readFileSync } from 'node:fs';
import { openStores, type StoreSpec } from './stores.js';
import { concurrentTurns, conversations, HISTORY_ITEMS, history, interleavedTurns, type TurnStats } from './workload.js';

/*
 * Subjects of the agent-turn benchmark, driven from a process of their own (run by
 * bench/agent-turn/run.ts with JSON on stdin): each gets `conversations` conversations of
 * HISTORY_ITEMS items; then turns one at a time, the subjects taking turns (durationMs each), then
 * each subject's turns `concurrency` at a time (durationMs). Prints the results as JSON.
 */

export interface ChildInput {
  subjects: { id: string; store: StoreSpec }[];
  conversations: number;
  durationMs: number;
  warmupMs: number;
  concurrency: number;
}

export interface SubjectResult {
  sequential: TurnStats;
  concurrent: TurnStats;
  /** Items each conversation held on average at the end (HISTORY_ITEMS at the start; every turn adds 3). */
  meanItemsAtEnd: number;
}

const input = JSON.parse(readFileSync(0, 'utf8')) as ChildInput;
const histories = Array.from({ length: input.conversations }, (_, i) => history(i));
const subjects = await Promise.all(input.subjects.map(async ({ store }) => conversations(await openStores(store, histories), histories)));
const sequential = await interleavedTurns(subjects, { durationMs: input.durationMs * subjects.length, warmupMs: input.warmupMs * subjects.length });
const results: Record<string, SubjectResult> = {};
for (const [k, { id }] of input.subjects.entries()) {
  const subject = subjects[k]!;
  const concurrent = await concurrentTurns(subject, { durationMs: input.durationMs, warmupMs: input.warmupMs, concurrency: input.concurrency });
  const turnsRun = subject.next.reduce((sum, n) => sum + n - HISTORY_ITEMS / 4, 0);
  results[id] = { sequential: sequential[k]!, concurrent, meanItemsAtEnd: HISTORY_ITEMS + (3 * turnsRun) / input.conversations };
}
process.stdout.write(JSON.stringify(results));
