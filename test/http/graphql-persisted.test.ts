import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';
import { QueryTextCache, readManifest } from '../../src/http/graphql-persisted.js';
import { describe, expect, it } from '../support/server-fixture.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (hash: string, version: unknown = 1) => ({ extensions: { persistedQuery: { version, sha256Hash: hash } } });

describe('persisted operations off (the default)', () => {
  it('answers a hash-only request PERSISTED_QUERY_NOT_SUPPORTED (Apollo then sends texts), and ignores the hash beside a text', async ({ api }) => {
    const query = '{ sessions(first: 1) { totalCount } }';
    const hashOnly = await api.post('/graphql', persisted(sha256(query)));
    expect(hashOnly.status).toBe(400);
    expect(hashOnly.body.errors[0]).toMatchObject({ message: 'PersistedQueryNotSupported', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } });
    const withText = await api.post('/graphql', { query, ...persisted(sha256(query)) });
    expect(withText.status).toBe(200);
    expect(withText.body.data.sessions.totalCount).toBeGreaterThanOrEqual(0);
  });
});

describe('APQ requests the server refuses', () => {
  it('an unknown version or a malformed hash is a 400', async ({ serve }) => {
    const server = await serve({ PERSISTED_OPERATIONS: 'apq' });
    const post = (body: unknown) => fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const version = await post({ query: '{ __typename }', ...persisted(sha256('{ __typename }'), 2) });
    expect(version.status).toBe(400);
    expect(((await version.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_VERSION_NOT_SUPPORTED');
    const malformed = await post(persisted('not-a-hash'));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('the APQ cache', () => {
  it('keeps at most its bytes of text, dropping the least recently used first', () => {
    const cache = new QueryTextCache(30);
    cache.set('a', 'x'.repeat(10));
    cache.set('b', 'y'.repeat(10));
    cache.set('c', 'z'.repeat(10));
    expect(cache.get('a')).toBe('x'.repeat(10)); // now the most recently used
    cache.set('d', 'w'.repeat(10));
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')].map((t) => t?.[0] ?? null)).toEqual(['x', null, 'z', 'w']);
    cache.set('huge', 'h'.repeat(31));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(3);
  });
});

describe('the manifest of PERSISTED_OPERATIONS=only', () => {
  it('must be a JSON object whose every key is the sha256 of its text', () => {
    const dir = { path: mkdtempSync(join(tmpdir(), 'manifest-')) };
    try {
      const good = join(dir.path, 'good.json');
      writeFileSync(good, JSON.stringify({ [sha256('{ __typename }')]: '{ __typename }' }));
      expect([...readManifest(good).values()]).toEqual(['{ __typename }']);
      const bad = join(dir.path, 'bad.json');
      writeFileSync(bad, JSON.stringify({ [sha256('{ a }')]: '{ b }' }));
      expect(() => readManifest(bad)).toThrow(/is not the sha256 of its operation text/);
      writeFileSync(bad, '[1]');
      expect(() => readManifest(bad)).toThrow(/must be a JSON object/);
      expect(() => readManifest(join(dir.path, 'missing.json'))).toThrow(/cannot be read as JSON/);
    } finally {
      rmSync(dir.path, { recursive: true, force: true });
    }
  });

  it('is required with PERSISTED_OPERATIONS=only', () => {
    expect(() => loadConfig({ PERSISTED_OPERATIONS: 'only' })).toThrow(ConfigError);
    expect(() => loadConfig({ PERSISTED_OPERATIONS: 'only' })).toThrow(/PERSISTED_OPERATIONS_MANIFEST: must be set when PERSISTED_OPERATIONS=only/);
    expect(() => loadConfig({ PERSISTED_OPERATIONS: 'sometimes' })).toThrow(/PERSISTED_OPERATIONS: must be one of off, apq, only/);
  });
});
