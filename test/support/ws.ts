import WebSocket from 'ws';

/**
 * A raw `graphql-ws` (graphql-transport-ws) socket for protocol tests: every message the server
 * sends, in order, and how the socket closed. No protocol logic of its own, so that the tests can
 * send what a well-behaved client never would.
 */
export interface RawGraphQLSocket {
  socket: WebSocket;
  /** Sends a message (an object is sent as JSON, a string as it is). */
  send(message: unknown): void;
  /**
   * The next message from the server (of operation `id` when given: the others stay queued); fails
   * after `timeoutMs`, or if the socket closes first.
   */
  next(id?: string, timeoutMs?: number): Promise<Record<string, any>>;
  /** Resolves with the close code and reason, once the socket is closed. */
  closed: Promise<{ code: number; reason: string }>;
  /** Sends `connection_init` and expects `connection_ack`. */
  init(payload?: Record<string, unknown>): Promise<void>;
  close(): void;
}

export interface RawSocketOptions {
  headers?: Record<string, string>;
  /** The upgrade's Origin header, as a browser sends it. */
  origin?: string;
  /** The subprotocol asked for (default graphql-transport-ws); null: none. */
  protocol?: string | null;
  path?: string;
}

/** Opens a socket to `baseUrl`'s `/graphql` (http:// becomes ws://) and waits until it is open. */
export async function openGraphQLSocket(baseUrl: string, options: RawSocketOptions = {}): Promise<RawGraphQLSocket> {
  const url = baseUrl.replace(/^http/, 'ws') + (options.path ?? '/graphql');
  const protocols = options.protocol === null ? [] : [options.protocol ?? 'graphql-transport-ws'];
  const socket = new WebSocket(url, protocols, { headers: options.headers, origin: options.origin });
  const received: Record<string, any>[] = [];
  let wake: (() => void) | null = null;
  let closedWith: { code: number; reason: string } | null = null;
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => {
      closedWith = { code, reason: reason.toString() };
      resolve(closedWith);
      wake?.();
    }),
  );
  socket.on('message', (data) => {
    received.push(JSON.parse(data.toString()));
    wake?.();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });

  async function next(id?: string, timeoutMs = 10_000): Promise<Record<string, any>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = received.findIndex((m) => id === undefined || m.id === id);
      if (index >= 0) return received.splice(index, 1)[0]!;
      if (closedWith) throw new Error(`socket closed (${closedWith.code} ${closedWith.reason}) before the next message`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  }
  const send = (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  return {
    socket,
    send,
    next,
    closed,
    async init(payload) {
      send(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload });
      const ack = await next();
      if (ack.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(ack)}`);
    },
    close: () => socket.close(),
  };
}

/** Waits for `condition` (polled), failing after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
