import { serverAudits } from 'graphql-http';
import { describe, expect, it, type TestServer } from '../support/server-fixture.js';

type Audit = Awaited<ReturnType<ReturnType<typeof serverAudits>[number]['fn']>>;
const explain = (r: Audit) => `${r.name}${'reason' in r ? `: ${r.reason}` : ''}`;

/** The audits, sent as a client that is not a browser sends them: with a CSRF-prevention header. */
async function audit(server: TestServer, headers: Record<string, string>): Promise<Audit[]> {
  const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const merged = new Headers(init.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    return fetch(input, { ...init, headers: merged });
  };
  return Promise.all(serverAudits({ url: `${server.url}/graphql`, fetchFn }).map((a) => a.fn()));
}

describe('GraphQL over HTTP compliance (graphql-http audits)', () => {
  it('passes every MUST audit, and every SHOULD and MAY audit we know of', async ({ server }) => {
    const results = await audit(server, { 'x-graphql-yoga-csrf': '1' });
    const failed = results.filter((result) => result.status !== 'ok');
    expect(failed.filter((r) => r.name.startsWith('MUST')).map(explain)).toEqual([]);
    // Recommendations too: a new failure here is a regression worth a look, not necessarily a bug.
    expect(failed.map(explain)).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  });

  it('without a CSRF header, only the optional GET audits fail (CSRF prevention refuses simple GETs)', async ({ server }) => {
    const failed = (await audit(server, {})).filter((result) => result.status !== 'ok');
    expect(failed.map((r) => r.name).sort()).toEqual([
      'MAY accept application/x-www-form-urlencoded formatted GET requests',
      'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
      'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
    ]);
  });
});
