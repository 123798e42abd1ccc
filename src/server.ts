import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createGraphQLContext, type GraphQLContext } from './graphql/context.js';
import { useDomainErrors } from './graphql/errors.js';
import { schema } from './graphql/schema.js';
import { restPlugin } from './rest/router.js';
import type { Storage } from './storage/storage.js';

export interface AppDeps {
  storage: Storage;
  config: Config;
  logger: Logger;
}

export type App = YogaServerInstance<Record<string, never>, GraphQLContext>;

/** One Yoga instance serves `/graphql` and, through the REST plugin, everything else. */
export function createApp({ storage, config, logger }: AppDeps): App {
  return createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    // Yoga's own health check matches any path ending in /health (even /storage/cache/health):
    // move it out of the way; `/health` is served by the REST plugin.
    healthCheckEndpoint: '/__yoga/health',
    landingPage: false,
    graphiql: { title: 'Agent storage' },
    context: () => createGraphQLContext(storage, config),
    logging: {
      debug: (...args) => logger.debug({ args }, 'yoga'),
      info: (...args) => logger.info({ args }, 'yoga'),
      warn: (...args) => logger.warn({ args }, 'yoga'),
      error: (...args) => logger.error({ args }, 'yoga'),
    },
    plugins: [restPlugin({ storage, config, logger }), useDomainErrors()],
  });
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

export async function startServer(deps: AppDeps): Promise<RunningServer> {
  const app = createApp(deps);
  const server = createServer(app);
  // Bound the time a slow client may take, so idle sockets cannot pin the process.
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.config.port, deps.config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = deps.config.host.includes(':') ? `[${deps.config.host}]` : deps.config.host;
  return {
    server,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
