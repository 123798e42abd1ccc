import { context, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type DocumentNode, type GraphQLError, type GraphQLFieldResolver, type GraphQLSchema, Kind } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { Counter, Histogram } from 'prom-client';
import type { Metrics } from './metrics.js';
import { failed } from './tracing.js';

/** Operation durations: 1 ms to 10 s (until the first result; a subscription's, until it is set up). */
const OPERATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/** The series of one (operation name, type), looked up once. */
interface OperationSeries {
  count: Counter.Internal;
  duration: Histogram.Internal<'operation_name' | 'operation_type'>;
}

/**
 * GraphQL operation metrics into this server's registry: operations and their durations by
 * operation name and type, and errors by `extensions.code` into `agent_storage_errors_total{door="graphql"}`
 * (the one error counter, beside REST's). Operation names come from clients: the first 100 are kept,
 * later ones count as `other`.
 *
 * Written here rather than with `@graphql-yoga/plugin-prometheus`: that plugin hooks every phase of
 * every operation (parse, validate, context, execute) and builds label objects for each, even for
 * the metrics it is told to skip (with it, a small query paid 10% of its CPU for metrics:
 * bench/results/2026-12-07-metrics-overhead-ab.json). This is one timer per operation and two label
 * children kept per (name, type).
 */
export function graphqlMetrics(metrics: Metrics): Plugin {
  const { registry, operationNames } = metrics;
  const operations = new Counter({
    name: 'agent_storage_graphql_operations_total',
    help: 'GraphQL operations executed, by operation name (the first 100 seen, then "other") and type.',
    labelNames: ['operation_name', 'operation_type'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'agent_storage_graphql_operation_duration_seconds',
    help: 'Time to execute a GraphQL operation, by operation name and type.',
    labelNames: ['operation_name', 'operation_type'],
    buckets: OPERATION_BUCKETS,
    registers: [registry],
  });
  const series = new Map<string, OperationSeries>();
  // Documents are parsed once and cached by Yoga, so their label key is found once per document.
  const keys = new WeakMap<DocumentNode, Map<string | undefined, string>>();

  function seriesOf(document: DocumentNode, operationName: string | null | undefined): OperationSeries {
    let byName = keys.get(document);
    if (!byName) keys.set(document, (byName = new Map()));
    let key = byName.get(operationName ?? undefined);
    if (key === undefined) {
      const operation = document.definitions.find(
        (d) => d.kind === Kind.OPERATION_DEFINITION && (operationName == null || d.name?.value === operationName),
      );
      const type = operation?.kind === Kind.OPERATION_DEFINITION ? operation.operation : 'unknown';
      const name = operation?.kind === Kind.OPERATION_DEFINITION ? (operation.name?.value ?? 'Anonymous') : 'Anonymous';
      key = `${operationNames.of(name)}\u0000${type}`;
      byName.set(operationName ?? undefined, key);
    }
    let found = series.get(key);
    if (!found) {
      const [name, type] = key.split('\u0000') as [string, string];
      found = { count: operations.labels(name, type), duration: durations.labels(name, type) };
      series.set(key, found);
    }
    return found;
  }

  const countErrors = (errors: readonly GraphQLError[] | undefined) => {
    if (errors) for (const error of errors) metrics.errorAnswered('graphql', codeOf(error) ?? 'UNKNOWN');
  };

  type Done = Parameters<typeof handleStreamOrSingleExecutionResult>[0];
  /** Counts an operation as it starts; `done` observes its duration since. */
  const started = (args: { document: DocumentNode; operationName?: string | null }) => {
    const begun = performance.now();
    const operation = seriesOf(args.document, args.operationName);
    operation.count.inc();
    let observed = false;
    return () => {
      if (observed) return;
      observed = true;
      operation.duration.observe((performance.now() - begun) / 1000);
    };
  };

  return {
    // A document refused before it runs counts once, under the code its (first) error carries.
    onParse: () => ({ result }) => {
      if (result instanceof Error) metrics.errorAnswered('graphql', codeOf(result) ?? 'GRAPHQL_PARSE_FAILED');
    },
    onValidate: () => ({ result }) => {
      if (result.length > 0) metrics.errorAnswered('graphql', codeOf(result[0]) ?? 'GRAPHQL_VALIDATION_FAILED');
    },
    // A query's or mutation's time runs to its first result (an incremental one's first payload).
    onExecute: ({ args }) => {
      const done = started(args);
      return {
        onExecuteDone: (payload: Done) =>
          handleStreamOrSingleExecutionResult(payload, ({ result }) => {
            done();
            countErrors(result.errors);
          }),
      };
    },
    // A subscription's runs to its setting up; its events' errors are counted as they come.
    onSubscribe: ({ args }) => {
      const done = started(args);
      return {
        onSubscribeResult: (payload: Done) => {
          done();
          return handleStreamOrSingleExecutionResult(payload, ({ result }) => countErrors(result.errors));
        },
        onSubscribeError: ({ error }: { error: unknown }) => metrics.errorAnswered('graphql', codeOf(error) ?? 'UNKNOWN'),
      };
    },
  };
}

/** An error's `extensions.code` (ours are a short fixed list), if it has a sane one. */
function codeOf(error: unknown): string | undefined {
  const code = (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : undefined;
}

/**
 * A copy of `schema` whose resolvers that reach storage run in a span of their own: every root
 * field, and every field that reads other records (`requiredScope` in its extensions: a session's
 * history, state, artifacts, …; see graphql/scopes.ts). Fields that only read a property of their
 * parent (scalars, ids) get none: they touch no storage and would bury the trace.
 *
 * Hand-written rather than `@envelop/opentelemetry`: that plugin wraps every field resolver of the
 * shared schema in place (including scalars), and its 9.x depends on a 1.x SDK — a second SDK
 * beside the 2.x one the exporter needs. Here the traced schema is a copy, made only when tracing
 * is on: the untraced service runs the original resolvers, unwrapped.
 */
export function tracedSchema(schema: GraphQLSchema, tracer: Tracer): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t!.name));
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      if (!roots.has(typeName) && field.extensions?.['requiredScope'] === undefined) return field;
      const name = `${typeName}.${fieldName}`;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      const traced = (inner: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> =>
        function (root, args, ctx, info) {
          const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes: { 'graphql.field.path': pathOf(info.path) } });
          return context.with(trace.setSpan(context.active(), span), () => {
            let result: unknown;
            try {
              result = inner(root, args, ctx, info);
            } catch (error) {
              failed(span, error);
              span.end();
              throw error;
            }
            if (result instanceof Promise) {
              return result.then(
                (value) => {
                  span.end();
                  return value;
                },
                (error: unknown) => {
                  failed(span, error);
                  span.end();
                  throw error;
                },
              );
            }
            span.end();
            return result;
          });
        };
      // A subscription's span is the setting up of its stream (`subscribe`), not each event it maps.
      if (field.subscribe) return { ...field, subscribe: traced(field.subscribe) };
      return { ...field, resolve: traced(resolve) };
    },
  });
}

function pathOf(path: { prev: unknown; key: string | number } | undefined): string {
  const keys: (string | number)[] = [];
  for (let p = path; p; p = p.prev as typeof path) keys.unshift(p.key);
  return keys.join('.');
}
