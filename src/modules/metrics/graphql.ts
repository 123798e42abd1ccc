import { METRIC_STATS, parseInput, shortText } from '../../domain/inputs.js';
import { pagedByDefault } from '../../domain/paging.js';
import type { Metric as MetricRecord } from '../../domain/records.js';
import { builder, enumValues } from '../../graphql/builder.js';
import { metricKeyset, PAGED_BY_DEFAULT, readPage, toConnection } from '../../graphql/pagination.js';
import { parsed } from '../../graphql/validation.js';
import type { MetricPoint as MetricPointRecord, MetricSeries as MetricSeriesRecord } from './aggregate.js';
import { metricAggregateInput, recordMetricInput, recordMetricsInput } from './service.js';

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

const MetricStat = builder.enumType('MetricStat', {
  description: 'A statistic of an aggregate point: percentiles are exact, by nearest rank (docs/analytics.md).',
  values: enumValues(METRIC_STATS),
});

const MetricPoint = builder.objectRef<MetricPointRecord>('MetricPoint').implement({
  description: 'One time bucket of a series: the statistics asked for (the others are null).',
  fields: (t) => ({
    t: t.expose('t', { type: 'DateTime', description: 'The start of the bucket.' }),
    count: t.exposeInt('count', { nullable: true }),
    sum: t.exposeFloat('sum', { nullable: true }),
    avg: t.exposeFloat('avg', { nullable: true }),
    min: t.exposeFloat('min', { nullable: true }),
    max: t.exposeFloat('max', { nullable: true }),
    p50: t.exposeFloat('p50', { nullable: true }),
    p90: t.exposeFloat('p90', { nullable: true }),
    p95: t.exposeFloat('p95', { nullable: true }),
    p99: t.exposeFloat('p99', { nullable: true }),
  }),
});

const MetricSeries = builder.objectRef<MetricSeriesRecord>('MetricSeries').implement({
  description: 'The points of one group, oldest first; only buckets holding metrics have a point.',
  fields: (t) => ({
    group: t.expose('group', {
      type: 'JSONObject',
      description: 'The group\'s values: entity_type, entity_name, metric_name, session_id, or label:<key> (the label\'s JSON value, null when absent).',
    }),
    points: t.expose('points', { type: [MetricPoint] }),
  }),
});

builder.queryFields((t) => ({
  metricSeries: t.field({
    type: [MetricSeries],
    description: 'Statistics of the metrics the filter selects, per group and time bucket (docs/analytics.md): at most 10,000 points in all.',
    args: {
      entityType: t.arg.string(),
      entityName: t.arg.string(),
      sessionId: t.arg.id(),
      metricName: t.arg.string(),
      since: t.arg({ type: 'DateTime', required: true, description: 'Only metrics at or after this time.' }),
      until: t.arg({ type: 'DateTime', description: 'Only metrics at or before this time; now unless given.' }),
      bucket: t.arg.string({ required: true, description: '1m, 5m, 1h, 1d, or a whole number of seconds; buckets start at multiples of it since the Unix epoch.' }),
      stats: t.arg({ type: [MetricStat], description: 'Defaults to COUNT, SUM, AVG, MIN, MAX.' }),
      groupBy: t.arg.stringList({ description: 'Any of entity, entity_type, entity_name, metric_name, session, label:<key>; one series per distinct value.' }),
    },
    // Parsed as a whole here: the grouping's parsed form is not its GraphQL shape (see graphql/validation.ts).
    resolve: (_root, args, { storage }) => storage.metrics.aggregate(parseInput(metricAggregateInput, args)),
  }),
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
