/**
 * What makes a GraphQL document typed, as GraphQL Code Generator's documents carry it: the same
 * interface as `DocumentTypeDecoration` of @graphql-typed-document-node/core (structurally, so
 * documents generated against either are accepted alike), declared here so that the client's
 * declarations need no other package — that one's also declare types that import `graphql`.
 */
export interface DocumentTypeDecoration<TResult, TVariables> {
  /** Never set: it only carries the result and variables types. */
  __apiType?: (variables: TVariables) => TResult;
}

/** The result type of a typed document. (`any`: a document's variables are a parameter type, so only `any` matches them all.) */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ResultOf<T> = T extends DocumentTypeDecoration<infer R, any> ? R : never;

/** The variables type of a typed document. */
export type VariablesOf<T> = T extends DocumentTypeDecoration<unknown, infer V> ? V : never;

/** Any typed document. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDocument = DocumentTypeDecoration<any, any>;
