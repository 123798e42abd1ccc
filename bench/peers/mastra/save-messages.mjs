import { randomUUID } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { LibSQLStore } from '@mastra/libsql';
import { percentile } from '../../lib/stats.js';

/*
 * Peer of the durable REST append (`peer/mastra.libsql.saveMessages`): Mastra's LibSQLStore in
 * process, as a Mastra agent's memory uses it — a file on disk, one thread, `saveMessages` with one
 * message per call, one call at a time, a warm-up and then the measured duration. Plain JS, so that
 * the root type check does not need this folder's packages; run by bench/peers/run.ts with
 * `node --import tsx` (for the shared percentile rule).
 *
 * Input (stdin JSON): { file, durationSec, warmupSec, content, metadata }.
 * Output (stdout JSON): { messages, messagesPerSec, p50Ms, p99Ms, rssMb }.
 */

const input = JSON.parse(await text(process.stdin));
const store = new LibSQLStore({ url: `file:${input.file}` });
await store.init();

const resourceId = 'bench-user';
const now = new Date();
const thread = await store.saveThread({ thread: { id: randomUUID(), resourceId, title: 'bench', createdAt: now, updatedAt: now, metadata: {} } });

/** A message as Mastra's MessageList stores a user's text turn (format 2). */
const message = () => ({
  id: randomUUID(),
  threadId: thread.id,
  resourceId,
  role: 'user',
  type: 'v2',
  createdAt: new Date(),
  content: { format: 2, parts: [{ type: 'text', text: input.content }], content: input.content, metadata: input.metadata },
});

/** Saves one message at a time until `seconds` have passed; the latency of each call, ms. */
async function saveFor(seconds) {
  const latencies = [];
  const end = performance.now() + seconds * 1000;
  for (let t = performance.now(); t < end; ) {
    await store.saveMessages({ messages: [message()], format: 'v2' });
    const after = performance.now();
    latencies.push(after - t);
    t = after;
  }
  return latencies;
}

await saveFor(input.warmupSec);
const started = performance.now();
const latencies = await saveFor(input.durationSec);
const elapsedSec = (performance.now() - started) / 1000;

const stored = await store.getMessages({ threadId: thread.id, selectBy: { last: 1 }, format: 'v2' });
if (stored.length !== 1 || stored[0].content.content !== input.content) throw new Error('LibSQLStore did not return the message it saved');

latencies.sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    messages: latencies.length,
    messagesPerSec: latencies.length / elapsedSec,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    rssMb: process.memoryUsage.rss() / 2 ** 20,
  }),
);
