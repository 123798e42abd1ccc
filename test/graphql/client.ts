import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** An error as the server sent it. */
export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: {
    code?: string;
    issues?: { path: (string | number)[]; message: string }[];
    [key: string]: unknown;
  };
}

export interface GraphQLResult<R> {
  status: number;
  data?: R | null;
  errors?: GraphQLErrorBody[];
}

/** Variables may be left out exactly when the operation has no required ones. */
type VariablesArg<V> = {} extends V ? [variables?: V] : [variables: V];

/**
 * A minimal GraphQL-over-HTTP client for black-box tests: typed documents from `gql/` in, the
 * server's JSON out.
 */
export function graphqlClient(baseUrl: string) {
  async function post(query: string, variables?: unknown): Promise<GraphQLResult<unknown>> {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResult<unknown>, 'status'>;
    return { status: response.status, ...body };
  }

  async function execute<R, V>(document: TypedDocumentNode<R, V>, ...[variables]: VariablesArg<V>): Promise<GraphQLResult<R>> {
    return (await post(print(document), variables)) as GraphQLResult<R>;
  }

  return {
    execute,
    /** Runs an operation that must succeed and returns its data. */
    async data<R, V>(document: TypedDocumentNode<R, V>, ...variables: VariablesArg<V>): Promise<R> {
      const result = await execute(document, ...variables);
      if (result.errors?.length || result.data == null) {
        throw new Error(`expected data, got errors: ${JSON.stringify(result.errors)}`);
      }
      return result.data;
    },
    /** Runs an operation that must fail and returns its errors. */
    async errors<R, V>(document: TypedDocumentNode<R, V>, ...variables: VariablesArg<V>): Promise<GraphQLErrorBody[]> {
      const result = await execute(document, ...variables);
      if (!result.errors?.length) throw new Error(`expected errors, got data: ${JSON.stringify(result.data)}`);
      return result.errors;
    },
    /** A query string no typed document can hold (invalid on purpose, or ad hoc). */
    raw: post,
  };
}

export type GraphQLClient = ReturnType<typeof graphqlClient>;
