import { resolve } from 'node:path';

/**
 * What one `npm run bench` does, from flags and environment. Flags win over the environment.
 *
 *   --quick            ~1 s per scenario, tiny data sizes (the smoke test uses it)
 *   --duration=S       seconds per load scenario            (BENCH_DURATION, default 10)
 *   --connections=N    connections for throughput runs      (BENCH_CONNECTIONS, default 50)
 *   --source           run the service with tsx from src/ instead of building dist/ (BENCH_SOURCE=1)
 *   --no-large         skip the large-store scenario        (BENCH_LARGE=0)
 *   --no-postgres      skip PostgreSQL                      (BENCH_POSTGRES=0)
 *   --no-peers         skip the peers that need an install of their own, bench/peers/ (BENCH_PEERS=0)
 *   --out=FILE         where the JSON goes                  (BENCH_OUT, default bench/results/latest.json)
 *   --only=A,B         run only the parts whose id contains one of these (BENCH_ONLY), e.g.
 *                      `--only=rest.session.get,coldstart`, `--only=langgraph` for the checkpoint savers
 *                      (bench/langgraph/run.ts), `--only=agent-turn` for an OpenAI Agents turn's storage
 *                      work (bench/agent-turn/run.ts), `--only=search` for full-text search and the cost of
 *                      indexing appends (bench/search/run.ts), `--only=analytics` for metric aggregates
 *                      (bench/analytics/run.ts), `--only=content` for artifact content upload and download
 *                      (bench/content/run.ts), `--only=peer` for the in-process peers (bench/peers/run.ts);
 *                      the Yoga baseline always runs (ratios need it)
 */
export interface BenchOptions {
  quick: boolean;
  durationSec: number;
  /** Warm-up before each measured load run (same request mix; not counted). */
  warmupSec: number;
  connections: number;
  /** 'dist': `npm run build` then `node dist/main.js`; 'source': `node --import tsx src/main.ts`. */
  serviceMode: 'dist' | 'source';
  coldStartRuns: number;
  outFile: string;
  postgres: 'auto' | 'off';
  /** Whether to run (and on first use install) the peers of bench/peers/. */
  peers: boolean;
  /** Admin connection used to create and drop the throwaway database. */
  postgresAdminUrl: string;
  sizes: Sizes;
  large: LargeSizes | null;
  /** The history the search section loads and searches (bench/search/). */
  search: SearchSizes;
  /**
   * Substrings of the parts to run (scenario ids like `sqlite/rest.session.get`, `baseline/sqlite.raw`,
   * `coldstart`, `large`); empty: everything. For profiling and re-measuring one miss without
   * sitting through the whole run.
   */
  only: string[];
}

/** Whether a part (a scenario id, `coldstart`, `large`, `baseline/sqlite.raw`) is selected by `--only`. */
export function selected(options: Pick<BenchOptions, 'only'>, id: string): boolean {
  return options.only.length === 0 || options.only.some((part) => id.includes(part));
}

export interface Sizes {
  /** Sessions the "spread" append and the session reads rotate over. */
  spreadSessions: number;
  /** Messages in the session read whole (REST history, GraphQL whole-session fetch). */
  bigHistory: number;
  /** Sessions of the nested GraphQL query, each with messages, state, artifacts and metrics. */
  nestedSessions: number;
  nestedMessages: number;
  cacheKeys: number;
  /** Iterations of the raw select + JSON.stringify baseline. */
  selectIterations: number;
}

export interface LargeSizes {
  messages: number;
  sessions: number;
  /** Messages of the one long session that is paged through (part of `messages`). */
  bigSession: number;
  pageSize: number;
}

export interface SearchSizes {
  sessions: number;
  /** Messages of each session. */
  perSession: number;
}

export const ROOT = resolve(import.meta.dirname, '..', '..');

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

export function parseOptions(argv: readonly string[], env: Record<string, string | undefined>): BenchOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument "${arg}" (see bench/lib/options.ts)`);
    flags.set(m[1]!, m[2] ?? 'true');
  }
  const known = ['quick', 'duration', 'connections', 'source', 'no-large', 'large', 'no-postgres', 'no-peers', 'out', 'only'];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown flag --${name}`);

  const quick = flags.has('quick') || env.BENCH_QUICK === '1';
  const durationSec = positiveInt('duration', flags.get('duration') ?? env.BENCH_DURATION, quick ? 1 : 10);
  const connections = Math.floor(positiveInt('connections', flags.get('connections') ?? env.BENCH_CONNECTIONS, 50));
  const serviceMode = flags.has('source') || env.BENCH_SOURCE === '1' ? 'source' : 'dist';
  const largeOff = flags.has('no-large') || env.BENCH_LARGE === '0';
  const postgres = flags.has('no-postgres') || env.BENCH_POSTGRES === '0' ? 'off' : 'auto';
  const peers = !(flags.has('no-peers') || env.BENCH_PEERS === '0');
  const only = (flags.get('only') ?? env.BENCH_ONLY ?? '').split(',').map((part) => part.trim()).filter(Boolean);

  const large: LargeSizes = quick
    ? { messages: 20_000, sessions: 200, bigSession: 2_000, pageSize: 500 }
    : {
        messages: Math.floor(positiveInt('BENCH_LARGE_MESSAGES', env.BENCH_LARGE_MESSAGES, 1_000_000)),
        sessions: Math.floor(positiveInt('BENCH_LARGE_SESSIONS', env.BENCH_LARGE_SESSIONS, 10_000)),
        bigSession: Math.floor(positiveInt('BENCH_LARGE_BIG_SESSION', env.BENCH_LARGE_BIG_SESSION, 100_000)),
        pageSize: 1000,
      };
  if (large.bigSession > large.messages) throw new Error('BENCH_LARGE_BIG_SESSION must not exceed BENCH_LARGE_MESSAGES');
  if (large.sessions < 2) throw new Error('BENCH_LARGE_SESSIONS must be at least 2');

  return {
    quick,
    durationSec,
    warmupSec: quick ? 0 : Math.min(2, durationSec / 5),
    connections,
    serviceMode,
    coldStartRuns: Math.floor(positiveInt('BENCH_COLD_RUNS', env.BENCH_COLD_RUNS, quick ? 1 : 5)),
    outFile: resolve(ROOT, flags.get('out') ?? env.BENCH_OUT ?? 'bench/results/latest.json'),
    postgres,
    peers,
    postgresAdminUrl: env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    sizes: quick
      ? { spreadSessions: 50, bigHistory: 1000, nestedSessions: 50, nestedMessages: 5, cacheKeys: 50, selectIterations: 30 }
      : { spreadSessions: 1000, bigHistory: 1000, nestedSessions: 50, nestedMessages: 10, cacheKeys: 1000, selectIterations: 300 },
    large: largeOff || !selected({ only }, 'large') ? null : large,
    search: quick
      ? { sessions: 100, perSession: 100 }
      : {
          sessions: Math.floor(positiveInt('BENCH_SEARCH_SESSIONS', env.BENCH_SEARCH_SESSIONS, 2_000)),
          perSession: Math.floor(positiveInt('BENCH_SEARCH_SESSION_MESSAGES', env.BENCH_SEARCH_SESSION_MESSAGES, 500)),
        },
    only,
  };
}
