import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents generated from the printed schema (`npm run codegen` after `npm run schema:print`):
 * the test suite's operations, and the typed client's (agent-storage/client).
 */

// NodeNext resolves only explicit extensions; `import type` keeps verbatimModuleSyntax happy.
const shared = {
  importExtension: '.js',
  useTypeImports: true,
  enumsAsTypes: true,
  strictScalars: true,
  scalars: {
    DateTime: 'string',
    JSON: 'unknown',
    JSONObject: 'Record<string, unknown>',
    NonNegativeInt: 'number',
    PositiveInt: 'number',
    SafeInt: 'number',
    File: 'File',
  },
} as const;

/** Points the generated documents' one type import at the client's own copy of that interface (below). */
const typedDocumentFrom = (path: string) => ({
  beforeOneFileWrite: (_path: string, content: string) => content.replaceAll("from '@graphql-typed-document-node/core'", `from '${path}'`),
});

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    // Only the files that hold operations: anything else that looks like GraphQL stays out.
    'test/graphql/gql/': {
      documents: ['test/graphql/operations.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: shared,
    },
    // The client ships without a GraphQL runtime: its documents are typed strings (no parser, no
    // AST), sent as they are. Their one type import is pointed at the client's own copy of that
    // interface: the package it comes from declares it beside types that need `graphql`, which a
    // user of the client's declarations would then have to install.
    'src/client/gql/': {
      documents: ['src/client/operations/*.graphql'],
      preset: 'client',
      // persistedDocuments: also writes persisted-documents.json, { sha256: query text } for every
      // operation of the client: the allow-list a server with PERSISTED_OPERATIONS=only accepts.
      presetConfig: { fragmentMasking: false, persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' } },
      config: { ...shared, documentMode: 'string' },
      hooks: typedDocumentFrom('../typed-document.js'),
    },
    // The web console's own operations (docs/console.md), sent with the client above: typed
    // strings too, with the client's copy of the document interface. Their manifest
    // (persisted-documents.json) is in every allow-list of PERSISTED_OPERATIONS=only
    // (src/http/graphql-persisted.ts): the console sends them by hash there.
    'src/console/gql/': {
      documents: ['src/console/app/operations.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' } },
      config: { ...shared, documentMode: 'string' },
      hooks: typedDocumentFrom('../../client/typed-document.js'),
    },
  },
};

export default config;
