import { test as base } from 'vitest';
import { type GraphQLClient, graphqlClient } from '../graphql/client.js';
import { client, type JsonClient } from './http.js';
import { startTestServer, type TestServer, type TestServerOptions } from './server.js';

/*
 * The black-box suites' vitest fixtures: a test names what it needs and gets it,
 *
 *   import { describe, expect, it } from '../support/server-fixture.js';
 *   it('…', async ({ server, gql, api }) => { … });
 *
 * `server` is one real server per test file (file scope: the file's tests share its database, as
 * they did with a `beforeAll`), started on first use and closed when the file is done, whatever
 * its tests did; closing removes its database (SQLite file, PostgreSQL schema, Redis prefix).
 * A file configures its server with the `env` and `serverOptions` options, once, at its top:
 *
 *   test.override({ env: { MAX_PAGE_SIZE: '5' } });
 *
 * `replica` is a second server over the file's database (`replicaOptions` configures it). It needs
 * `server`, and vitest tears fixtures down in the reverse order of their set-up: the replica closes
 * first, then the server, whose closing removes the database.
 *
 * (A top-level override changes this module's `test` for the rest of the file; that stays within the
 * file because vitest isolates test files, the default this project keeps. Inside a `describe`,
 * vitest refuses to override file-scoped fixtures: a block that needs a server of its own defines
 * another file-scoped fixture with `test.extend`, as test/graphql/limits.test.ts does.)
 *
 * `serve(env, options)` starts further servers within one test (closed at its end, passed or failed).
 * Suite hooks get the file-scoped fixtures too: `test.beforeAll(async ({ api }) => { … })` seeds data.
 */
export const test = base
  /** The file's server configuration, as environment variables would set it. */
  .extend('env', { scope: 'file' }, {} as Record<string, string>)
  /** The file's server options (not configuration: test knobs such as `streamKeyCheckMs`). */
  .extend('serverOptions', { scope: 'file' }, {} as TestServerOptions)
  .extend('server', { scope: 'file' }, async ({ env, serverOptions }, { onCleanup }) => {
    const server = await startTestServer(env, serverOptions);
    onCleanup(() => server.close());
    return server;
  })
  /** The options of the file's replica (its environment is the server's). */
  .extend('replicaOptions', { scope: 'file' }, {} as TestServerOptions)
  /** Another server over the file's database, as a second replica behind a load balancer; started on first use. */
  .extend('replica', { scope: 'file' }, async ({ server, env, replicaOptions }, { onCleanup }) => {
    const replica = await server.replica(env, replicaOptions);
    onCleanup(() => replica.close());
    return replica;
  })
  /** The typed GraphQL client (documents from `test/graphql/gql/`) of the file's server. */
  .extend('gql', { scope: 'file' }, ({ server }): GraphQLClient => graphqlClient(server.url))
  /** The JSON client of the file's server (REST, and raw GraphQL through `api.gql`). */
  .extend('api', { scope: 'file' }, ({ server }): JsonClient => client(server.url))
  /** Starts another server for this test only; every one is closed when the test ends. */
  .extend('serve', async ({}, { onCleanup }) => {
    const started: TestServer[] = [];
    onCleanup(async () => {
      // The last first (a replica goes before the server whose database it shares), each one
      // even when another fails to close.
      const failures: unknown[] = [];
      for (const server of started.reverse()) await server.close().catch((error: unknown) => failures.push(error));
      if (failures.length) throw new AggregateError(failures, 'could not close every server the test started');
    });
    return async (env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> => {
      const server = await startTestServer(env, options);
      started.push(server);
      return server;
    };
  });

export const it = test;
export { describe, expect } from 'vitest';
export type { TestServer } from './server.js';
