import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ZodPlugin from '@pothos/plugin-zod';
import { GraphQLError, Kind, print } from 'graphql';
import { GraphQLJSON, GraphQLJSONObject, GraphQLNonNegativeInt, GraphQLPositiveInt, GraphQLSafeInt } from 'graphql-scalars';
import { parseTimestamp } from '../domain/inputs.js';
import type { Json, JsonObject } from '../domain/json.js';
import type { GraphQLContext } from './context.js';
import { validationErrorOf } from './errors.js';

/**
 * The one Pothos builder: plugins, scalars and the root types. Object types and their own
 * query/mutation fields live in `types/<Type>.ts`.
 */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  // Fields are non-null unless they say otherwise: a missing value is then a deliberate `nullable: true`.
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string };
    JSON: { Input: Json; Output: Json };
    JSONObject: { Input: JsonObject; Output: JsonObject };
    NonNegativeInt: { Input: number; Output: number };
    PositiveInt: { Input: number; Output: number };
    SafeInt: { Input: number; Output: number };
    /** An uploaded file (GraphQL multipart request): input only. */
    File: { Input: File; Output: never };
  };
  // Every connection resolver hands over its count lazily: it costs a query only when selected.
  Connection: { totalCount: () => Promise<number> };
}>({
  // Relay's wrapper is outermost, then zod's: arguments are validated right before the resolver.
  plugins: [RelayPlugin, ZodPlugin],
  defaultFieldNullability: false,
  relay: {
    // Ids are the service's own plain ids; there are no global ids, no `Node` interface and no
    // `node`/`nodes` root fields.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodesOnConnection: true,
    cursorType: 'String',
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
    firstArgOptions: { description: 'Page forward: at most this many items, from the start or after `after`.' },
    afterArgOptions: { description: 'A cursor from this connection: only items after it.' },
    lastArgOptions: { description: 'Page backward: at most this many items, from the end or before `before`.' },
    beforeArgOptions: { description: 'A cursor from this connection: only items before it.' },
  },
  zod: { validationError: validationErrorOf },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

builder.globalConnectionField('totalCount', (t) =>
  t.field({
    type: 'NonNegativeInt',
    description: 'How many items the connection has in all (with its filters), regardless of paging.',
    resolve: (connection) => connection.totalCount(),
  }),
);

// --- scalars ------------------------------------------------------------------------------------

/**
 * Timestamps are ISO 8601 strings in the domain. Inputs are read with the domain's own parser, the
 * one REST uses: an offset is converted to UTC, a date-time without one is taken as UTC, and the
 * resolver receives the canonical form (`2026-01-31T12:00:00.000Z`).
 */
function parseDateTime(value: unknown, shown: string = JSON.stringify(value)): string {
  const parsed = typeof value === 'string' ? parseTimestamp(value) : null;
  // A GraphQLError, not a TypeError: Yoga would mask the latter as "Unexpected error."
  if (parsed === null) throw new GraphQLError(`DateTime must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z, got ${shown}`);
  return parsed;
}

builder.scalarType('DateTime', {
  description:
    'An ISO 8601 date-time. Output is always UTC with milliseconds (2026-01-31T12:00:00.000Z); ' +
    'input may carry an offset (converted to UTC) or none (taken as UTC).',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  serialize: (value) => {
    if (typeof value !== 'string') throw new GraphQLError('DateTime can only serialize ISO 8601 strings');
    return value;
  },
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined, print(ast)),
});

builder.addScalarType('JSON', GraphQLJSON);
builder.addScalarType('JSONObject', GraphQLJSONObject);
builder.addScalarType('NonNegativeInt', GraphQLNonNegativeInt);
builder.addScalarType('PositiveInt', GraphQLPositiveInt);
builder.addScalarType('SafeInt', GraphQLSafeInt);

/** What Yoga's multipart parser puts where the request's `map` says: a WHATWG File (its own ponyfill's class, hence no `instanceof`). */
function isFile(value: unknown): value is File {
  const file = value as Partial<File> | null;
  return typeof file === 'object' && file !== null && typeof file.size === 'number' && typeof file.stream === 'function';
}

const NOT_A_FILE =
  'File values are sent as parts of a multipart request (the GraphQL multipart request spec: operations, map, then the files)';

builder.scalarType('File', {
  description:
    'A file uploaded with the GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec): ' +
    'a `multipart/form-data` POST whose `operations` part holds the operation with the variable set to null, whose `map` part ' +
    'names the variable each file part fills, and which carries a CSRF header. Input only.',
  specifiedByURL: 'https://github.com/jaydenseric/graphql-multipart-request-spec',
  serialize: () => {
    throw new GraphQLError('File is an input type only');
  },
  parseValue: (value) => {
    if (!isFile(value)) throw new GraphQLError(NOT_A_FILE);
    return value;
  },
  parseLiteral: () => {
    throw new GraphQLError(NOT_A_FILE);
  },
});

/** GraphQL enum values for a domain enum: `ACTIVE` stands for `'active'`, and so on. */
export function enumValues<V extends string>(values: readonly V[]): Record<Uppercase<V>, { value: V }> {
  return Object.fromEntries(values.map((value) => [value.toUpperCase(), { value }])) as Record<Uppercase<V>, { value: V }>;
}
