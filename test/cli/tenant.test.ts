import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config.js';
import { tenantDatabase } from '../../src/storage/tenants.js';
import { testSchema, type TestSchema } from '../support/postgres.js';
import { bodyOf, linesOf, runCli, snapshot, withStorage } from './support.js';

/* `export --tenant` and `import --tenant`: one tenant's database moves, the others stay as they are. */

/** The DATABASE_URL of `tenant`'s database, next to the one `url` names, as the server finds it. */
function tenantUrl(url: string, tenant: string): string {
  const database = tenantDatabase(parseDatabaseUrl(url), tenant);
  if (database.kind === 'sqlite') return `sqlite:${database.filename}`;
  const pgUrl = new URL(database.url);
  pgUrl.searchParams.set('schema', database.schema!);
  return pgUrl.toString();
}

/** A few sessions (with history, state, a metric) for `agent`, through Storage as the service writes them. */
async function fill(url: string, agent: string, sessions: number): Promise<void> {
  await withStorage(url, async (storage, _backend, clock) => {
    for (let i = 0; i < sessions; i++) {
      clock.advance(1000);
      const session = await storage.sessions.create({ agentName: agent, userId: `${agent}-user`, status: 'active', metadata: { i } });
      await storage.history.addMany(session.id, [
        { role: 'user', content: `${agent} asks ${i}`, metadata: {} },
        { role: 'assistant', content: `${agent} answers ${i}`, metadata: { tenant: agent } },
      ]);
      await storage.state.set(session.id, { step: i });
      await storage.metrics.record([{ entityType: 'agent', entityName: agent, sessionId: session.id, metricName: 'tokens', value: i, labels: {}, timestamp: null }]);
    }
  });
}

describe('--tenant', { timeout: 120_000 }, () => {
  let dir: string;
  let source: string;
  let target: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-storage-cli-tenant-'));
    source = `sqlite:${join(dir, 'source', 'storage.db')}`;
    target = `sqlite:${join(dir, 'target', 'storage.db')}`;
    await fill(source, 'home', 2);
    await fill(tenantUrl(source, 'acme'), 'acme', 3);
    await fill(tenantUrl(source, 'beta'), 'beta', 1);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('export --tenant writes that tenant’s data only; import --tenant puts it in that tenant’s database, touching no other', async () => {
    const acme = await snapshot(tenantUrl(source, 'acme'));
    expect(tenantUrl(source, 'acme')).toBe(`sqlite:${join(dir, 'source', 'tenants', 'acme.db')}`);

    const exported = await runCli(['export', '--database', source, '--tenant', 'acme']);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/^Exported 3 sessions \(6 messages, 3 states, 0 artifacts, 0 content versions, 0 blobs\) and 3 metrics from sqlite:.*tenants\/acme\.db to standard output/);
    const sessionIds = linesOf(exported.stdout).filter((l) => l.type === 'session').map((l) => l.record!.id);
    expect(sessionIds).toEqual(acme.sessions.map((s) => s.session.id));

    // the target already holds data of its own, in the default tenant and in another one
    await fill(target, 'home', 1);
    await fill(tenantUrl(target, 'beta'), 'beta', 2);
    const before = { home: await snapshot(target), beta: await snapshot(tenantUrl(target, 'beta')) };

    const imported = await runCli(['import', '--database', target, '--tenant', 'acme'], { input: exported.stdout });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/into sqlite:.*target\/tenants\/acme\.db:/);
    expect(await snapshot(tenantUrl(target, 'acme'))).toEqual(acme);
    expect(await snapshot(target)).toEqual(before.home);
    expect(await snapshot(tenantUrl(target, 'beta'))).toEqual(before.beta);
    expect(readdirSync(join(dir, 'target', 'tenants')).filter((f) => f.endsWith('.db')).sort()).toEqual(['acme.db', 'beta.db']);

    // without --tenant: the default tenant's database, which holds none of acme's
    const home = await runCli(['export', '--database', source]);
    expect(home.code).toBe(0);
    expect(linesOf(home.stdout).filter((l) => l.type === 'session')).toHaveLength(2);
    expect(home.stdout).not.toContain('acme');
  });

  it('exporting a tenant that has no database fails (exit 1) and creates none', async () => {
    const run = await runCli(['export', '--database', source, '--tenant', 'ghost']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no database at .*tenants\/ghost\.db \(tenant "ghost" has no data there; check --tenant, --database or DATABASE_URL\)/);
    expect(existsSync(join(dir, 'source', 'tenants', 'ghost.db'))).toBe(false);
  });

  it('an invalid tenant name is a usage error (exit 2) before anything is opened', async () => {
    for (const command of ['export', 'import']) {
      const run = await runCli([command, '--database', target, '--tenant', '../escape'], { input: '' });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--tenant must be 1 to 32 lower-case letters, digits, - or _, starting with a letter or digit \(got "\.\.\/escape"\)/);
      expect(run.stderr).toMatch(new RegExp(`Usage: agent-storage ${command}`));
    }
    expect(existsSync(join(dir, 'target'))).toBe(false);
  });

  describe('on PostgreSQL', () => {
    let pg: TestSchema;
    beforeEach(() => {
      pg = testSchema();
    });
    afterEach(async () => {
      await pg.drop();
    });

    it('a tenant moves SQLite → PostgreSQL (its own schema) and back unchanged; the default schema stays empty', async () => {
      const acme = await snapshot(tenantUrl(source, 'acme'));
      const exported = await runCli(['export', '--database', source, '--tenant', 'acme']);
      const imported = await runCli(['import', '--database', pg.url, '--tenant', 'acme'], { input: exported.stdout });
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      expect(await snapshot(tenantUrl(pg.url, 'acme'))).toEqual(acme);
      expect(await snapshot(pg.url)).toEqual({ sessions: [], metrics: [] });

      const back = await runCli(['export', '--database', pg.url, '--tenant', 'acme']);
      expect(back.code).toBe(0);
      expect(bodyOf(back.stdout)).toBe(bodyOf(exported.stdout));
    });
  });
});
