import { client } from './http.js';

/** The bootstrap admin key the auth tests configure (STORAGE_ADMIN_KEY). */
export const ADMIN_KEY = 'test-admin-key-0123456789abcdef0123456789';

/** A server that checks API keys, with the bootstrap admin key above. */
export const AUTH_ENV = { AUTH_MODE: 'apikey', STORAGE_ADMIN_KEY: ADMIN_KEY } as const;

/** A JSON client that sends `key` as its bearer token, with a GraphQL helper. */
export function keyed(baseUrl: string, key: string | null) {
  const http = client(baseUrl);
  const auth = (headers: Record<string, string> = {}) => (key === null ? headers : { authorization: `Bearer ${key}`, ...headers });
  return {
    get: (path: string, headers?: Record<string, string>) => http.get(path, auth(headers)),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => http.post(path, body, auth(headers)),
    put: (path: string, body?: unknown, headers?: Record<string, string>) => http.put(path, body, auth(headers)),
    del: (path: string, headers?: Record<string, string>) => http.del(path, auth(headers)),
    gql: (query: string, variables: Record<string, unknown> = {}) => http.post('/graphql', { query, variables }, auth()),
  };
}

/** Creates a key through GraphQL with the bootstrap key; its secret. */
export async function createKey(baseUrl: string, tenant: string, scopes: string[], by: string = ADMIN_KEY): Promise<string> {
  const res = await keyed(baseUrl, by).gql(
    'mutation ($tenant: String!, $scopes: [ApiKeyScope!]!) { createApiKey(tenant: $tenant, scopes: $scopes) { key } }',
    { tenant, scopes },
  );
  const key = res.body?.data?.createApiKey?.key;
  if (typeof key !== 'string') throw new Error(`createApiKey failed: ${res.status} ${res.text}`);
  return key;
}
