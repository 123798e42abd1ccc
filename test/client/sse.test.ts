import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser, type SseMessage } from '../../src/client/sse.js';

/*
 * The client's event-stream reader: whatever a server writes (any line endings, comments, multi-line
 * data), cut into chunks anywhere — also between a CR and its LF, or inside a UTF-8 sequence before
 * decoding — reads back as the messages written.
 */

const text = (excluded: RegExp) => fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !excluded.test(s));
const message = fc.record(
  {
    event: text(/[\r\n]/).filter((s) => s !== ''),
    // Data lines join with LF: a value may hold LFs, never a CR (a line end in the stream).
    data: text(/\r/),
    id: text(/[\r\n\0]/),
  },
  { requiredKeys: ['data'] },
);
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');

/** The stream a server writes for `messages`, with comments between them and each line ended as `ends` says. */
function serialize(messages: { event?: string; data: string; id?: string }[], ends: string[], comments: boolean[]): string {
  let i = 0;
  let previous = '';
  // A CR and then an LF would be one line end (CRLF), swallowing a blank line: a server that ends
  // its lines in CR writes no LF right after one.
  const end = () => {
    const next = ends[i++ % ends.length]!;
    previous = previous === '\r' && next === '\n' ? '\r' : next;
    return previous;
  };
  let out = '';
  messages.forEach((m, n) => {
    if (comments[n % comments.length]) out += `: keep-alive${end()}${end()}`;
    if (m.event !== undefined) out += `event: ${m.event}${end()}`;
    if (m.id !== undefined) out += `id: ${m.id}${end()}`;
    for (const line of m.data.split('\n')) out += `data: ${line}${end()}`;
    out += end();
  });
  return out;
}

/** `bytes` cut at the given positions, decoded as a TextDecoder in stream mode does. */
function chunks(bytes: Uint8Array, cuts: number[]): string[] {
  const decoder = new TextDecoder();
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const at of [...points, bytes.length]) {
    out.push(decoder.decode(bytes.subarray(from, at), { stream: true }));
    from = at;
  }
  out.push(decoder.decode());
  return out;
}

describe('SseParser', () => {
  it('reads back every message however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(message, { maxLength: 8 }),
        fc.array(lineEnd, { minLength: 1, maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (messages, ends, comments, cuts) => {
          const bytes = new TextEncoder().encode(serialize(messages, ends, comments));
          const parser = new SseParser();
          const read: SseMessage[] = chunks(bytes, cuts).flatMap((chunk) => parser.push(chunk));
          expect(read).toEqual(
            messages.map((m) => ({ event: m.event ?? 'message', data: m.data, ...(m.id === undefined ? {} : { id: m.id }) })),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('follows the standard on the edges: BOM, fields without a colon or value, unknown fields, no data', () => {
    const parser = new SseParser();
    expect(parser.push('\uFEFFdata\n\n')).toEqual([{ event: 'message', data: '' }]);
    expect(parser.push('event: x\nid: 1\n\n')).toEqual([]); // no data: nothing dispatched (and nothing carried over)
    expect(parser.push('data:  two spaces\nretry: 10\nfoo: bar\n\n')).toEqual([{ event: 'message', data: ' two spaces' }]);
    expect(parser.push('id: a\0b\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
    expect(parser.push('data: unfinished')).toEqual([]);
  });
});
