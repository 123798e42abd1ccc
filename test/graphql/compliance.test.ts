import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

type Audit = Awaited<ReturnType<ReturnType<typeof serverAudits>[number]['fn']>>;
const explain = (r: Audit) => `${r.name}${'reason' in r ? `: ${r.reason}` : ''}`;

/** The audits, sent as a client that is not a browser sends them: with a CSRF-prevention header. */
async function audit(headers: Record<string, string>): Promise<Audit[]> {
  const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const merged = new Headers(init.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    return fetch(input, { ...init, headers: merged });
  };
  return Promise.all(serverAudits({ url: `${ts.url}/graphql`, fetchFn }).map((a) => a.fn()));
}

describe('GraphQL over HTTP compliance (graphql-http audits)', () => {
  it('passes every MUST audit, and every SHOULD and MAY audit we know of', async () => {
    const results = await audit({ 'x-graphql-yoga-csrf': '1' });
    const failed = results.filter((result) => result.status !== 'ok');
    expect(failed.filter((r) => r.name.startsWith('MUST')).map(explain)).toEqual([]);
    // Recommendations too: a new failure here is a regression worth a look, not necessarily a bug.
    expect(failed.map(explain)).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  });

  it('without a CSRF header, only the optional GET audits fail (CSRF prevention refuses simple GETs)', async () => {
    const failed = (await audit({})).filter((result) => result.status !== 'ok');
    expect(failed.map((r) => r.name).sort()).toEqual([
      'MAY accept application/x-www-form-urlencoded formatted GET requests',
      'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
      'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
    ]);
  });
});
