import type { RetentionOutcome as RetentionOutcomeRecord, RetentionReport as RetentionReportRecord } from './service.js';
import { builder } from '../../graphql/builder.js';
import { requires } from '../../graphql/scopes.js';

export const RetentionOutcome = builder.objectRef<RetentionOutcomeRecord>('RetentionOutcome');

RetentionOutcome.implement({
  description: 'What one retention rule did (or, in a dry run, would do).',
  fields: (t) => ({
    count: t.expose('count', { type: 'NonNegativeInt', description: 'How many sessions (threads, for threadsDeleted).' }),
    ids: t.exposeIDList('ids', { description: 'Their ids, the first RETENTION_REPORT_IDS of them.' }),
  }),
});

export const RetentionReport = builder.objectRef<RetentionReportRecord>('RetentionReport');

RetentionReport.implement({
  description: 'One run of the retention rules (see docs/operations.md, Retention).',
  fields: (t) => ({
    dryRun: t.exposeBoolean('dryRun', { description: 'Nothing was written: the report says what a run would do.' }),
    ranAt: t.expose('ranAt', { type: 'DateTime', description: 'The moment the rules were applied at.' }),
    expiredDeleted: t.expose('expiredDeleted', { type: RetentionOutcome, description: 'Expired sessions deleted.' }),
    idleEnded: t.expose('idleEnded', { type: RetentionOutcome, description: 'Idle sessions ended (RETENTION_IDLE_HOURS).' }),
    endedDeleted: t.expose('endedDeleted', { type: RetentionOutcome, description: 'Long-ended sessions deleted (RETENTION_DELETE_ENDED_DAYS).' }),
    threadsDeleted: t.expose('threadsDeleted', {
      type: RetentionOutcome,
      description: 'LangGraph threads deleted: expired by their TTL, or idle (RETENTION_THREAD_IDLE_DAYS).',
    }),
  }),
});

builder.mutationFields((t) => ({
  runRetention: t.field({
    type: RetentionReport,
    // It deletes data by the operator's policy: an administrator's action (see http/auth.ts).
    extensions: requires('admin'),
    description:
      'Applies the retention rules now: deletes expired sessions, ends idle ones and deletes long-ended ones, as configured; ' +
      'deletes expired and (as configured) idle LangGraph threads. ' +
      'With dryRun: true, writes nothing and reports what it would do.',
    args: { dryRun: t.arg.boolean({ description: 'Default false.' }) },
    resolve: (_root, { dryRun }, { storage, config }) => storage.retention.run(config.retention, { dryRun: dryRun ?? false }),
  }),
}));
