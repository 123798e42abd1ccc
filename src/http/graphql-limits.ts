import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  getNamedType,
  getOperationAST,
  isIntrospectionType,
  Lexer,
  type OperationDefinitionNode,
  Source,
  TokenKind,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { handleStreamOrSingleExecutionResult, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { PayloadTooLargeError } from '../domain/errors.js';
import { jsonBytesLeft } from '../domain/json.js';
import { limitedBody, readBody } from './body-limit.js';
import { type OperationCost, operationCost } from './graphql-cost.js';
import { isPercentEncodedUtf8, isUtf8 } from './utf8.js';

/**
 * What a GraphQL request may ask for, checked before anything runs: no resolver, no SQL. A refused
 * request answers 4xx with a stable `extensions.code`:
 *
 * | code                      | status | why                                                     |
 * |---------------------------|--------|---------------------------------------------------------|
 * | `MAX_TOKENS_EXCEEDED`     | 400    | the document is too long (GRAPHQL_MAX_TOKENS)           |
 * | `MAX_DEPTH_EXCEEDED`      | 400    | fields nested too deep (GRAPHQL_MAX_DEPTH)              |
 * | `MAX_ALIASES_EXCEEDED`    | 400    | too many aliases (GRAPHQL_MAX_ALIASES)                  |
 * | `MAX_DIRECTIVES_EXCEEDED` | 400    | too many directives (GRAPHQL_MAX_DIRECTIVES)            |
 * | `MAX_COST_EXCEEDED`       | 400    | too much work by the cost model of graphql-cost.ts      |
 * | `INTROSPECTION_DISABLED`  | 400    | `__schema`/`__type` while introspection is off          |
 * | `RESERVED_ALIAS`          | 400    | a field aliased `__proto__` (see noProtoAlias)          |
 * | `CSRF_PREVENTED`          | 403    | a browser-style request without a preflight-forcing header |
 * | `PAYLOAD_TOO_LARGE`       | 413    | the body is larger than MAX_BODY_BYTES (body-limit.ts)  |
 * | `RESPONSE_TOO_LARGE`      | 400    | the answer would exceed GRAPHQL_MAX_RESPONSE_BYTES      |
 * | `BAD_REQUEST`             | 400    | the body (or a GET's query) is not UTF-8 or not JSON    |
 *
 * Yoga itself refuses mutations over GET (405, `Allow: POST`) and batching (off unless enabled).
 */

/** Any of these headers marks a request as not "simple", so a browser must preflight it (CORS). */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'x-apollo-operation-name'];

/** A limit's refusal: 400 whatever the Accept header (`spec: false` keeps Yoga from making it 200). */
function refusal(message: string, code: string, status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status, spec: false } } });
}

/** graphql-armor's rejection, with our code instead of its misleading "Syntax Error:" prefix. */
function reporter(code: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const refused = refusal(error.message.replace(/^Syntax Error: /, ''), code);
        // Every limit used here is a validation rule, which reports into its context.
        if (context) context.reportError(refused);
        else throw refused;
      },
    ],
  };
}

/**
 * A check of an operation once it and its variables are known, before any resolver runs: the
 * error it returns is the whole answer, for queries, mutations and subscriptions alike.
 */
export function refuseBeforeRunning(check: (args: ExecutionArgs) => GraphQLError | null): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

/**
 * GRAPHQL_MAX_COST, by the cost model of graphql-cost.ts: checked once the operation and its
 * variables are known, before any resolver runs. Operations whose cost no variable decides are
 * costed once per parsed document (Yoga reuses the document of a query string it has seen).
 */
function useCostLimit(maxCost: number, maxPageSize: number): Plugin {
  const costs = new WeakMap<DocumentNode, Map<OperationDefinitionNode, OperationCost>>();
  function costOf(args: ExecutionArgs): OperationCost | null {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return null;
    let byOperation = costs.get(args.document);
    const known = byOperation?.get(operation);
    if (known) return known;
    const computed = operationCost(args.schema, args.document, operation, args.variableValues, maxPageSize);
    if (!computed.dependsOnVariables) {
      if (!byOperation) costs.set(args.document, (byOperation = new Map()));
      byOperation.set(operation, computed);
    }
    return computed;
  }
  function refused(args: ExecutionArgs): GraphQLError | null {
    const cost = costOf(args);
    if (!cost || cost.cost <= maxCost) return null;
    const defaulted = [...cost.defaulted].map(([field, items]) => `${field} as ${items}`);
    const hint = defaulted.length
      ? ` A connection read without first or last counts as its default page (${defaulted.join(', ')} items): ask for first: n.`
      : '';
    return refusal(`Query Cost limit of ${maxCost} exceeded, found ${Math.ceil(cost.cost)}.${hint}`, 'MAX_COST_EXCEEDED');
  }
  return refuseBeforeRunning(refused);
}

/**
 * GRAPHQL_MAX_RESPONSE_BYTES: a result whose JSON would be larger is replaced, before anything is
 * serialized, by a 400 RESPONSE_TOO_LARGE (for a subscription: that event, and the stream goes on).
 * The size is measured on the result itself (domain/json.ts `jsonBytesLeft`), which stops as soon
 * as the budget is spent, rather than by serializing: an oversized text could take hundreds of
 * megabytes before the check, or exceed what a JavaScript string can hold and fail as a 500.
 * An answer in parts (`@defer`, `@stream`) is counted over all its parts (`limitedIncremental`).
 */
function useResponseLimit(maxBytes: number): Plugin {
  const limit = `${maxBytes} bytes (GRAPHQL_MAX_RESPONSE_BYTES): ask for smaller pages (first/last) or fewer fields.`;
  const checker = (args: ExecutionArgs) => ({ result, setResult }: { result: ExecutionResult; setResult: (result: ExecutionResult) => void }) => {
    if (result.data == null || jsonBytesLeft(result.data, maxBytes) >= 0) return;
    // A mutation has run by now: its answer goes, its write stays, and the client must know.
    const applied = getOperationAST(args.document, args.operationName)?.operation === 'mutation';
    const message = applied ? `The mutation was applied, but its answer would be larger than ${limit}` : `The response would be larger than ${limit}`;
    setResult({ errors: [refusal(message, 'RESPONSE_TOO_LARGE')] });
  };
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: (payload) => {
        if (isAsyncIterable(payload.result)) payload.setResult(limitedIncremental(payload.result, maxBytes, limit));
        else checker(args)({ result: payload.result, setResult: payload.setResult });
      },
    }),
    onSubscribe: ({ args }) => ({ onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, checker(args)) }),
  };
}

/** What an incremental payload (`@defer`, `@stream`) adds to the answer. */
interface IncrementalPayload {
  data?: unknown;
  incremental?: readonly { data?: unknown; items?: unknown }[];
  errors?: readonly unknown[];
  hasNext?: boolean;
}

/**
 * GRAPHQL_MAX_RESPONSE_BYTES over an answer delivered in parts (`@defer`, `@stream`): the parts
 * count together, as the one answer they assemble into. The status (200) and the first parts are
 * sent by the time the limit is reached: the part that would exceed it is replaced by a last one
 * with the RESPONSE_TOO_LARGE error and no more to come, and the execution is stopped.
 */
function limitedIncremental(results: AsyncIterable<ExecutionResult>, maxBytes: number, limit: string): AsyncIterableIterator<ExecutionResult> {
  const inner = results[Symbol.asyncIterator]();
  let left = maxBytes;
  let over = false;
  const spend = (value: unknown) => {
    if (value != null && left >= 0) left = jsonBytesLeft(value, left);
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (over) return { done: true, value: undefined };
      const step = await inner.next();
      if (step.done) return step;
      const payload = step.value as IncrementalPayload;
      spend(payload.data);
      for (const part of payload.incremental ?? []) {
        spend(part.data);
        spend(part.items);
      }
      if (left >= 0) return step;
      over = true;
      await inner.return?.();
      const error = refusal(`The response would be larger than ${limit}`, 'RESPONSE_TOO_LARGE');
      return { done: false, value: { errors: [error], hasNext: false } as ExecutionResult };
    },
    async return(value?: unknown) {
      return (await inner.return?.(value)) ?? { done: true, value: undefined };
    },
  };
}

function useArmor(limits: Config['graphqlLimits']): Plugin {
  return EnvelopArmorPlugin({
    // Counted by useMaxTokens below instead, before parsing (see there).
    maxTokens: { enabled: false },
    // Fragments are a way of writing a query, not depth or work of their own.
    maxDepth: { n: limits.depth, flattenFragments: true, ...reporter('MAX_DEPTH_EXCEEDED') },
    maxAliases: { n: limits.aliases, ...reporter('MAX_ALIASES_EXCEEDED') },
    maxDirectives: { n: limits.directives, ...reporter('MAX_DIRECTIVES_EXCEEDED') },
    // Counted by useCostLimit below instead, with page sizes from variables and defaults (see graphql-cost.ts).
    costLimit: { enabled: false },
    // Suggestions are removed by useDomainErrors (graphql/errors.ts), which also catches the
    // "Did you mean the enum value …?" form and variable errors that armor's filter misses.
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
}

/** Whether `query` has more than `max` tokens (lexed up to the first one too many, never parsed). */
function hasMoreTokens(query: string, max: number): boolean {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) if (++count > max) return true;
  } catch {
    return false; // a syntax error: the parser reports it
  }
  return false;
}

/**
 * The token limit, counted as graphql-armor's maxTokens does (every token the lexer yields), but
 * before Yoga parses: a parse error is a "spec" error to Yoga, answered 200 to clients that accept
 * application/json, and the refusal is to be a 400 for every client.
 */
function useMaxTokens(max: number): Plugin {
  return {
    onParams({ params, setResult }) {
      const refused = typeof params.query === 'string' ? tokenLimitRefusal(params.query, max) : null;
      if (refused) setResult({ errors: [refused] });
    },
  };
}

/**
 * GRAPHQL_MAX_TOKENS's refusal of `query`, or null. Also for the WebSocket door, which hands Yoga's
 * envelop a document without a request, so that no `onParams` hook runs for it.
 */
export function tokenLimitRefusal(query: string, max: number): GraphQLError | null {
  return hasMoreTokens(query, max) ? refusal(`Token limit of ${max} exceeded.`, 'MAX_TOKENS_EXCEEDED') : null;
}

/** graphql-js's NoSchemaIntrospectionCustomRule, with a code and a 400. `__typename` stays allowed. */
const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    const type = getNamedType(context.getType());
    if (type && isIntrospectionType(type)) {
      const refused = refusal(`Introspection is disabled on this server (the query asks for "${node.name.value}").`, 'INTROSPECTION_DISABLED');
      context.reportError(new GraphQLError(refused.message, { nodes: node, extensions: refused.extensions }));
    }
  },
});

function useNoIntrospection(): Plugin {
  return { onValidate: ({ addValidationRule }) => addValidationRule(noIntrospection) };
}

/**
 * The compiled executor (graphql-jit) builds results as JavaScript object literals, in which a key
 * `__proto__` sets the prototype instead of adding a field: the field would silently vanish from
 * the response. Such an alias is refused instead, before anything runs.
 */
const noProtoAlias: ValidationRule = (context) => ({
  Field(node) {
    if (node.alias?.value !== '__proto__') return;
    const refused = refusal('The alias "__proto__" is reserved on this server: choose another name.', 'RESERVED_ALIAS');
    context.reportError(new GraphQLError(refused.message, { nodes: node.alias, extensions: refused.extensions }));
  },
});

function useNoProtoAlias(): Plugin {
  return { onValidate: ({ addValidationRule }) => addValidationRule(noProtoAlias) };
}

/**
 * CSRF prevention (Yoga's plugin): a request a browser would send cross-site without a CORS
 * preflight — a GET, or a POST of a form or text/plain — must carry one of `CSRF_HEADERS`.
 * JSON POSTs (`content-type: application/json`) are preflighted anyway and pass as they are.
 */
function useCsrf(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  return {
    onRequestParse(payload) {
      try {
        return csrf.onRequestParse?.(payload);
      } catch {
        throw refusal(
          `This request could come from a cross-site form or link: send it as a JSON POST, or add one of the headers ${CSRF_HEADERS.join(', ')}.`,
          'CSRF_PREVENTED',
          403,
        );
      }
    },
  };
}

/** MAX_BODY_BYTES's refusal (http/body-limit.ts), for GraphQL: 413 PAYLOAD_TOO_LARGE. */
const tooLarge = (error: PayloadTooLargeError): GraphQLError => refusal(error.message, error.code, 413);

const cutOff = () => refusal('The request body ended before it was complete (the connection was closed)', 'BAD_REQUEST');

const notUtf8 = () => refusal('Request body is not valid UTF-8', 'BAD_REQUEST');

/** Yoga reads a form body's fields percent-decoded, as it reads a GET's: their bytes are checked too. */
const isForm = (request: Request) => /^application\/x-www-form-urlencoded\s*(;|$)/i.test(request.headers.get('content-type')?.trim() ?? '');

/** A GraphQL multipart request (file uploads): its file parts are bytes, not text. */
const isMultipart = (request: Request) => /^multipart\/form-data\s*(;|$)/i.test(request.headers.get('content-type')?.trim() ?? '');

/**
 * The body Yoga parses: at most MAX_BODY_BYTES, counted as for REST (http/body-limit.ts `readBody`:
 * a declared length up front, a chunked body while it is read), and UTF-8 (see http/utf8.ts). Read
 * whole, as Yoga's parsers read it anyway: a web-stream stage per request cost more than the rest
 * of taking a small query in. A multipart body (file uploads) is not: its files may be large and
 * hold any bytes (its `operations` and `map` parts are decoded by the multipart parser, as UTF-8),
 * so it is only counted as it streams.
 */
function useBodyChecks(maxBytes: number): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser, fetchAPI }) {
      if (!requestParser) return;
      const parse = requestParser;
      setRequestParser((req) => {
        if (req.method === 'GET' || req.method === 'HEAD') return parse(req);
        if (isMultipart(req)) {
          let refused: GraphQLError | undefined;
          const body = limitedBody(req, maxBytes, (error) => (refused = tooLarge(error)));
          if (!body) return parse(req);
          return Promise.resolve(parse(requestWithBody(fetchAPI, req, body))).catch((error: unknown) => {
            throw multipartRefusal(error, refused);
          });
        }
        return readBody(req, maxBytes).then(
          (bytes) => {
            if (!isUtf8(bytes) || (isForm(req) && !isPercentEncodedUtf8(bytes.toString('utf8')))) throw notUtf8();
            return parse(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, body: bytes as Uint8Array<ArrayBuffer> }));
          },
          (error: unknown) => {
            // Anything else means the connection broke before the body's end: the client went
            // away (as rest/http.ts answers it) — not an error of ours.
            throw error instanceof PayloadTooLargeError ? tooLarge(error) : cutOff();
          },
        );
      });
    },
  };
}

/**
 * What a multipart request that could not be parsed is answered. Yoga's multipart parser reports a
 * failure of the body's stream as invalid multipart data (the limit's refusal is restored), and a
 * missing or malformed `operations` or `map` part without a code, as a 200: a 400 BAD_REQUEST, as a
 * body that is not JSON.
 */
function multipartRefusal(error: unknown, refused: GraphQLError | undefined): unknown {
  if (refused) return refused;
  if (error instanceof GraphQLError && error.extensions.code === undefined) return refusal(error.message, 'BAD_REQUEST');
  return error;
}

/** The request with its body read through `body` (the checks above). */
function requestWithBody(fetchAPI: { Request: typeof Request }, req: Request, body: ReadableStream<Uint8Array>): Request {
  // A body already counted (a declared length) is the request's own: no copy of the request needed.
  if (body === req.body) return req;
  return new fetchAPI.Request(req.url, {
    method: req.method,
    headers: req.headers,
    signal: req.signal,
    body,
    // @ts-expect-error `duplex` is required by fetch for stream bodies but missing from the DOM types
    duplex: 'half',
  });
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/** The query-string parameters Yoga reads as JSON on a GET. */
const JSON_PARAMS = ['variables', 'extensions'] as const;

/** Which JSON parameter of a GET's URL does not parse (only asked once parsing failed). */
function badJsonParam(request: Request): string | undefined {
  const params = new URL(request.url).searchParams;
  return JSON_PARAMS.find((name) => {
    const value = params.get(name);
    if (!value) return false;
    try {
      JSON.parse(value);
      return false;
    } catch {
      return true;
    }
  });
}

/** The one refusal of a request whose JSON does not parse, whatever the parser said. */
function notJson(request: Request): GraphQLError {
  const param = request.method === 'GET' ? badJsonParam(request) : undefined;
  return refusal(param ? `The URL parameter "${param}" is not valid JSON` : 'Request body is not valid JSON', 'BAD_REQUEST');
}

/** Yoga's refusal of a POST body that is not JSON: the one parser error carrying `originalError`. */
const isJsonParseError = (error: unknown): boolean =>
  error instanceof SyntaxError || (error instanceof GraphQLError && error.extensions.originalError !== undefined);

/**
 * A body (or a GET's `variables`/`extensions`) that is not JSON answers 400 BAD_REQUEST saying so.
 * Yoga's own answer put the JSON parser's message, with a piece of the body, into
 * `extensions.originalError` (in every NODE_ENV), and a GET's bad `variables` escaped as a 500.
 */
function useJsonErrors(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      const parse = requestParser;
      const replace = (request: Request) => (error: unknown) => {
        throw isJsonParseError(error) ? notJson(request) : error;
      };
      setRequestParser((request) => {
        try {
          const params = parse(request);
          // Yoga's parsers may answer a thenable of its own rather than a native promise.
          return isThenable(params) ? Promise.resolve(params).catch(replace(request)) : params;
        } catch (error) {
          return replace(request)(error);
        }
      });
    },
  };
}

/** A GET's parameters are read percent-decoded from the URL: their bytes must be UTF-8 too. */
function useUtf8Url(): Plugin {
  return {
    onRequestParse({ url }) {
      if (!isPercentEncodedUtf8(url.search)) throw refusal("The URL's query string is not valid percent-encoded UTF-8", 'BAD_REQUEST');
    },
  };
}

/** Every GraphQL limit of this server, in the order Yoga should apply them. */
export function graphqlLimitPlugins(config: Config): Plugin[] {
  return [
    useUtf8Url(),
    useCsrf(),
    useBodyChecks(config.maxBodyBytes),
    useJsonErrors(),
    useMaxTokens(config.graphqlLimits.tokens),
    useArmor(config.graphqlLimits),
    useCostLimit(config.graphqlLimits.cost, config.maxPageSize),
    useResponseLimit(config.graphqlLimits.responseBytes),
    ...(config.introspection ? [] : [useNoIntrospection()]),
    useNoProtoAlias(),
  ];
}
