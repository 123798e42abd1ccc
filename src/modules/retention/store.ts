import { sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { typed } from '../../db/portable.js';
import type { Runner } from '../../db/runner.js';
import { defineStatementFamily, type Placeholders } from '../../db/statements.js';
import { type RetentionKey, type RetentionRule, type RuleKind, type RuleParams, ruleColumn, ruleFilter, ruleParams } from './rules.js';

/** Which sessions the retention rules select (the ending and deleting is the sessions store's, guarded by the rule). */
export interface RetentionStore {
  /**
   * Up to `limit` sessions that `rule` selects, in the order of its time column (`expiresAt` for
   * `expired`, `updatedAt` otherwise) then id, strictly after `after`: a keyset walk through an
   * index, so a huge sweep is a series of small, bounded reads.
   */
  candidates(rule: RetentionRule, after: RetentionKey | null, limit: number): Promise<RetentionKey[]>;
}

type CandidateParams = RuleParams & { afterAt: string; afterId: string; limit: number };

/**
 * One walk's statement per rule, named by it (`retention_expired`, …: the query-plan test checks
 * each follows its index), with or without the bound of the previous batch.
 */
function candidates(kind: RuleKind) {
  return defineStatementFamily(`retention_${kind}`, (shape: { after: boolean }) => (db, p: Placeholders<CandidateParams>, dialect) => {
    const column = ruleColumn(kind);
    let q = db
      .selectFrom('sessions')
      .select(['id', sql.ref<string>(column).as('at_')])
      .where(column, 'is not', null)
      .where(ruleFilter(kind, p, dialect));
    if (shape.after) {
      // A row comparison: PostgreSQL needs the parameters' types inside it.
      q = q.where(sql<boolean>`(${sql.ref(column)}, id) > (${typed(p('afterAt'), 'timestamptz', dialect)}, ${typed(p('afterId'), 'text', dialect)})`);
    }
    return q.orderBy(column).orderBy('id').limit(typed(p('limit'), 'bigint', dialect));
  });
}

const walks = { expired: candidates('expired'), idle: candidates('idle'), ended: candidates('ended') };

/** The retention walks in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlRetentionStore implements RetentionStore {
  private readonly codec: RowCodec;

  constructor(private readonly runner: Runner) {
    this.codec = codecs[runner.dialect];
  }

  async candidates(rule: RetentionRule, after: RetentionKey | null, limit: number): Promise<RetentionKey[]> {
    const statement = walks[rule.kind](this.runner.dialect, { after: after !== null });
    const rows = await this.runner.all(statement, { ...ruleParams(rule), afterAt: after?.at ?? '', afterId: after?.id ?? '', limit });
    return rows.map((r) => ({ id: String(r.id), at: this.codec.time(r.at_) }));
  }
}
