import { runJsonChild, sampleRss } from './processes.js';
import { transpileToBuild } from './transpile.js';

/** One load run, as the load-generator process (bench/load.ts) gets it on stdin. */
export interface LoadSpec {
  /** Base URL of the server, e.g. http://127.0.0.1:41234 */
  url: string;
  connections: number;
  durationSec: number;
  /** A run before the measured one, with the same requests; its numbers are dropped. */
  warmupSec: number;
  method: 'GET' | 'POST' | 'PUT';
  /** Request path; `{v}` is replaced by the next of `values`, round robin. */
  path: string;
  /** JSON body text; `{v}` is replaced like in `path`. */
  body?: string;
  values?: string[];
  /** A cheap GET that answers 200 when the server is idle (used to let a backlog drain). */
  settlePath: string;
}

export interface LoadResult {
  /** Responses with a 2xx status. */
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  durationSec: number;
  /** 2xx responses per second. */
  reqPerSec: number;
  /** Response bytes per second (headers and bodies, as autocannon counts them), in MB (10^6). */
  mbPerSec: number;
  /** Latency of 2xx responses, ms (computed from every response time, not autocannon's integer histogram). */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  statusCodes: Record<string, number>;
}

export interface MeasuredLoad extends LoadResult {
  /** Peak and final RSS of the server process during the measured run. */
  rssPeakMb: number | null;
  rssEndMb: number | null;
}

/**
 * Runs one load in a separate process (so that the generator never shares an event loop with the
 * server or the orchestrator) while sampling the server's RSS.
 */
export async function runLoad(spec: LoadSpec, serverPid: number): Promise<MeasuredLoad> {
  const sampler = sampleRss(serverPid);
  try {
    const result = await runJsonChild<LoadResult>([transpileToBuild('bench/load.ts')], spec);
    const rss = sampler.stop();
    return { ...result, rssPeakMb: rss.peakMb, rssEndMb: rss.lastMb };
  } finally {
    sampler.stop();
  }
}
