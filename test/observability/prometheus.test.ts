import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMetrics, promtoolCheck, sampleValue } from '../support/metrics.js';
import { type Service, startService } from '../support/process.js';

/**
 * A real Prometheus server (Debian's `prometheus`) scrapes the service started as users start it
 * (its own process, METRICS_LISTEN on a free port): the target goes `up` and our series are
 * queryable. Waits are bounded polls of Prometheus' HTTP API, never sleeps standing for assertions.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a value (not undefined), for at most `timeoutMs`. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a real Prometheus server', () => {
  // Prometheus takes several seconds to start and scrape on a busy machine.
  it('scrapes /metrics from METRICS_LISTEN: the target is up and the service’s series can be queried', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-storage-prometheus-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const metricsPort = await freePort();
    const service: Service = await startService({
      DATABASE_URL: `sqlite:${join(dir, 'storage.db')}`,
      METRICS_LISTEN: `127.0.0.1:${metricsPort}`,
      LOG_LEVEL: 'info',
    });
    cleanups.push(async () => void (await service.stop()));
    expect(service.logs().find((l) => l.msg === 'agent storage listening')?.metricsUrl).toBe(`http://127.0.0.1:${metricsPort}`);
    // Something to count.
    expect((await fetch(`${service.url}/storage/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"agent_name":"scraped"}' })).status).toBe(200);

    // What Prometheus will read passes its own checker.
    const exposition = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(promtoolCheck(exposition)).toEqual({ status: 0, output: '' });
    expect(sampleValue(parseMetrics(exposition), 'agent_storage_http_request_duration_seconds_count', { route: '/storage/sessions', method: 'POST' })).toBe(1);

    const webPort = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: agent-storage',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${metricsPort}']`,
        '',
      ].join('\n'),
    );
    let output = '';
    const prometheus: ChildProcess = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${webPort}`,
        // No console assets needed: only the HTTP API is used.
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (chunk) => (output += chunk));
    prometheus.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => prometheus.once('exit', () => resolve()));
    cleanups.push(async () => {
      if (prometheus.exitCode === null) prometheus.kill('SIGTERM');
      await exited;
    });
    const api = `http://127.0.0.1:${webPort}/api/v1`;

    const target = await eventually('the scrape target is up', async () => {
      if (prometheus.exitCode !== null) throw new Error(`prometheus exited: ${output}`);
      const { data } = (await (await fetch(`${api}/targets`)).json()) as { data: { activeTargets: { health: string; scrapeUrl: string; lastError: string }[] } };
      return data.activeTargets.find((t) => t.health === 'up');
    });
    expect(target.scrapeUrl).toBe(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(target.lastError).toBe('');

    const series = await eventually('our request series is queryable', async () => {
      const query = encodeURIComponent('agent_storage_http_request_duration_seconds_count{route="/storage/sessions",method="POST"}');
      const { data } = (await (await fetch(`${api}/query?query=${query}`)).json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      return data.result[0];
    });
    expect(series.metric).toMatchObject({ job: 'agent-storage', route: '/storage/sessions', method: 'POST', status: '200' });
    expect(Number(series.value[1])).toBe(1);
    // Prometheus' own view of the scrape: our target answered its samples without a problem.
    const up = await eventually('up is 1', async () => {
      const { data } = (await (await fetch(`${api}/query?query=up`)).json()) as { data: { result: { value: [number, string] }[] } };
      return data.result[0]?.value[1];
    });
    expect(up).toBe('1');
  });
});
