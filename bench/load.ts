import autocannon from 'autocannon';
import { request } from 'node:http';
import { text } from 'node:stream/consumers';
import type { LoadResult, LoadSpec } from './lib/load.js';

/*
 * The load generator: its own process, started by the orchestrator for every scenario. Reads a
 * LoadSpec as JSON on stdin, runs autocannon (a warm-up, then the measured run) and prints a
 * LoadResult as JSON on stdout.
 *
 * Self-contained on purpose (only type imports from local files): the orchestrator transpiles it
 * and runs it with plain `node`, without a TypeScript loader in the load process.
 */

function options(spec: LoadSpec, durationSec: number): autocannon.Options {
  const headers: Record<string, string> = spec.body !== undefined ? { 'content-type': 'application/json' } : {};
  const base = { url: spec.url, connections: spec.connections, duration: durationSec, timeout: 30 };
  const values = spec.values ?? [];
  if (values.length === 0) {
    return { ...base, requests: [{ method: spec.method, path: spec.path, headers, ...(spec.body !== undefined && { body: spec.body }) }] };
  }
  // One counter for all connections: consecutive requests go to consecutive values.
  let next = 0;
  return {
    ...base,
    requests: [
      {
        method: spec.method,
        path: spec.path,
        headers,
        setupRequest: (req) => {
          const v = values[next++ % values.length]!;
          return {
            ...req,
            path: spec.path.replaceAll('{v}', v),
            ...(spec.body !== undefined && { body: spec.body.replaceAll('{v}', v) }),
          };
        },
      },
    ],
  };
}

function run(spec: LoadSpec, durationSec: number): Promise<{ result: autocannon.Result; latencies: number[] }> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(options(spec, durationSec), (error: unknown, result) => {
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve({ result, latencies });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

function timedGet(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - started));
    });
    req.on('error', () => resolve(Infinity));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Waits until the server has worked off what autocannon left in flight when it stopped (the server
 * keeps processing requests whose clients have gone): three quick answers from the health path in
 * a row. Without this, a heavy scenario's backlog would be charged to the next run.
 */
async function settle(spec: LoadSpec): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (let quick = 0; quick < 3 && performance.now() < deadline; ) {
    quick = (await timedGet(spec.url + spec.settlePath)) < 20 ? quick + 1 : 0;
  }
}

const spec = JSON.parse(await text(process.stdin)) as LoadSpec;
if (spec.warmupSec > 0) {
  await run(spec, spec.warmupSec);
  await settle(spec);
}
const { result, latencies } = await run(spec, spec.durationSec);
await settle(spec);

const sorted = Float64Array.from(latencies).sort();
const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : NaN);
const statusCodes: Record<string, number> = {};
for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (stat as { count: number }).count;
const out: LoadResult = {
  ok: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
  durationSec: result.duration,
  reqPerSec: result['2xx'] / result.duration,
  mbPerSec: result.throughput.total / result.duration / 1e6,
  p50Ms: at(50),
  p99Ms: at(99),
  meanMs: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN,
  statusCodes,
};
process.stdout.write(JSON.stringify(out));
