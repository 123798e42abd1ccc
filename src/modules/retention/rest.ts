import { z } from 'zod';
import type { RetentionReport } from './service.js';
import { json, parseWire, queryObject } from '../../rest/http.js';
import type { Route, RouteDeps } from '../../rest/routes.js';

function reportToWire(r: RetentionReport) {
  const outcome = (o: RetentionReport['idleEnded']) => ({ count: o.count, ids: o.ids });
  return {
    dry_run: r.dryRun,
    ran_at: r.ranAt,
    expired_deleted: outcome(r.expiredDeleted),
    idle_ended: outcome(r.idleEnded),
    ended_deleted: outcome(r.endedDeleted),
    threads_deleted: outcome(r.threadsDeleted),
  };
}

const runQuery = z.object({
  dryRun: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
});

export function retentionRoutes({ config }: RouteDeps): Route[] {
  return [
    {
      // Applies the retention rules now; `dry_run=true` writes nothing and reports what a run would do.
      method: 'POST',
      path: '/storage/retention/run',
      // It deletes data by the operator's policy: an administrator's action, like managing keys.
      scope: 'admin',
      handler: async (req) => {
        const { dryRun } = parseWire(runQuery, queryObject(req.query), 'query');
        return json(200, reportToWire(await req.storage.retention.run(config.retention, { dryRun })));
      },
    },
  ];
}
