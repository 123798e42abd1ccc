import { context, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from './metrics.js';
import { failed } from './tracing.js';

/** Operation durations: 1 ms to 10 s (a subscription's counts until it is set up). */
const OPERATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * GraphQL operation metrics from Yoga's Prometheus plugin, into this server's registry: operations
 * and their durations by operation name and type, and errors by `extensions.code` into
 * `agent_storage_errors_total{door="graphql"}` (the one error counter, beside REST's). Only those:
 * the per-phase histograms and the summary would cost time on every operation for little use, the
 * plugin's HTTP histogram labels by full URL (unbounded; our own HTTP histogram covers both doors
 * by route), and its `/metrics` endpoint would bypass our admin check (observability/rest.ts serves it).
 * Operation names come from clients: the first 100 are kept, later ones count as `other`.
 */
export function graphqlMetrics(metrics: Metrics): Plugin {
  const { registry, operationNames } = metrics;
  const labels = (params: { operationName?: string; operationType?: string }) => ({
    operation_name: operationNames.of(params.operationName ?? 'Anonymous'),
    operation_type: params.operationType ?? 'unknown',
  });
  return usePrometheus({
    registry,
    endpoint: false,
    metrics: {
      // Named by Prometheus' conventions (the plugin's defaults are not: camelCase labels, a counter
      // without `_total`, which promtool's lint refuses).
      graphql_envelop_request: createCounter({
        registry,
        counter: {
          name: 'agent_storage_graphql_operations_total',
          help: 'GraphQL operations executed, by operation name (the first 100 seen, then "other") and type.',
          labelNames: ['operation_name', 'operation_type'],
        },
        fillLabelsFn: labels,
      }),
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'agent_storage_graphql_operation_duration_seconds',
          help: 'Time to execute a GraphQL operation, by operation name and type.',
          labelNames: ['operation_name', 'operation_type'],
          buckets: OPERATION_BUCKETS,
        },
        fillLabelsFn: labels,
      }),
      graphql_envelop_error_result: {
        counter: metrics.errorCounter,
        // One per error of a result; a document refused by validation (or parsing) counts once,
        // under the code its errors carry (the plugin hands over no error for those phases).
        fillLabelsFn: (params) => ({ door: 'graphql', code: codeOf(params.error) ?? PHASE_CODES[params.errorPhase ?? ''] ?? 'UNKNOWN' }),
      },
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
      graphql_yoga_http_duration: false,
    },
  });
}

/** The codes Yoga gives the errors of a document refused before it runs. */
const PHASE_CODES: Record<string, string> = { parse: 'GRAPHQL_PARSE_FAILED', validate: 'GRAPHQL_VALIDATION_FAILED' };

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
