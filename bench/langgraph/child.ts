import { readFileSync } from 'node:fs';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { runSteps } from './workload.js';

/*
 * One saver of the LangGraph section of `npm run bench`, in a process of its own (run by
 * bench/langgraph/run.ts with JSON on stdin): LangGraph's SqliteSaver on a file, its PostgresSaver on
 * a throwaway schema (both in this process, as their users run them), or AgentStorageSaver against
 * the service started by the bench. Prints the workload's result as JSON.
 */

export type SaverSpec =
  | { kind: 'sqlite-saver'; file: string }
  | { kind: 'postgres-saver'; url: string; schema: string }
  | { kind: 'service'; url: string };

export interface ChildInput {
  saver: SaverSpec;
  threadId: string;
  durationMs: number;
}

async function open(spec: SaverSpec): Promise<{ saver: BaseCheckpointSaver; close(): Promise<void> }> {
  switch (spec.kind) {
    case 'sqlite-saver': {
      const { SqliteSaver } = await import('@langchain/langgraph-checkpoint-sqlite');
      const saver = SqliteSaver.fromConnString(spec.file);
      return { saver, close: async () => void saver.db.close() };
    }
    case 'postgres-saver': {
      const { PostgresSaver } = await import('@langchain/langgraph-checkpoint-postgres');
      const saver = PostgresSaver.fromConnString(spec.url, { schema: spec.schema });
      await saver.setup();
      return { saver, close: () => saver.end() };
    }
    case 'service': {
      const { AgentStorageSaver } = await import('../../src/adapters/langgraph/index.js');
      return { saver: new AgentStorageSaver({ url: spec.url }), close: async () => {} };
    }
  }
}

const input = JSON.parse(readFileSync(0, 'utf8')) as ChildInput;
const { saver, close } = await open(input.saver);
try {
  process.stdout.write(JSON.stringify(await runSteps(saver, input.threadId, input.durationMs)));
} finally {
  await close();
}
