import type Database from 'better-sqlite3';
import { sql } from 'kysely';
import { defineStatements, type Placeholders, valuesOf } from '../../db/statements.js';
import type { CrossProcessListener, Wake } from './waiters.js';

/**
 * SQLite has no notifications: other processes on the same file (a CLI import, a second server)
 * append events this process hears nothing of. So while anyone waits, the newest seq is looked up
 * every `intervalMs` (one row of `sqlite_sequence`), and a change wakes the readers of the sessions
 * and agents that got the new events.
 *
 * Run on the connection directly, not through the runner: a background look, not a request's
 * statement (statement counts and tracing see requests only), and synchronous, so it never waits
 * behind the group commit.
 */
const statements = defineStatements({
  lastEventSeq: () => sql`SELECT seq FROM sqlite_sequence WHERE name = 'events'`,
  polledEvents: (db, p: Placeholders<{ after: number; upTo: number }>) =>
    db.selectFrom('events').select(['session_id', 'agent_name']).distinct().where('seq', '>', p('after')).where('seq', '<=', p('upTo')),
});

export class SqlitePoll implements CrossProcessListener {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly intervalMs: number,
    private readonly wake: Wake,
  ) {}

  start(): void {
    if (this.timer || !this.db.open) return;
    const { lastEventSeq, polledEvents } = statements.for('sqlite');
    const lastSeqOf = this.db.prepare(`/* ${lastEventSeq.name} */ ${lastEventSeq.sql}`).pluck();
    const eventsOf = this.db.prepare(`/* ${polledEvents.name} */ ${polledEvents.sql}`);
    const lastSeq = () => Number(lastSeqOf.get() ?? 0);
    let seen = lastSeq();
    this.timer = setInterval(() => {
      try {
        const seq = lastSeq();
        if (seq === seen) return;
        const rows = eventsOf.all(...valuesOf(polledEvents, { after: seen, upTo: seq })) as { session_id: string; agent_name: string }[];
        seen = seq;
        this.wake({ sessionIds: new Set(rows.map((r) => r.session_id)), agentNames: new Set(rows.map((r) => r.agent_name)) });
      } catch {
        // Busy or closing: the next tick looks again.
      }
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
