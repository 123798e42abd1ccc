import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One copy of graphql. Node resolves `graphql` to its CommonJS entry for Yoga and Pothos (the
    // package has no `exports`); Vite would give our own modules `index.mjs` instead, and Yoga's
    // `instanceof GraphQLError` checks would then fail on errors made by our code.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
