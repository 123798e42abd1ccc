/**
 * An incremental reader of `text/event-stream` (the WHATWG HTML "event stream interpretation"):
 * text in as it arrives, in chunks cut anywhere, complete messages out. Written here rather than
 * taken from a package because the client has no runtime dependencies and this is all of it:
 * lines end in CRLF, LF or CR (a CR at the end of one chunk and the LF at the start of the next
 * are one line end), `data` lines join with LF, comments and unknown fields are ignored, a block
 * without `data` dispatches nothing.
 */
export interface SseMessage {
  /** `event:`, or "message" when the block had none. */
  event: string;
  data: string;
  /** The block's `id:` (a value holding NUL is ignored, as the standard says). */
  id?: string;
}

const LINE_END = /\r\n|\r|\n/g;

export class SseParser {
  /** The start of a line whose end has not arrived yet. */
  private partial = '';
  /** The last chunk ended in CR: an LF starting the next one belongs to that line end. */
  private afterCR = false;
  private started = false;
  private event = '';
  private data: string | null = null;
  private id: string | undefined;

  /** The messages completed by `chunk` (decoded text, as a TextDecoder in stream mode gives it). */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (this.afterCR && text.length > 0) {
      if (text.startsWith('\n')) text = text.slice(1);
      this.afterCR = false;
    }
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    const messages: SseMessage[] = [];
    let start = 0;
    LINE_END.lastIndex = 0;
    for (let match = LINE_END.exec(text); match; match = LINE_END.exec(text)) {
      const line = this.partial + text.slice(start, match.index);
      this.partial = '';
      start = match.index + match[0].length;
      if (match[0] === '\r' && start === text.length) this.afterCR = true;
      const message = this.line(line);
      if (message) messages.push(message);
    }
    this.partial += text.slice(start);
    return messages;
  }

  private line(line: string): SseMessage | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data = this.data === null ? value : `${this.data}\n${value}`;
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    return null;
  }

  private dispatch(): SseMessage | null {
    const message: SseMessage | null =
      this.data === null ? null : { event: this.event || 'message', data: this.data, ...(this.id === undefined ? {} : { id: this.id }) };
    this.event = '';
    this.data = null;
    this.id = undefined;
    return message;
  }
}
