import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';

/**
 * The graph of the StateGraph tests (and of the process that resumes it): plan → act → approve,
 * interrupted before `approve`. Offline: nodes are plain functions. The state has a list with a
 * reducer (each node appends) and a number each node replaces.
 */
export const State = Annotation.Root({
  log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  count: Annotation<number>,
});

export function buildGraph(checkpointer: BaseCheckpointSaver) {
  return new StateGraph(State)
    .addNode('plan', (s) => ({ log: [`plan ${s.count}`], count: s.count + 1 }))
    .addNode('act', (s) => ({ log: [`act ${s.count}`], count: s.count * 10 }))
    .addNode('approve', (s) => ({ log: [`approve ${s.count}`], count: s.count + 7 }))
    .addEdge(START, 'plan')
    .addEdge('plan', 'act')
    .addEdge('act', 'approve')
    .addEdge('approve', END)
    .compile({ checkpointer, interruptBefore: ['approve'] });
}
