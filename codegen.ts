import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the test suite's GraphQL operations (and later a client SDK), generated from
 * the printed schema: `npm run codegen` after `npm run schema:print`.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  // Only the files that hold operations: anything else that looks like GraphQL stays out.
  documents: ['test/graphql/operations.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'test/graphql/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // NodeNext resolves only explicit extensions; `import type` keeps verbatimModuleSyntax happy.
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
        },
      },
    },
  },
};

export default config;
