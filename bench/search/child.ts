import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { openSqliteConnection } from '../../src/db/sqlite/runner.js';
import { registerSearchFunctions } from '../../src/modules/search/sqlite-functions.js';
import { percentile } from '../lib/stats.js';
import { restQuery, type SearchCase } from './corpus.js';
import { type RecordedSearch, type RecordedStatement, recordSearch, valuesAt } from './statements.js';

/*
 * The search latency driver, a process of its own (run by bench/search/run.ts with JSON on stdin):
 * one search at a time, the two subjects taking turns — `GET /storage/search` to the service over
 * HTTP, and the same SQL statements (statements.ts) on a connection of this process to the same
 * database — so that both are measured under the same load, whatever else the machine does. The
 * cases of the mix go round in order; which subject goes first alternates. Prints the latencies as
 * JSON.
 */

export interface ChildInput {
  dialect: 'sqlite' | 'postgres';
  /** `sqlite:<file>` or a `postgres://` URL: the database the service serves. */
  databaseUrl: string;
  serviceUrl: string;
  cases: SearchCase[];
  limit: number;
  durationMs: number;
  warmupMs: number;
}

export interface Latency {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

export interface ChildResult {
  /** Per subject (`service`, `in-process`), per case id. */
  latency: Record<'service' | 'in-process', Record<string, Latency>>;
  /** Per case: how many messages match (the service's total_count, bounded) and the first page's size. */
  matches: Record<string, { totalCount: number; estimate: boolean; page: number }>;
}

const input = JSON.parse(readFileSync(0, 'utf8')) as ChildInput;

/** Runs a case's two statements as the service does; the page's message ids and the count. */
type Baseline = (search: RecordedSearch) => Promise<{ ids: string[]; count: number }>;

async function openBaseline(): Promise<{ run: Baseline; close(): Promise<void> }> {
  if (input.dialect === 'sqlite') {
    // The service's own connection settings (pragmas, page cache) and its search_score function.
    const db = openSqliteConnection({ filename: input.databaseUrl.replace(/^sqlite:/, '') });
    registerSearchFunctions(db);
    const prepared = new Map<string, Database.Statement>();
    const statement = (s: RecordedStatement) => {
      let p = prepared.get(s.sql);
      if (!p) prepared.set(s.sql, (p = db.prepare(s.sql)));
      return p;
    };
    return {
      // The SQLite runner runs a request's statements one after the other, synchronously.
      run: async ({ page, count }) => {
        const now = new Date().toISOString();
        const rows = statement(page).all(valuesAt(page, now)) as { id: string }[];
        const n = statement(count).get(valuesAt(count, now)) as { n: number };
        return { ids: rows.map((r) => r.id), count: Number(n.n) };
      },
      close: async () => void db.close(),
    };
  }
  // The service runs the page and the count at once, on two pooled connections: so does this.
  const clients = [new pg.Client({ connectionString: input.databaseUrl }), new pg.Client({ connectionString: input.databaseUrl })];
  await Promise.all(clients.map((c) => c.connect()));
  const names = new Map<string, string>();
  // Named (prepared) statements with the `/* name */` comment, as the PostgreSQL runner sends them.
  const query = (client: pg.Client, s: RecordedStatement, now: string) => {
    const text = `/* ${s.name} */ ${s.sql}`;
    let name = names.get(text);
    if (!name) names.set(text, (name = `${s.name}_${names.size}`));
    return client.query({ name, text, values: valuesAt(s, now) });
  };
  return {
    run: async ({ page, count }) => {
      const now = new Date().toISOString();
      const [rows, n] = await Promise.all([query(clients[0]!, page, now), query(clients[1]!, count, now)]);
      return { ids: rows.rows.map((r: { id: string }) => r.id), count: Number(n.rows[0]?.n ?? 0) };
    },
    close: async () => void (await Promise.all(clients.map((c) => c.end()))),
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One GET on a kept-alive connection: status and body (the time includes reading the whole body). */
function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(input.serviceUrl + path, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const baseline = await openBaseline();
try {
  const cases = await Promise.all(input.cases.map(async (c) => ({ c, path: `/storage/search?${restQuery(c, input.limit)}`, search: await recordSearch(input.dialect, c, input.limit) })));

  // First, that both subjects answer the same: the same messages in the same order, the same count.
  const matches: ChildResult['matches'] = {};
  for (const { c, path, search } of cases) {
    const response = await get(path);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.body.slice(0, 300)}`);
    const body = JSON.parse(response.body) as { results: { message: { id: string } }[]; total_count: number; total_count_is_estimate: boolean };
    const served = body.results.map((r) => r.message.id);
    const direct = await baseline.run(search);
    if (served.length === 0) throw new Error(`search bench: "${c.q}" matched nothing: the corpus lacks what the case needs`);
    if (JSON.stringify(served) !== JSON.stringify(direct.ids.slice(0, input.limit))) {
      throw new Error(`search bench: "${c.q}": the service and the direct statements disagree (${served.slice(0, 3).join(',')}… vs ${direct.ids.slice(0, 3).join(',')}…)`);
    }
    matches[c.id] = { totalCount: body.total_count, estimate: body.total_count_is_estimate, page: served.length };
  }

  const samples = { service: new Map<string, number[]>(), 'in-process': new Map<string, number[]>() };
  for (const s of Object.values(samples)) for (const { c } of cases) s.set(c.id, []);
  const from = performance.now() + input.warmupMs;
  const until = from + input.durationMs;
  for (let round = 0; ; round++) {
    const started = performance.now();
    if (started >= until) break;
    const measured = started >= from;
    const { c, path, search } = cases[round % cases.length]!;
    const serviceFirst = Math.floor(round / cases.length) % 2 === 0;
    for (const subject of serviceFirst ? (['service', 'in-process'] as const) : (['in-process', 'service'] as const)) {
      const t = performance.now();
      if (subject === 'service') {
        const response = await get(path);
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      } else {
        await baseline.run(search);
      }
      if (measured) samples[subject].get(c.id)!.push(performance.now() - t);
    }
  }

  const stats = (values: number[]): Latency => {
    const sorted = Float64Array.from(values).sort();
    return { samples: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), meanMs: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length) };
  };
  const latency = {} as ChildResult['latency'];
  for (const [subject, byCase] of Object.entries(samples) as [keyof typeof samples, Map<string, number[]>][]) {
    latency[subject] = {};
    for (const [id, values] of byCase) latency[subject][id] = stats(values);
  }
  const result: ChildResult = { latency, matches };
  process.stdout.write(JSON.stringify(result));
} finally {
  agent.destroy();
  await baseline.close();
}
