import { configDefaults, defineConfig } from 'vitest/config';

// Black-box suites that run once per backend: through the same HTTP API, on SQLite and on PostgreSQL.
// (Of the client's tests, those against the real server; its parsers and retry rules run once. The
// framework adapters' tests all talk to a real server.)
const blackBox = ['test/http/**/*.test.ts', 'test/graphql/**/*.test.ts', 'test/client/{api,change-feed,content}.test.ts', 'test/adapters/**/*.test.ts', 'test/mcp/door.test.ts', 'test/browser/console*.test.ts'];
// LangGraph's conformance suite (run as a library) needs vitest's globals: projects of its own.
const langgraphValidation = ['test/adapters/langgraph/validation*.test.ts'];
const exclude = [...configDefaults.exclude, ...langgraphValidation];

export default defineConfig({
  resolve: {
    // One copy of graphql. Node resolves `graphql` to its CommonJS entry for Yoga and Pothos (the
    // package has no `exports`); Vite would give our own modules `index.mjs` instead, and Yoga's
    // `instanceof GraphQLError` checks would then fail on errors made by our code.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two test files at a time, whatever the machine: vitest's default (one fewer than the CPUs)
    // is one on CI's 2 cores, and most files spend their time waiting on servers, disks and
    // PostgreSQL rather than computing.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude },
      },
      {
        extends: true,
        // PostgreSQL (and the cache on Redis): the machine's real servers, throwaway schemas and key prefixes.
        test: { name: 'postgres+redis', include: blackBox, exclude, env: { TEST_BACKEND: 'postgres', TEST_CACHE: 'redis' } },
      },
      {
        extends: true,
        test: { name: 'langgraph', include: langgraphValidation, globals: true },
      },
      {
        extends: true,
        test: { name: 'langgraph+postgres', include: langgraphValidation, globals: true, env: { TEST_BACKEND: 'postgres' } },
      },
    ],
  },
});
