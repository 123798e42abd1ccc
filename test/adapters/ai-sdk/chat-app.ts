import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { consumeStream, convertToModelMessages, readUIMessageStream, simulateReadableStream, streamText, validateUIMessages, type UIMessage, type UIMessageChunk } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import type { ChatStore } from '../../../src/adapters/ai-sdk/index.js';

/*
 * A chat app as the AI SDK's persistence guide builds one, on a real HTTP server: a POST route made
 * of `streamText` (over a scripted MockLanguageModelV3) and `toUIMessageStreamResponse`, saving
 * through the chat store in `onFinish`; and a browser-like client that posts to it with plain
 * `fetch` and reads the UI message stream, able to hang up mid-answer.
 */

type StreamPart = Awaited<ReturnType<MockLanguageModelV3['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;

/** A model whose every call streams the next of `answers` (the last one again when they run out), a word at a time. */
export class ScriptedModel {
  readonly model: MockLanguageModelV3;
  private calls = 0;
  private held: { before: number; gate: Promise<void> } | null = null;

  constructor(answers: string[]) {
    this.model = new MockLanguageModelV3({
      doStream: async () => {
        const answer = answers[Math.min(this.calls++, answers.length - 1)]!;
        const held = this.held;
        this.held = null;
        let chunk = 0;
        return {
          stream: simulateReadableStream<StreamPart>({
            chunks: [
              { type: 'stream-start', warnings: [] },
              { type: 'text-start', id: 'text-1' },
              ...answer.split(/(?<= )/).map((delta): StreamPart => ({ type: 'text-delta', id: 'text-1', delta })),
              { type: 'text-end', id: 'text-1' },
              { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(answer) },
            ],
            // Called before each chunk: the held call waits there until the test opens the gate.
            _internal: { delay: async () => void (held && chunk++ === held.before && (await held.gate)) },
          }),
        };
      },
    });
  }

  /**
   * The next call stops after its first word until `release()`: a deterministic "mid-answer"
   * without timers. (Chunk 3 is the second text delta: stream-start, text-start, first word go out.)
   */
  holdNextAnswer(): { release(): void } {
    let release!: () => void;
    this.held = { before: 3, gate: new Promise<void>((resolve) => (release = resolve)) };
    return { release };
  }
}

function usage(answer: string) {
  return {
    inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: answer.split(' ').length, text: undefined, reasoning: undefined },
  };
}

/** What the client posts: the chat and its newest message (the guide's "send only the last message"). */
export interface ChatRequest {
  id: string;
  message: UIMessage;
}

export interface ChatAppOptions {
  /** Finish (and save) the answer even when the client hangs up: `consumeSseStream: consumeStream`. */
  finishWithoutClient?: boolean;
  /** Leave out `generateMessageId` (the mistake the store refuses). */
  withoutMessageIds?: boolean;
}

/**
 * The route handler, as an app would write it (docs/ai-sdk.md): the stored history, the posted
 * message appended — or, when the client sends a message the chat already has (a resent request,
 * a regenerate), the history cut back to just before it — the answer streamed with server ids and
 * the whole list saved when it ends.
 */
export function chatRoute(store: ChatStore, model: ScriptedModel, options: ChatAppOptions = {}) {
  const saves = new SaveLog();
  async function POST(request: Request): Promise<Response> {
    const { id, message } = (await request.json()) as ChatRequest;
    const history = await store.loadChat(id);
    const at = history.findIndex((stored) => stored.id === message.id);
    const messages = await validateUIMessages<UIMessage>({ messages: [...(at === -1 ? history : history.slice(0, at)), message] });
    const result = streamText({ model: model.model, messages: await convertToModelMessages(messages) });
    return result.toUIMessageStreamResponse({
      originalMessages: messages,
      ...(!options.withoutMessageIds && { generateMessageId: store.generateId }),
      onFinish: ({ messages: finished }) => saves.record(store.saveChat({ chatId: id, messages: finished })),
      ...(options.finishWithoutClient && { consumeSseStream: consumeStream }),
    });
  }
  return { POST, saves };
}

/** The saves the route's `onFinish` started, to wait for them (a save outlives the response when the client hangs up). */
export class SaveLog {
  private readonly done: Promise<void>[] = [];
  private readonly waiters: { count: number; resolve(): void }[] = [];

  /**
   * Records a save; what it returns settles with it but never rejects — an app logs a failed save,
   * and a rejection out of onFinish would break the response (and surface, from inside the AI SDK's
   * streams, as an unhandled rejection). The failure is reported by `settled`.
   */
  record(save: Promise<void>): Promise<void> {
    this.done.push(save);
    for (const waiter of this.waiters.filter((w) => w.count <= this.done.length)) waiter.resolve();
    return save.catch(() => {});
  }

  /** Resolves when `count` saves have been started and have all finished (rejects if one failed). */
  async settled(count: number): Promise<void> {
    if (this.done.length < count) await new Promise<void>((resolve) => this.waiters.push({ count, resolve }));
    await Promise.all(this.done.slice(0, count));
  }
}

/**
 * Serves a fetch-style handler on node:http at a free port, passing a client's hang-up on as the
 * response body's cancellation (what Next.js and other hosts do).
 */
export async function serveRoute(handler: (request: Request) => Promise<Response>) {
  const hangUps: (() => void)[] = [];
  const server = createServer((req, res) => void respond(req, res));
  async function respond(req: IncomingMessage, res: ServerResponse) {
    const body: Buffer[] = [];
    for await (const chunk of req) body.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    let response: Response;
    try {
      response = await handler(new Request(new URL(req.url ?? '/', 'http://localhost'), { method: req.method, headers, body: body.length ? Buffer.concat(body) : null }));
    } catch (error) {
      return void res.writeHead(500, { 'content-type': 'text/plain' }).end(String((error as Error)?.stack ?? error));
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    res.on('close', () => {
      if (res.writableFinished) return;
      void reader.cancel();
      for (const hangUp of hangUps.splice(0)) hangUp();
    });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || res.destroyed) break;
        res.write(value);
      }
      res.end();
    } catch (error) {
      // The stream failed (e.g. its onFinish threw): the client sees the connection break, as from any host.
      res.destroy(error as Error);
    }
  }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Resolves when the server has seen the next client hang up. */
    nextHangUp: () => new Promise<void>((resolve) => hangUps.push(resolve)),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** What the client got: the UI message stream's chunks and the assistant message they make. */
export interface ChatReply {
  chunks: UIMessageChunk[];
  message: UIMessage | undefined;
  /** Whether the client hung up before the stream ended. */
  aborted: boolean;
}

/** Posts a chat request with plain fetch and reads the SSE stream; with `hangUpAfterText`, aborts once the first text arrives. */
export async function postChat(url: string, request: ChatRequest, { hangUpAfterText = false } = {}): Promise<ChatReply> {
  const controller = new AbortController();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request), signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`chat route answered ${response.status}: ${await response.text()}`);
  const chunks: UIMessageChunk[] = [];
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let buffered = '';
  let aborted = false;
  read: for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) !== -1) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = event.startsWith('data: ') ? event.slice('data: '.length) : null;
      if (data === null || data === '[DONE]') continue;
      const chunk = JSON.parse(data) as UIMessageChunk;
      chunks.push(chunk);
      if (hangUpAfterText && chunk.type === 'text-delta') {
        controller.abort();
        aborted = true;
        break read;
      }
    }
  }
  return { chunks, message: await lastMessage(chunks), aborted };
}

/** The assistant message the chunks build, as `useChat` would show it. */
async function lastMessage(chunks: UIMessageChunk[]): Promise<UIMessage | undefined> {
  let message: UIMessage | undefined;
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  for await (const built of readUIMessageStream({ stream })) message = built;
  return message;
}

/** A user's message as the browser makes it. */
export const userMessage = (id: string, text: string): UIMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });
