import { type Kysely, type RawBuilder, sql } from 'kysely';
import { typed } from '../../db/portable.js';
import { type Runner, tx } from '../../db/runner.js';
import type { Database } from '../../db/schema.js';
import { defineStatements, type Dialect, type Placeholders } from '../../db/statements.js';
import { eventsOf } from '../../domain/events.js';
import type { AppendEvents } from '../events/append.js';

/**
 * Which threads retention deletes: those expired by their TTL (always), and those not written
 * since a moment (RETENTION_THREAD_IDLE_DAYS). An idle thread that is also expired counts as
 * expired, so the two rules never count a thread twice.
 */
export type ThreadRule = { kind: 'expired'; at: string } | { kind: 'idle'; at: string; before: string };

/** What retention needs of the checkpoints: the threads a rule selects, whatever a serving read would see. */
export interface CheckpointsMaintenance {
  /** Deletes up to `limit` threads the rule selects (with their events, in one transaction); their ids. */
  deleteThreads(rule: ThreadRule, limit: number): Promise<string[]>;
  /** A dry run: how many threads the rule selects, and the first `limit` of their ids. */
  countThreads(rule: ThreadRule, limit: number): Promise<{ count: number; ids: string[] }>;
}

type RuleParams = { at: string; before: string; limit: number };

/** The rule's threads through its own index: (expires_at, id) or (updated_at, id). */
function selected(db: Kysely<Database>, kind: ThreadRule['kind'], p: Placeholders<RuleParams>, dialect: Dialect) {
  const query = db.selectFrom('threads');
  return kind === 'expired'
    ? query.where('expires_at', '<=', p('at')).orderBy('expires_at').orderBy('id')
    : query
        .where('updated_at', '<', p('before'))
        .where(sql<boolean>`(expires_at IS NULL OR expires_at > ${typed(p('at'), 'timestamptz', dialect)})`)
        .orderBy('updated_at')
        .orderBy('id');
}

const limited = (db: Kysely<Database>, kind: ThreadRule['kind'], p: Placeholders<RuleParams>, dialect: Dialect) =>
  selected(db, kind, p, dialect)
    .select('id')
    .limit(typed(p('limit') as RawBuilder<number>, 'bigint', dialect));

const statements = defineStatements({
  retention_threadsExpired: (db, p: Placeholders<RuleParams>, dialect) => limited(db, 'expired', p, dialect),
  retention_threadsIdle: (db, p: Placeholders<RuleParams>, dialect) => limited(db, 'idle', p, dialect),
  retention_countThreadsExpired: (db, p: Placeholders<RuleParams>, dialect) => selected(db, 'expired', p, dialect).clearOrderBy().select(sql<number>`COUNT(*)`.as('n')),
  retention_countThreadsIdle: (db, p: Placeholders<RuleParams>, dialect) => selected(db, 'idle', p, dialect).clearOrderBy().select(sql<number>`COUNT(*)`.as('n')),
  retention_deleteThreadsExpired: (db, p: Placeholders<RuleParams>, dialect) =>
    db.deleteFrom('threads').where('id', 'in', limited(db, 'expired', p, dialect)).returning('id'),
  retention_deleteThreadsIdle: (db, p: Placeholders<RuleParams>, dialect) =>
    db.deleteFrom('threads').where('id', 'in', limited(db, 'idle', p, dialect)).returning('id'),
});

/** Thread retention in a tenant's SQL database. */
export class SqlCheckpointsMaintenance implements CheckpointsMaintenance {
  private readonly sql: ReturnType<typeof statements.for>;

  constructor(
    private readonly runner: Runner,
    private readonly appendEvents: AppendEvents,
  ) {
    this.sql = statements.for(runner.dialect);
  }

  deleteThreads(rule: ThreadRule, limit: number): Promise<string[]> {
    const statement = rule.kind === 'expired' ? this.sql.retention_deleteThreadsExpired : this.sql.retention_deleteThreadsIdle;
    const appendEvents = this.appendEvents;
    const params = paramsOf(rule, limit);
    return this.runner.transaction(function* () {
      const ids = (yield* tx.all(statement, params)).map((r) => r.id as string);
      yield* appendEvents(ids.flatMap((id) => eventsOf.threadDeleted(id)));
      return ids;
    });
  }

  async countThreads(rule: ThreadRule, limit: number): Promise<{ count: number; ids: string[] }> {
    const expired = rule.kind === 'expired';
    const params = paramsOf(rule, limit);
    const [count, rows] = await Promise.all([
      this.runner.one(expired ? this.sql.retention_countThreadsExpired : this.sql.retention_countThreadsIdle, params),
      limit > 0 ? this.runner.all(expired ? this.sql.retention_threadsExpired : this.sql.retention_threadsIdle, params) : [],
    ]);
    return { count: Number(count?.n ?? 0), ids: rows.map((r) => r.id as string) };
  }
}

// `before` is unused by the expired rule; it is given so that both rules take the same parameters.
const paramsOf = (rule: ThreadRule, limit: number): RuleParams => ({ at: rule.at, before: rule.kind === 'idle' ? rule.before : rule.at, limit });
