import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * MAX_BODY_BYTES is one rule for both doors (http/body-limit.ts): the same body size is accepted or
 * refused on REST and on GraphQL alike, declared (content-length) or streamed (chunked, no length),
 * counting bytes — not characters.
 */

const LIMIT = 2048;

/** A JSON text of exactly `bytes` UTF-8 bytes: `shape(pad)` padded with two-byte characters. */
function exactly(bytes: number, shape: (pad: string) => unknown): string {
  const left = bytes - Buffer.byteLength(JSON.stringify(shape('')));
  const text = JSON.stringify(shape('é'.repeat(Math.floor(left / 2)) + 'x'.repeat(left % 2)));
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

const DOORS = {
  rest: { path: '/storage/sessions', body: (bytes: number) => exactly(bytes, (pad) => ({ agent_name: 'padded', metadata: { pad } })) },
  graphql: { path: '/graphql', body: (bytes: number) => exactly(bytes, (pad) => ({ query: '{ __typename }', variables: { pad } })) },
} as const;

/** The text as a stream of 100-byte pieces: fetch sends it chunked, without content-length. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, (offset += 100)));
    },
  });
}

describe('the body limit, on both doors', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MAX_BODY_BYTES: String(LIMIT) });
  });
  afterAll(() => server.close());

  async function send(door: keyof typeof DOORS, bytes: number, streamed: boolean) {
    const text = DOORS[door].body(bytes);
    const response = await fetch(server.url + DOORS[door].path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: streamed ? chunked(text) : text,
      duplex: 'half',
    } as RequestInit);
    return { status: response.status, body: (await response.json()) as any };
  }

  for (const streamed of [false, true]) {
    const how = streamed ? 'chunked' : 'with content-length';
    it(`accepts ${LIMIT} bytes and refuses ${LIMIT + 1} on REST and GraphQL alike, ${how}`, async () => {
      for (const bytes of [LIMIT - 1, LIMIT, LIMIT + 1, 3 * LIMIT]) {
        const rest = await send('rest', bytes, streamed);
        const graphql = await send('graphql', bytes, streamed);
        const what = `${bytes} bytes ${how}`;
        expect([rest.status, graphql.status], what).toEqual(bytes <= LIMIT ? [200, 200] : [413, 413]);
        if (bytes <= LIMIT) {
          expect(rest.body.metadata.pad, what).toMatch(/^é+x?$/);
          expect(graphql.body, what).toEqual({ data: { __typename: 'Query' } });
        } else {
          const message = `Request body is larger than ${LIMIT} bytes`;
          expect(rest.body, what).toEqual({ detail: message });
          expect(graphql.body, what).toEqual({ errors: [{ message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
        }
      }
    });
  }
});
