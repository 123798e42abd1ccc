import { shortText } from '../../domain/inputs.js';
import { pagedByDefault } from '../../domain/paging.js';
import type { Metric as MetricRecord } from '../../domain/records.js';
import { builder } from '../../graphql/builder.js';
import { metricKeyset, PAGED_BY_DEFAULT, readPage, toConnection } from '../../graphql/pagination.js';
import { parsed } from '../../graphql/validation.js';
import { recordMetricInput, recordMetricsInput } from './service.js';

// The metrics' GraphQL type and root fields: each resolver parses its arguments and calls one
// operation of the tenant's metric service (`storage.metrics`). A session's `metrics` field is
// the Session type's, through the per-request loaders (graphql/loaders.ts).

export const Metric = builder.objectRef<MetricRecord>('Metric');

export const MetricConnection = builder.connectionObject({ type: Metric, name: 'MetricConnection' });

Metric.implement({
  description: 'One measurement about an entity (an agent, a tool, a model...), optionally tied to a session.',
  fields: (t) => ({
    id: t.exposeID('id'),
    entityType: t.exposeString('entityType'),
    entityName: t.exposeString('entityName'),
    sessionId: t.exposeID('sessionId', { nullable: true }),
    metricName: t.exposeString('metricName'),
    value: t.exposeFloat('value'),
    timestamp: t.expose('timestamp', { type: 'DateTime' }),
    labels: t.expose('labels', { type: 'JSONObject' }),
  }),
});

const RecordMetricInput = builder.inputType('RecordMetricInput', {
  fields: (t) => ({
    entityType: t.string({ required: true }),
    entityName: t.string({ required: true }),
    sessionId: t.id(),
    metricName: t.string({ required: true }),
    value: t.float({ required: true }),
    timestamp: t.field({ type: 'DateTime', description: 'Defaults to the time of recording.' }),
    labels: t.field({ type: 'JSONObject', description: 'Defaults to {}.' }),
  }),
});

builder.queryFields((t) => ({
  metrics: t.connection(
    {
      type: Metric,
      extensions: PAGED_BY_DEFAULT,
      description: 'Metrics, oldest first, filtered by every argument given; 100 per page unless asked otherwise.',
      args: {
        entityType: t.arg.string({ validate: { schema: shortText } }),
        entityName: t.arg.string({ validate: { schema: shortText } }),
        sessionId: t.arg.id({ validate: { schema: shortText } }),
        metricName: t.arg.string({ validate: { schema: shortText } }),
        since: t.arg({ type: 'DateTime', description: 'Only metrics at or after this time.' }),
        until: t.arg({ type: 'DateTime', description: 'Only metrics at or before this time.' }),
      },
      resolve: async (_root, args, { config, storage }) => {
        const { first, after, last, before, ...filter } = args;
        const page = readPage({ first, after, last, before }, metricKeyset, pagedByDefault(config.maxPageSize));
        const rows = await storage.metrics.list(filter, page.slice);
        return toConnection(rows, page, metricKeyset, () => storage.metrics.count(filter));
      },
    },
    MetricConnection,
  ),
}));

builder.mutationFields((t) => ({
  recordMetric: t.field({
    type: Metric,
    args: { input: t.arg({ type: RecordMetricInput, required: true, validate: { schema: recordMetricInput } }) },
    resolve: async (_root, args, { storage }) => {
      const [metric] = await storage.metrics.record([parsed(recordMetricInput, args.input)]);
      return metric!;
    },
  }),
  recordMetrics: t.field({
    type: [Metric],
    description: 'Records metrics in one transaction: all or nothing.',
    args: { inputs: t.arg({ type: [RecordMetricInput], required: true, validate: { schema: recordMetricsInput } }) },
    resolve: (_root, args, { storage }) => storage.metrics.record(parsed(recordMetricsInput, args.inputs)),
  }),
}));
