import { validate } from '@langchain/langgraph-checkpoint-validation';
import { AgentStorageSaver } from '../../../src/adapters/langgraph/index.js';
import { AUTH_ENV, createKey } from '../../support/auth.js';
import { startTestServer, type TestServer } from '../../support/server.js';

/*
 * LangGraph's own conformance suite for checkpoint savers (@langchain/langgraph-checkpoint-validation),
 * unchanged, against a real server: on SQLite in the `langgraph` vitest project, on PostgreSQL in
 * `langgraph+postgres` (the suite needs vitest's globals, hence projects of its own).
 *
 * The suite reuses thread ids ("1", "thread-1") and lists across all threads, so every saver it
 * creates gets a tenant of its own: an API key of a new tenant, whose database starts empty.
 */

let server: TestServer | undefined;
let tenants = 0;

validate({
  checkpointerName: 'agent-storage',
  beforeAll: async () => {
    server = await startTestServer(AUTH_ENV);
  },
  beforeAllTimeout: 30_000,
  afterAll: () => server?.close(),
  createCheckpointer: async () => {
    const url = server!.url;
    return new AgentStorageSaver({ url, apiKey: await createKey(url, `validation${++tenants}`, ['READ', 'WRITE']) });
  },
});
