import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How long, and for how many bytes, a connection answered before its request body ended is kept
 * open to drain that body. Past either, it is closed whatever the client is still sending: a
 * client may learn its answer, not upload at will.
 */
export const LINGER_MS = 5_000;
export const LINGER_MAX_BYTES = 16 * 1024 * 1024;

const lingering = new WeakSet<Socket>();

/**
 * Lingering close, as nginx does it. A response sent before the request's body was read to its
 * end (a 413, a 401, a 415…) says `connection: close`, and Node's HTTP server then closes the
 * socket as soon as the response is written. Whatever the client is still sending then reaches a
 * closed socket, which the kernel answers with a reset: the client's next write fails (EPIPE,
 * ECONNRESET), and a client that sends its whole body before it reads (curl, most HTTP/1.1
 * libraries) reports that failure instead of the response waiting in its buffer.
 *
 * So, for such a request: the response is written, our side of the connection is closed (FIN, so
 * the client sees the response end), and what the client still sends is read and discarded until
 * it closes its side — at most LINGER_MAX_BYTES, for at most LINGER_MS. Then the socket is closed.
 */
export function lingerAfterResponse(req: IncomingMessage, res: ServerResponse): void {
  const socket = (res.socket ?? req.socket) as (Socket & { destroySoon?: () => void }) | null;
  if (!socket || lingering.has(socket) || typeof socket.destroySoon !== 'function') return;
  lingering.add(socket);
  const destroySoon = socket.destroySoon;
  // Node's HTTP server calls destroySoon() once the last response of the connection is written.
  socket.destroySoon = function lingeringClose(this: Socket) {
    // The body ended meanwhile: nothing more is coming, close as Node would.
    if (req.complete || this.destroyed) return destroySoon.call(this);
    if (this.writable) this.end();
    let drained = 0;
    const cut = () => this.destroy();
    const timer = setTimeout(cut, LINGER_MS);
    const discard = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > LINGER_MAX_BYTES) cut();
    };
    // The bytes go to `discard` alone: the HTTP parser, fed no more, cannot hold them back for a
    // body nobody reads (which is what stopped the socket's reads in the first place).
    const drain = () => {
      this.on('data', discard);
      for (const listener of this.listeners('data')) if (listener !== discard) this.off('data', listener as (chunk: Buffer) => void);
      this.resume();
    };
    // The client has sent all it will: close once the response is written out, as Node would.
    this.once('end', () => (this.writableFinished ? this.destroy() : this.once('finish', cut)));
    this.once('close', () => clearTimeout(timer));
    if (this.readableFlowing) drain();
    else {
      // Paused by the HTTP server (a request body nobody reads): its own 'resume' listener restarts
      // the reads of the socket it parses, so that listener runs first, then the parser is detached.
      this.once('resume', drain);
      this.resume();
    }
  };
}
