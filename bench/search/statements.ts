import { NO_OBSERVER, type Row, type Runner } from '../../src/db/runner.js';
import { type Dialect, type Params, type ParamValue, type Statement, valuesOf } from '../../src/db/statements.js';
import { SEARCH_LIMITS, searchInput } from '../../src/modules/search/inputs.js';
import { SqlSearchStore } from '../../src/modules/search/store.js';
import type { SearchCase } from './corpus.js';

/**
 * The SQL one search request runs, taken from the search module itself: its store is called as the
 * service calls it (`SearchService.search`: a page of `limit + 1` and a count bounded at
 * `countBound + 1`, at once) over a runner that records each statement and its parameters instead
 * of running them. The baseline then runs exactly that text with those values on its own
 * connection, so the service and the baseline cannot drift apart when the module's SQL changes.
 */

export interface RecordedStatement {
  name: string;
  sql: string;
  /** Parameter names in placeholder order (`liveAt` is refreshed on each run, as the service does). */
  order: string[];
  values: ParamValue[];
}

export interface RecordedSearch {
  page: RecordedStatement;
  count: RecordedStatement;
}

/** A runner that runs nothing: it keeps what it was asked to run and answers no rows. */
class RecordingRunner implements Runner {
  readonly recorded: RecordedStatement[] = [];
  readonly observer = NO_OBSERVER;
  constructor(readonly dialect: Dialect) {}

  private record<P extends Params>(statement: Statement<P>, params: P): void {
    // As the SQLite runner passes lists (JSON text); PostgreSQL takes arrays as they are.
    const values = valuesOf(statement, params).map((v) => (this.dialect === 'sqlite' && Array.isArray(v) ? JSON.stringify(v) : v));
    this.recorded.push({ name: statement.name, sql: statement.sql, order: [...statement.order], values });
  }

  async all<P extends Params>(statement: Statement<P>, params: P): Promise<Row[]> {
    this.record(statement, params);
    return [];
  }
  async one<P extends Params>(statement: Statement<P>, params: P): Promise<Row | undefined> {
    this.record(statement, params);
    return undefined;
  }
  write(): Promise<number> {
    throw new Error('the search benchmark records reads only');
  }
  transaction(): Promise<never> {
    throw new Error('the search benchmark records reads only');
  }
}

/** The two statements of one REST search request for `c` (first page, `limit` results). */
export async function recordSearch(dialect: Dialect, c: SearchCase, limit: number): Promise<RecordedSearch> {
  const input = searchInput.parse({ query: c.q, agentName: c.agentName, limit });
  const runner = new RecordingRunner(dialect);
  const store = new SqlSearchStore(runner, true);
  const filter = c.agentName === undefined ? {} : { agentName: c.agentName };
  const liveAt = new Date().toISOString();
  await store.search('messages', input.query, filter, null, limit + 1, liveAt);
  await store.count('messages', input.query, filter, SEARCH_LIMITS.countBound + 1, liveAt);
  const [page, count] = runner.recorded;
  if (!page || !count || runner.recorded.length !== 2) throw new Error(`search bench: expected a page and a count statement, got ${runner.recorded.map((r) => r.name).join(', ')}`);
  return { page, count };
}

/** A recorded statement's values with `liveAt` set to `now` (the service reads at the current time). */
export function valuesAt(statement: RecordedStatement, now: string): ParamValue[] {
  return statement.order.map((name, i) => (name === 'liveAt' ? now : statement.values[i]!));
}
