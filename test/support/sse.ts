/**
 * A minimal server-sent-events reader over fetch for black-box tests: the raw messages as the
 * server framed them (`id`, `event`, `data`) and the comments (heartbeats) in between.
 */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The body, for a refusal (not a stream). */
  text(): Promise<string>;
  /** The next message; null when the stream ended. Fails after `timeoutMs` rather than hang. */
  next(timeoutMs?: number): Promise<SseMessage | null>;
  /** `n` messages (fails if the stream ends first). */
  take(n: number, timeoutMs?: number): Promise<SseMessage[]>;
  /** Comment lines seen so far (without the leading colon). */
  comments: string[];
  /** Goes away, as a client closing the connection. */
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { ...init, headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const comments: string[] = [];
  const decoder = new TextDecoder();
  const reader = response.ok && response.headers.get('content-type')?.startsWith('text/event-stream') ? response.body!.getReader() : null;
  let buffer = '';
  let ended = false;

  async function next(timeoutMs = 20_000): Promise<SseMessage | null> {
    if (!reader) throw new Error(`not a stream: ${response.status}`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: SseMessage = { data: '' };
        const data: string[] = [];
        let fields = 0;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) {
            comments.push(line.slice(1).trim());
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') data.push(value);
          else if (field === 'id') message.id = value;
          else if (field === 'event') message.event = value;
          else continue;
          fields++;
        }
        if (fields === 0) continue; // comments or retry only
        message.data = data.join('\n');
        return message;
      }
      if (ended) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no SSE message in time');
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no SSE message in time')), left);
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) ended = true;
      else buffer += decoder.decode(chunk.value, { stream: true });
    }
  }

  return {
    status: response.status,
    headers: response.headers,
    text: () => response.text(),
    next,
    async take(n, timeoutMs) {
      const out: SseMessage[] = [];
      while (out.length < n) {
        const message = await next(timeoutMs);
        if (!message) throw new Error(`stream ended after ${out.length} of ${n} messages`);
        out.push(message);
      }
      return out;
    },
    comments,
    close: () => controller.abort(),
  };
}
