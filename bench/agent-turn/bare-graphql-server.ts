import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

/*
 * The GraphQL floor of the agent-turn benchmark: a turn's two round trips answered from memory by a
 * bare graphql-yoga server — the HTTP stack and GraphQL engine the service is built on (the
 * customer's choice), with nothing behind them: no database, no validation but GraphQL's, no
 * durability. What a turn costs at least when an adapter talks GraphQL, next to bare-server.ts's
 * bare node:http.
 *
 *   query    { items(conversation, last) }     the newest `last` items, in order, as JSON
 *   mutation { addItems(conversation, items) }  appends the items
 *
 * Self-contained (the orchestrator transpiles it and runs it with plain node). Ready when /health
 * (Yoga's own) answers 200.
 */

const conversations = new Map<string, unknown[]>();
// A JSON scalar as graphql-scalars' is: values pass through as they are.
const passThrough = { serialize: (value: unknown) => value, parseValue: (value: unknown) => value };

const yoga = createYoga({
  schema: createSchema({
    typeDefs: `
      scalar JSON
      type Query { items(conversation: ID!, last: Int!): [JSON!]! }
      type Mutation { addItems(conversation: ID!, items: [JSON!]!): Int! }
    `,
    resolvers: {
      JSON: passThrough,
      Query: {
        items: (_root: unknown, { conversation, last }: { conversation: string; last: number }) => {
          const items = conversations.get(conversation) ?? [];
          return items.slice(Math.max(0, items.length - last));
        },
      },
      Mutation: {
        addItems: (_root: unknown, { conversation, items }: { conversation: string; items: unknown[] }) => {
          const stored = conversations.get(conversation) ?? [];
          stored.push(...items);
          conversations.set(conversation, stored);
          return items.length;
        },
      },
    },
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
