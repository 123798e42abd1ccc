import { SERVICE } from '../version.js';
import { json } from './http.js';
import type { Storage } from '../storage/storage.js';
import type { Route } from './routes.js';

/** `/health` for load balancers (open to anyone) and `/` for people: what this is and where to go. */
export function serviceRoutes(storage: Storage, listRoutes: () => Route[]): Route[] {
  return [
    {
      method: 'GET',
      path: '/health',
      public: true,
      handler: async () => {
        const base = { service: SERVICE.name, version: SERVICE.version, backend: storage.backend.kind };
        try {
          await storage.backend.ping();
          return json(200, { status: 'healthy', ...base, timestamp: new Date().toISOString() });
        } catch {
          return json(503, { status: 'unhealthy', ...base, detail: 'The database does not answer' }, { 'retry-after': '5' });
        }
      },
    },
    {
      method: 'GET',
      path: '/',
      handler: () =>
        json(200, {
          service: SERVICE.name,
          version: SERVICE.version,
          description: 'Storage for AI agents: sessions, history, state, artifacts, metrics and a TTL cache.',
          graphql: '/graphql',
          console: '/console/',
          health: '/health',
          ready: '/ready',
          metrics: '/metrics',
          endpoints: listRoutes()
            .filter((r) => r.path.startsWith('/storage'))
            .map((r) => `${r.method} ${r.path.replace(/:(\w+)\*?/g, '{$1}')}`),
        }),
    },
  ];
}
