import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

describe('GraphQL over HTTP compliance (graphql-http audits)', () => {
  it('passes every MUST audit, and every SHOULD and MAY audit we know of', async () => {
    const results = await Promise.all(serverAudits({ url: `${ts.url}/graphql`, fetchFn: fetch }).map((audit) => audit.fn()));
    const failed = results.filter((result) => result.status !== 'ok');
    const explain = (r: (typeof results)[number]) => `${r.name}${'reason' in r ? `: ${r.reason}` : ''}`;
    expect(failed.filter((r) => r.name.startsWith('MUST')).map(explain)).toEqual([]);
    // Recommendations too: a new failure here is a regression worth a look, not necessarily a bug.
    expect(failed.map(explain)).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  });
});
