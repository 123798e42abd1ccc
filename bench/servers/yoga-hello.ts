import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

/*
 * Baseline: a bare graphql-yoga server answering `{ hello }` — the same HTTP stack, GraphQL
 * engine and Node version as the service, with nothing behind it. Ready when `/health` (Yoga's
 * own health check) answers 200. The orchestrator transpiles this file to plain JS so that its
 * cold start is compared with the built service like for like.
 */

const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type Query { hello: String! }',
    resolvers: { Query: { hello: () => 'world' } },
  }),
  logging: false,
  landingPage: false,
});

const server = createServer(yoga);
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
