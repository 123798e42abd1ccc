import { type ExecutionArgs, type ExecutionResult, getOperationAST, getVariableValues, GraphQLError, type Source } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { ZodError } from 'zod';
import {
  DomainError,
  InsufficientStorageError,
  NotFoundError,
  RateLimitedError,
  UnavailableError,
  ValidationError,
  OperationReusedError,
  VersionConflictError,
} from '../domain/errors.js';

/**
 * The GraphQL side of the error vocabulary. Resolvers (and loaders, and plugin-zod) throw the
 * domain's errors; they are turned into `GraphQLError`s with a stable `extensions.code` here, once.
 * Anything else stays an unexpected error, which Yoga masks.
 */

/** plugin-zod's failures become the domain's ValidationError, with the argument path in front. */
export function validationErrorOf(error: ZodError): ValidationError {
  return new ValidationError(
    error.issues.map((issue) => ({
      path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
      message: issue.message,
    })),
  );
}

/** For the nullable single look-ups: a missing record reads as null, not as an error. */
export async function nullIfNotFound<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

function extensionsOf(error: DomainError): Record<string, unknown> {
  if (error instanceof ValidationError) return { code: error.code, issues: error.issues };
  // A lost compare-and-set says where the state is now (0: no state), so the client can re-read and retry.
  if (error instanceof VersionConflictError) return { code: error.code, currentVersion: error.currentVersion };
  // Not a lost race: retrying cannot help.
  if (error instanceof OperationReusedError) return { code: error.code, operationReused: true };
  if (error instanceof UnavailableError || error instanceof InsufficientStorageError || error instanceof RateLimitedError) {
    // 0: waiting does not help (a storage quota).
    return error.retryAfterSeconds > 0 ? { code: error.code, retryAfter: error.retryAfterSeconds } : { code: error.code };
  }
  return { code: error.code };
}

function withExtensions(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  // No `originalError`: Yoga masks errors that carry a non-GraphQL original, and these are expected.
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, ...extensions },
  });
}

/**
 * graphql-js helps a client guess the schema: `Did you mean "agentName"?`, `Did you mean the enum
 * value "ACTIVE"?`. With introspection off that would leak what it hides, so the hints go.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '').trim();
}

function mapError(error: GraphQLError, requestError: boolean): GraphQLError {
  const original = error.originalError;
  if (original instanceof DomainError) return withExtensions(error, original.message, extensionsOf(original));
  // Variables that do not fit their types (a bad enum value, a negative NonNegativeInt, a malformed
  // DateTime) fail before execution with no code at all; for the client that is bad input.
  if (requestError && error.extensions.code === undefined) {
    return withExtensions(error, withoutSuggestions(error.message), { code: 'BAD_USER_INPUT' });
  }
  return error;
}

/**
 * The compiled executor (graphql-jit) reports a field's error with `locations` but without the AST
 * nodes graphql-js errors carry, and every copy of an error (ours below, Yoga's masking) is built
 * from the nodes, or from a source and positions: locations would be lost. Rebuilt here from the
 * document's source, so a client still learns where in its query the error is.
 */
function withSource(error: GraphQLError, source: Source | undefined): GraphQLError {
  if (error.nodes || error.positions || !error.locations?.length || !source) return error;
  const lineStarts = [0];
  for (const match of source.body.matchAll(/\r\n|\n|\r/g)) lineStarts.push(match.index + match[0].length);
  const positions = error.locations.map(({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1);
  return new GraphQLError(error.message, {
    source,
    positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

function resultMapper(source: Source | undefined) {
  return ({ result, setResult }: { result: ExecutionResult; setResult: (result: ExecutionResult) => void }): void => {
    if (!result.errors?.length) return;
    // Without `data`, execution never started: the request itself (its variables) was refused.
    const requestError = result.data === undefined;
    setResult({ ...result, errors: result.errors.map((error) => mapError(withSource(error, source), requestError)) });
  };
}

/**
 * Variables that do not fit their types, refused with graphql-js's own messages before anything
 * runs. The compiled executor (graphql-jit) coerces them again, but reports a bad one without the
 * scalar's reason and not as a GraphQLError (Yoga would mask it as an unexpected error).
 */
function variableErrors(args: ExecutionArgs): readonly GraphQLError[] | null {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation?.variableDefinitions?.length) return null;
  const coerced = getVariableValues(args.schema, operation.variableDefinitions, args.variableValues ?? {});
  return 'errors' in coerced && coerced.errors?.length ? coerced.errors : null;
}

/**
 * Yoga plugin mapping domain errors to `extensions.code` (NOT_FOUND, BAD_USER_INPUT with `issues`,
 * CONFLICT, UNAVAILABLE with `retryAfter` seconds). It must run before Yoga's error masking, which
 * is the case for any plugin given to `createYoga`.
 */
export function useDomainErrors(): Plugin {
  return {
    // Validation errors (an unknown field, argument or enum literal) keep their code, lose the hints.
    onValidate: () => ({ valid, result, setResult }) => {
      if (valid) return;
      setResult(
        result.map((error) => {
          const message = withoutSuggestions(error.message);
          return message === error.message ? error : withExtensions(error, message, {});
        }),
      );
    },
    onExecute: ({ args, setResultAndStopExecution }) => {
      const refused = variableErrors(args);
      if (refused) return setResultAndStopExecution({ errors: refused.map((error) => mapError(error, true)) });
      const mapResult = resultMapper(args.document.loc?.source);
      return { onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, mapResult) };
    },
    onSubscribe: ({ args, setResultAndStopExecution }) => {
      const refused = variableErrors(args);
      if (refused) return setResultAndStopExecution({ errors: refused.map((error) => mapError(error, true)) });
      // A subscription operation refused by graphql-js comes without a code.
      const mapResult = resultMapper(args.document.loc?.source);
      return { onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, mapResult) };
    },
  };
}
