import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One line of the table: a load run against one server (or a baseline measured another way). */
export interface Row {
  /** `<group>/<scenario>`, e.g. `sqlite/rest.append.spread`; stable across runs, for comparisons. */
  id: string;
  /** `baseline`, a backend name (`sqlite`, `postgres`), or `large` (the large SQLite store). */
  group: string;
  scenario: string;
  description: string;
  connections: number | null;
  reqPerSec: number | null;
  /** Response bytes per second in MB (10^6); null where not measured over HTTP. */
  mbPerSec: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Peak RSS of the server (or baseline process) during the run. */
  rssMb: number | null;
  /** Non-2xx responses plus connection errors and timeouts. */
  errors: number;
}

export interface Ratio {
  id: string;
  description: string;
  measured: number | null;
  /** `>=`/`<=` a target; `info` has no target (a diagnostic number). */
  op: '>=' | '<=' | 'info';
  target: number | null;
  status: 'MET' | 'MISSED' | 'INFO' | 'N/A';
  /** How the number was obtained. */
  basis: string;
}

export interface ColdStart {
  server: string;
  description: string;
  runs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** SQL statements one GraphQL request ran, with their names. */
export interface StatementCount {
  backend: string;
  name: string;
  sessions: number;
  statements: number;
  names: string[];
  /** Median synchronous time of the request's backend calls (SQLite: SQL and rows → records), in process, ms. */
  backendMs: number;
}

export interface LargeReport {
  messages: number;
  sessions: number;
  bigSession: number;
  pageSize: number;
  seedSec: number;
  fileMb: number;
  rssMb: { idle: number | null; peak: number | null; beforePaging: number | null; afterGraphqlPaging: number | null; afterRestPaging: number | null; afterSecondPass: number | null };
  paging: { via: string; pages: number; messages: number; totalSec: number; p50Ms: number; p99Ms: number; rssPeakMb: number | null }[];
}

export interface BenchReport {
  meta: Record<string, unknown>;
  rows: Row[];
  ratios: Ratio[];
  coldStart: ColdStart[];
  statements: StatementCount[];
  large: LargeReport | null;
  /** What did not run, and why. */
  skipped: string[];
}

export function ratio(
  id: string,
  description: string,
  numerator: number | null | undefined,
  denominator: number | null | undefined,
  op: Ratio['op'],
  target: number | null,
  basis: string,
): Ratio {
  const measured = numerator == null || denominator == null || !Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0 ? null : numerator / denominator;
  return check(id, description, measured, op, target, basis);
}

/** A measured value (not a quotient) against a target. */
export function check(id: string, description: string, measured: number | null, op: Ratio['op'], target: number | null, basis: string): Ratio {
  let status: Ratio['status'] = 'N/A';
  if (op === 'info') status = measured === null ? 'N/A' : 'INFO';
  else if (measured !== null && target !== null) status = (op === '>=' ? measured >= target : measured <= target) ? 'MET' : 'MISSED';
  return { id, description, measured, op, target, status, basis };
}

const fmt = (v: number | null | undefined, digits = 1): string => (v == null || !Number.isFinite(v) ? '-' : v.toFixed(digits));
const fmtInt = (v: number | null | undefined): string => (v == null || !Number.isFinite(v) ? '-' : Math.round(v).toLocaleString('en-US'));

function table(header: string[], lines: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(line)].join('\n');
}

export function render(report: BenchReport): string {
  const out: string[] = [];
  out.push(
    table(
      ['scenario', 'conns', 'req/s', 'MB/s', 'p50 ms', 'p99 ms', 'RSS MB', 'errors'],
      report.rows.map((r) => [r.id, r.connections == null ? '-' : String(r.connections), fmtInt(r.reqPerSec), fmt(r.mbPerSec, 1), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2), fmt(r.rssMb, 0), String(r.errors)]),
      [false, true, true, true, true, true, true, true],
    ),
  );
  if (report.coldStart.length) {
    out.push('', 'Cold start (spawn to first 200 on the health path)');
    out.push(
      table(
        ['server', 'median ms', 'min ms', 'max ms', 'runs'],
        report.coldStart.map((c) => [c.server, fmt(c.medianMs, 0), fmt(c.minMs, 0), fmt(c.maxMs, 0), String(c.runs.length)]),
        [false, true, true, true, true],
      ),
    );
  }
  if (report.statements.length) {
    out.push('', 'SQL statements per GraphQL request (counted in process, same database)');
    out.push(
      table(
        ['backend', 'query', 'sessions', 'statements', 'in backend ms (p50)'],
        report.statements.map((q) => [q.backend, q.name, String(q.sessions), String(q.statements), fmt(q.backendMs, 2)]),
        [false, false, true, true, true],
      ),
    );
  }
  if (report.large) {
    const l = report.large;
    out.push('', `Large store: ${fmtInt(l.messages)} messages in ${fmtInt(l.sessions)} sessions (one of ${fmtInt(l.bigSession)}), ${fmt(l.fileMb, 0)} MB file, seeded in ${fmt(l.seedSec, 1)} s`);
    out.push(
      `  server RSS MB: idle ${fmt(l.rssMb.idle, 0)}, peak ${fmt(l.rssMb.peak, 0)}, before paging ${fmt(l.rssMb.beforePaging, 0)}, ` +
        `after GraphQL paging ${fmt(l.rssMb.afterGraphqlPaging, 0)}, after REST paging ${fmt(l.rssMb.afterRestPaging, 0)}, after a second GraphQL pass ${fmt(l.rssMb.afterSecondPass, 0)}`,
    );
    for (const p of l.paging) {
      out.push(`  ${p.via}: ${p.pages} pages of ${l.pageSize}, ${fmtInt(p.messages)} messages in ${fmt(p.totalSec, 2)} s; page p50 ${fmt(p.p50Ms, 1)} ms, p99 ${fmt(p.p99Ms, 1)} ms`);
    }
  }
  out.push('', 'Targets');
  out.push(
    table(
      ['target', 'measured', 'goal', 'status'],
      report.ratios.map((r) => [r.description, fmt(r.measured, 2), r.op === 'info' ? '-' : `${r.op} ${r.target}`, r.status]),
      [false, true, true, false],
    ),
  );
  if (report.skipped.length) out.push('', 'Skipped:', ...report.skipped.map((s) => `  - ${s}`));
  return out.join('\n');
}

export function writeReport(file: string, report: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
