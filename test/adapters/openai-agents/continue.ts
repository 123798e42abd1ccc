import { AgentStorageSession } from '../../../src/adapters/openai-agents/index.js';
import { secondTurn } from './agent.js';

/*
 * Run as its own process by agent.test.ts: `node --import tsx continue.ts <url> <session id>`.
 * Opens the stored session on the same server, runs the second turn of the conversation and
 * prints what the model was given and answered, as JSON.
 */
const [url, sessionId] = process.argv.slice(2);
if (!url || !sessionId) throw new Error('usage: continue.ts <url> <session id>');
const session = new AgentStorageSession({ url, sessionId });
const result = await secondTurn(session);
process.stdout.write(JSON.stringify(result));
