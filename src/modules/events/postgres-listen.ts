import type pg from 'pg';
import type { EventTouch } from '../../domain/events.js';
import type { CrossProcessListener, Wake } from './waiters.js';

/**
 * PostgreSQL announces events: every transaction that appends some NOTIFYs this schema's channel
 * on commit (see `append.ts`), so no polling — one dedicated connection LISTENs while anyone waits,
 * and events written through other replicas wake this one's readers. A LISTEN lives on one
 * connection (not a pooled one, which would be handed to others), so when it fails it is replaced,
 * backing off up to 5 s; once listening again every reader is woken, to catch up on what it may
 * have missed meanwhile.
 */
export class PostgresListen implements CrossProcessListener {
  /** The current attempt; a stopped or replaced one notices it is no longer current and lets go. */
  private current: { client: pg.Client | null; retry: NodeJS.Timeout | null; failures: number } | null = null;

  constructor(
    private readonly options: {
      /** A new (unconnected) client for the database and schema of the backend. */
      newClient: () => pg.Client;
      /** The NOTIFY channel of this schema's events. */
      channel: string;
      onError?: (error: Error) => void;
    },
    private readonly wake: Wake,
  ) {}

  start(): void {
    if (this.current) return;
    const attempt = (this.current = { client: null as pg.Client | null, retry: null as NodeJS.Timeout | null, failures: 0 });
    const connect = async () => {
      attempt.retry = null;
      if (this.current !== attempt) return;
      const client = this.options.newClient();
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        attempt.client = null;
        client.end().catch(() => {});
        if (this.current !== attempt) return;
        this.options.onError?.(error);
        const delay = Math.min(5000, 100 * 2 ** attempt.failures++);
        attempt.retry = setTimeout(() => void connect(), delay);
        attempt.retry.unref();
      };
      client.on('error', fail);
      client.on('end', () => fail(new Error('LISTEN connection ended')));
      client.on('notification', (message) => this.wake(touchFromPayload(message.payload)));
      try {
        await client.connect();
        await client.query(`LISTEN "${this.options.channel.replaceAll('"', '""')}"`);
      } catch (error) {
        fail(error as Error);
        return;
      }
      if (this.current !== attempt) {
        failed = true;
        await client.end().catch(() => {});
        return;
      }
      attempt.client = client;
      attempt.failures = 0;
      this.wake(null); // whatever was committed while nobody listened
    };
    void connect();
  }

  async stop(): Promise<void> {
    const attempt = this.current;
    this.current = null;
    if (!attempt) return;
    if (attempt.retry) clearTimeout(attempt.retry);
    const client = attempt.client;
    attempt.client = null;
    await client?.end().catch(() => {});
  }
}

/** What a NOTIFY said (`notifyPayload` in `append.ts`); null — wake every reader — when it says nothing usable. */
export function touchFromPayload(payload: string | undefined): EventTouch | null {
  try {
    const [sessionIds, agentNames] = JSON.parse(payload ?? '') as [string[], string[]];
    if (!Array.isArray(sessionIds) || !Array.isArray(agentNames)) return null;
    return { sessionIds: new Set(sessionIds), agentNames: new Set(agentNames) };
  } catch {
    return null;
  }
}
