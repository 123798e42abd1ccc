import { AgentStorageStore, type AgentStorageStoreSettings } from '../../../src/adapters/langgraph/index.js';
import type { FetchLike } from '../../../src/client/index.js';
import { createKey } from '../../support/auth.js';
import type { TestServer } from '../../support/server-fixture.js';

/*
 * What the AgentStorageStore suites share: a store on a tenant of its own (a fresh, empty store
 * for each test, on a server started with AUTH_ENV), a fetch that counts the requests it makes,
 * and a deterministic embedding model — a real function of the texts, hashed bags of words.
 */

let tenants = 0;

/** A tenant name no other test uses. */
export const newTenant = () => `lg-store-${process.pid}-${++tenants}`;

/** A key of a tenant of the server (a new one unless named). */
export function tenantKey(server: TestServer, scopes: string[] = ['READ', 'WRITE'], tenant: string = newTenant()): Promise<string> {
  return createKey(server.url, tenant, scopes);
}

/** A fetch that counts the GraphQL requests it sends. */
export function countingFetch(): { fetch: FetchLike; count(): number } {
  let n = 0;
  return {
    fetch: (input, init) => {
      n++;
      return fetch(input, init);
    },
    count: () => n,
  };
}

export interface TenantStore {
  store: AgentStorageStore;
  tenant: string;
  apiKey: string;
  requests(): number;
}

/** A store over a tenant of its own; `requests()` counts the HTTP requests it has made. */
export async function tenantStore(server: TestServer, settings: AgentStorageStoreSettings = {}): Promise<TenantStore> {
  const tenant = newTenant();
  const apiKey = await tenantKey(server, ['READ', 'WRITE'], tenant);
  const counter = countingFetch();
  const store = new AgentStorageStore({ url: server.url, apiKey, fetch: counter.fetch, ...settings });
  return { store, tenant, apiKey, requests: counter.count };
}

export const DIMS = 32;

/** A bag of words hashed into DIMS dimensions: texts sharing words point the same way. */
export function embedText(text: string): number[] {
  const vector = new Array<number>(DIMS).fill(0);
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    let h = 7;
    for (const c of word) h = (h * 31 + c.codePointAt(0)!) % 100_003;
    vector[h % DIMS]! += 1;
  }
  // Never the zero vector (whose cosine is undefined): one fixed component for every text.
  vector[0]! += 0.5;
  return vector;
}

export const embed = (texts: string[]): number[][] => texts.map(embedText);

/** The same model as LangChain's Embeddings interface (what InMemoryStore takes). */
export const embeddings = {
  embedDocuments: async (texts: string[]) => embed(texts),
  embedQuery: async (text: string) => embedText(text),
};
