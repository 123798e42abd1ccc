import { AgentStorageSaver } from '../../../src/adapters/langgraph/index.js';
import { buildGraph } from './graph.js';

/*
 * Run as its own process by stategraph.test.ts: `node --import tsx resume.ts <url> <thread id>`.
 * Builds the same graph over a fresh saver on the same server, resumes the interrupted thread from
 * its stored checkpoint and prints the final state as JSON.
 */
const [url, threadId] = process.argv.slice(2);
if (!url || !threadId) throw new Error('usage: resume.ts <url> <thread id>');
const graph = buildGraph(new AgentStorageSaver({ url }));
const config = { configurable: { thread_id: threadId } };
const before = await graph.getState(config);
const result = await graph.invoke(null, config);
process.stdout.write(JSON.stringify({ nextBefore: before.next, result }));
