/**
 * The data the benchmark stores, shared by the API seeding, the large-store bulk insert and the raw
 * better-sqlite3 baseline, so that "the same rows" are the same everywhere.
 */

const WORDS = (
  'the agent asked the tool for the latest quarterly numbers and summarised them for the user ' +
  'who then wanted a short comparison with last year including the main risks and next steps'
).split(' ');

/** A message of about 200 characters, different for each i. */
export function messageContent(i: number): string {
  const out: string[] = [`#${i}`];
  let length = out[0]!.length;
  for (let k = 0; length < 200; k++) {
    const word = WORDS[(i * 7 + k * 3) % WORDS.length]!;
    out.push(word);
    length += word.length + 1;
  }
  return out.join(' ');
}

export const messageRole = (i: number): 'user' | 'assistant' => (i % 2 === 0 ? 'user' : 'assistant');

export function messageMetadata(i: number): Record<string, unknown> {
  return { tokens: 20 + (i % 400), model: 'bench-model' };
}

/** The body of one REST append (`{v}` is the session id, filled in by the load generator). */
export const APPEND_BODY = JSON.stringify({ session_id: '{v}', role: 'user', content: messageContent(1), metadata: messageMetadata(1) });

export const CACHE_BODY = JSON.stringify({ value: { answer: messageContent(2), sources: ['a', 'b', 'c'] }, ttl: 3600 });

export const METRIC_BODY = JSON.stringify({
  entity_type: 'agent',
  entity_name: 'bench-agent',
  metric_name: 'latency',
  value: 123.45,
  session_id: '{v}',
  labels: { model: 'bench-model', region: 'local' },
});
