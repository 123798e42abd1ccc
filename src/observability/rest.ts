import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Response } from '@whatwg-node/fetch';
import type { Logger } from 'pino';
import { json } from '../rest/http.js';
import type { Route } from '../rest/routes.js';
import type { Metrics } from './metrics.js';
import type { Readiness, ReadinessReport } from './readiness.js';

/**
 * `GET /metrics` (Prometheus text format; needs the `admin` scope, as the other operator routes do)
 * and `GET /ready` (open to anyone, as `/health` is: probes carry no key) on the service's port;
 * and the same two, without a key, on METRICS_LISTEN when set.
 */

export interface ObservabilityRouteDeps {
  metrics: Metrics;
  readiness: Readiness;
}

/** 200 when ready, else 503 with Retry-After: what a balancer reads; the body says why. */
function readyStatus(report: ReadinessReport): { status: number; body: ReadinessReport; headers: Record<string, string> } {
  return { status: report.ready ? 200 : 503, body: report, headers: report.ready ? {} : { 'retry-after': '5' } };
}

export function observabilityRoutes({ metrics, readiness }: ObservabilityRouteDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/metrics',
      scope: 'admin',
      handler: async () => {
        const { body, contentType } = await metrics.scrape();
        return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
      },
    },
    {
      method: 'GET',
      path: '/ready',
      public: true,
      handler: async () => {
        const { status, body, headers } = readyStatus(await readiness.report());
        return json(status, body, { 'cache-control': 'no-store', ...headers });
      },
    },
  ];
}

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/**
 * METRICS_LISTEN: a plain HTTP server for a scraper and probes on a private address, without keys —
 * only `GET /metrics` and `GET /ready`, nothing that reads data.
 */
export async function listenForMetrics(address: { host: string; port: number }, deps: ObservabilityRouteDeps, logger: Logger): Promise<MetricsListener> {
  const send = (res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers });
    res.end(body);
  };
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'application/json', JSON.stringify({ detail: 'Method Not Allowed' }), { allow: 'GET, HEAD' });
    }
    if (path === '/metrics') {
      const { body, contentType } = await deps.metrics.scrape();
      return send(res, 200, contentType, body);
    }
    if (path === '/ready') {
      const { status, body, headers } = readyStatus(await deps.readiness.report());
      return send(res, status, 'application/json', JSON.stringify(body), headers);
    }
    send(res, 404, 'application/json', JSON.stringify({ detail: 'Not Found' }));
  };
  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'unexpected error serving METRICS_LISTEN');
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ detail: 'Internal Server Error' }));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
