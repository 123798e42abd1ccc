import { TransformStream as PonyfillTransformStream } from '@whatwg-node/fetch';
import { PayloadTooLargeError } from '../domain/errors.js';

/**
 * MAX_BODY_BYTES, one rule for every door, counted here only (REST: rest/http.ts `readJsonBody`;
 * GraphQL: graphql-limits.ts `useBodyChecks`; MCP: mcp/door.ts `readMessage`).
 *
 * - **What counts**: the body's bytes as they arrive, once the transfer encoding is undone (chunk
 *   framing is not counted). No content encoding is undone by this server: bytes are bytes.
 * - **Declared** (`Content-Length`): a length above the limit is refused before a byte is read;
 *   one within it is trusted, since Node's HTTP parser holds the body to it.
 * - **Streamed** (chunked, no length): counted while it is read and refused at the first chunk past
 *   the limit — never buffered beyond it. The same size is accepted or refused either way.
 * - **Where**: where a body is read, i.e. by a REST route that takes one, by every GraphQL
 *   request that has one and by every `POST /mcp`. An answer that needs no body (401, 403, 404, 405, 415) is given as it
 *   would be without one; a response sent before the body's end closes the connection
 *   (request-context.ts, lingering-close.ts).
 *
 * Refusals are `PayloadTooLargeError`s, which each door maps once: REST `413 {detail}`, GraphQL
 * `413` with `extensions.code` PAYLOAD_TOO_LARGE, MCP `413` with a JSON-RPC error.
 */

/** The body's declared length, or null when it has none (chunked) or an unreadable one. */
function declaredLength(request: Request): number | null {
  const header = request.headers.get('content-length');
  return header !== null && /^\d+$/.test(header) ? Number(header) : null;
}

/** A TransformStream of the same implementation as `body` (native, or Yoga's ponyfill): they do not mix. */
function transformStreamFor(body: ReadableStream): typeof TransformStream {
  return body instanceof ReadableStream ? TransformStream : (PonyfillTransformStream as unknown as typeof TransformStream);
}

/**
 * The request's body, counted as it is read: the stream errors with `PayloadTooLargeError` at the
 * first chunk past `maxBytes`. Throws it at once when the declared length is too large; null when
 * there is no body. `refuse` turns the refusal into what the reader needs to see (GraphQL: a
 * GraphQLError, since Yoga's parser turns any other error of the stream into "invalid JSON").
 */
export function limitedBody(
  request: Request,
  maxBytes: number,
  refuse: (error: PayloadTooLargeError) => Error = (error) => error,
): ReadableStream<Uint8Array> | null {
  const declared = declaredLength(request);
  if (declared !== null && declared > maxBytes) throw refuse(new PayloadTooLargeError(maxBytes));
  if (!request.body) return null;
  // Node's HTTP parser holds a body to its declared length: only a body without one is counted
  // (a stream stage less for the usual request).
  if (declared !== null) return request.body;
  let read = 0;
  const Transform = transformStreamFor(request.body);
  return request.body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > maxBytes) controller.error(refuse(new PayloadTooLargeError(maxBytes)));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * The whole body (at most `maxBytes`), or `PayloadTooLargeError`. Any other failure means the
 * connection broke before the body's end.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = declaredLength(request);
  if (declared !== null) {
    if (declared > maxBytes) throw new PayloadTooLargeError(maxBytes);
    // Read in one go, without a web stream reader (which costs more than the rest of reading a
    // small body): Node's HTTP parser holds the body to its declared length.
    return Buffer.from(await request.arrayBuffer());
  }
  if (!request.body) return Buffer.alloc(0);
  // Counted while read, as `limitedBody` counts, without its extra stream stage (which doubled the
  // cost of a small request without a length).
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      throw new PayloadTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
