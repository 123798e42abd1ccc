import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bundle, buildBundle } from '../support/build.js';
import { testSchema } from '../support/postgres.js';
import { startService } from '../support/process.js';

/*
 * `npm run build` bundles the service and the CLI (scripts/build.mjs). What runs in the Docker
 * image and under `npm start` is that bundle, not the sources the other tests run: here it is built
 * into a scratch folder and used as a user would — a write and a read on each door, on each
 * backend (the PostgreSQL and Redis clients stay outside the bundle and are imported on demand), a
 * clean stop, the CLI. A dependency that does not survive bundling fails here.
 */

let bundle: Bundle;
beforeAll(() => void (bundle = buildBundle()), 60_000);
afterAll(() => bundle?.cleanup());

async function serveAndStop(env: Record<string, string>): Promise<void> {
  const service = await startService(env, 30_000, [join(bundle.dist, 'main.js')]);
  try {
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    const created = await fetch(`${service.url}/storage/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agent_name: 'bundled', metadata: { ok: true } }),
    });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    const query = await fetch(`${service.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query ($id: ID!) { session(id: $id) { agentName metadata } }', variables: { id } }),
    });
    expect(await query.json()).toEqual({ data: { session: { agentName: 'bundled', metadata: { ok: true } } } });
  } finally {
    expect(await service.stop()).toEqual({ code: 0, signal: null });
  }
}

describe('the bundle (npm run build)', () => {
  it('serves both doors from a fresh SQLite file, stops cleanly, and its CLI exports what was written', async () => {
    const database = `sqlite:${join(bundle.dir, 'storage.db')}`;
    await serveAndStop({ DATABASE_URL: database });
    const exported = execFileSync(process.execPath, [join(bundle.dist, 'cli.js'), 'export', '--database', database], { encoding: 'utf8', stdio: 'pipe' });
    expect(exported).toContain('"agent_name":"bundled"');
  });

  it('serves from PostgreSQL with the cache on Redis', async () => {
    const schema = testSchema();
    try {
      await serveAndStop({ DATABASE_URL: schema.url, CACHE_BACKEND: 'redis', REDIS_URL: 'redis://127.0.0.1:6379' });
    } finally {
      await schema.drop();
    }
  });
});
