import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEYS_USAGE } from '../../src/cli/args.js';
import { Authenticator } from '../../src/auth/authenticate.js';
import { hashSecret, SECRET_PREFIX } from '../../src/modules/keys/service.js';
import { UnauthenticatedError } from '../../src/domain/errors.js';
import { testSchema, type TestSchema } from '../support/postgres.js';
import { runCli, withStorage } from './support.js';

/* `agent-storage keys ...`, the real command as a child process, on a real SQLite file and on PostgreSQL. */

/** What an `Authorization: Bearer <key>` header gets from a server on `url` (a fresh authenticator: no cache). */
async function authenticate(url: string, key: string) {
  return withStorage(url, (_storage, backend) => new Authenticator(backend.stores.keys, null).authenticate(`Bearer ${key}`));
}

interface Target {
  url: string;
  cleanup(): Promise<void>;
}

const targets: [string, () => Target][] = [
  [
    'SQLite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'agent-storage-keys-'));
      return { url: `sqlite:${join(dir, 'storage.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  [
    'PostgreSQL',
    () => {
      const schema: TestSchema = testSchema();
      return { url: schema.url, cleanup: () => schema.drop() };
    },
  ],
];

describe.each(targets)('keys on %s', { timeout: 60_000 }, (_name, makeTarget) => {
  let target: Target;
  beforeEach(() => {
    target = makeTarget();
  });
  afterEach(async () => {
    await target.cleanup();
  });

  it('create prints the secret alone; it authenticates; list never shows it; revoke ends it', async () => {
    const created = await runCli(['keys', 'create', '--database', target.url, '--tenant', 'acme', '--scope', 'write', '--scope', 'read', '--name', 'billing bot']);
    expect(created.code).toBe(0);
    // stdout is the secret and a newline, nothing else: `KEY=$(agent-storage keys create ...)` works
    expect(created.stdout).toMatch(new RegExp(`^${SECRET_PREFIX}[A-Za-z0-9_-]{43}\\n$`));
    const key = created.stdout.trim();
    const id = /Created API key (key_\w+) for tenant "acme" with scopes read, write \(name "billing bot"\)/.exec(created.stderr)?.[1];
    expect(id).toBeDefined();
    expect(created.stderr).toMatch(/cannot be shown again/);

    const principal = await authenticate(target.url, key);
    expect(principal).toMatchObject({ keyId: id, tenant: 'acme', operator: false });
    expect([...principal.scopes]).toEqual(['read', 'write']);

    const table = await runCli(['keys', 'list', '--database', target.url]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+TENANT\s+SCOPES\s+CREATED\s+REVOKED\s+NAME$/);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+acme\\s+read,write\\s+\\S+Z\\s+-\\s+"billing bot"$`, 'm'));
    const listed = await runCli(['keys', 'list', '--database', target.url, '--tenant', 'acme', '--json']);
    expect(listed.code).toBe(0);
    const keys = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(keys).toEqual([{ id, tenant: 'acme', name: 'billing bot', scopes: ['read', 'write'], created_at: expect.any(String), revoked_at: null }]);
    for (const output of [table.stdout, table.stderr, listed.stdout, listed.stderr]) {
      expect(output).not.toContain(key);
      expect(output).not.toContain(hashSecret(key));
    }
    // another tenant's list does not show it
    const other = await runCli(['keys', 'list', '--database', target.url, '--tenant', 'beta', '--json']);
    expect(JSON.parse(other.stdout)).toEqual([]);

    const revoked = await runCli(['keys', 'revoke', id!, '--database', target.url]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`^Revoked API key ${id} \\(tenant "acme"\\) at \\S+Z`));
    await expect(authenticate(target.url, key)).rejects.toBeInstanceOf(UnauthenticatedError);
    const after = JSON.parse((await runCli(['keys', 'list', '--database', target.url, '--json'])).stdout) as { revoked_at: string | null }[];
    expect(after).toHaveLength(1);
    expect(after[0]!.revoked_at).toMatch(/Z$/);

    // revoking again is harmless and keeps the first time
    const again = await runCli(['keys', 'revoke', id!, '--database', target.url, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id, revoked_at: after[0]!.revoked_at });
  });

  it('create --json prints the secret with the key in one object; DATABASE_URL works as --database does', async () => {
    const created = await runCli(['keys', 'create', '--tenant', 'default', '--scope', 'admin', '--json'], { env: { DATABASE_URL: target.url } });
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('');
    const body = JSON.parse(created.stdout) as { key: string; id: string; tenant: string; name: null; scopes: string[]; created_at: string; revoked_at: null };
    expect(body).toEqual({ key: expect.stringMatching(/^ask_/), id: expect.stringMatching(/^key_/), tenant: 'default', name: null, scopes: ['admin'], created_at: expect.any(String), revoked_at: null });
    // the first admin key of a server without STORAGE_ADMIN_KEY
    expect(await authenticate(target.url, body.key)).toMatchObject({ keyId: body.id, tenant: 'default', operator: false });
  });

  it('revoking an unknown key fails with exit 1 and one line', async () => {
    await runCli(['keys', 'create', '--database', target.url, '--tenant', 'acme', '--scope', 'read']);
    const run = await runCli(['keys', 'revoke', 'key_unknown', '--database', target.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('agent-storage keys revoke: no API key key_unknown (see: agent-storage keys list)\n');
  });
});

describe('keys: failures', { timeout: 60_000 }, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-storage-keys-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [['keys'], /keys needs a subcommand/],
    [['keys', 'create', '--scope', 'read'], /--tenant is required/],
    [['keys', 'create', '--tenant', 'Big Corp', '--scope', 'read'], /--tenant must be 1 to 32 lower-case letters, digits, - or _, starting with a letter or digit \(got "Big Corp"\)/],
    [['keys', 'create', '--tenant', 'acme'], /give at least one --scope \(read, write or admin\)/],
    [['keys', 'create', '--tenant', 'acme', '--scope', 'superuser'], /--scope "superuser" is not a scope/],
    [['keys', 'list', '--tenant', '../x'], /--tenant must be 1 to 32/],
    [['keys', 'revoke'], /keys revoke needs the id of the key/],
  ])('%j: exit 2 with the keys usage, and no database is created', async (args, message) => {
    const run = await runCli([...args, '--database', `sqlite:${join(dir, 'storage.db')}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain(KEYS_USAGE);
    expect(run.stdout).toBe('');
    expect(existsSync(join(dir, 'storage.db'))).toBe(false);
  });

  it('list and revoke do not create a database at a mistyped path: exit 1', async () => {
    for (const args of [['keys', 'list'], ['keys', 'revoke', 'key_x']]) {
      const run = await runCli([...args, '--database', `sqlite:${join(dir, 'missing.db')}`]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/no database at .*missing\.db \(check --database or DATABASE_URL\)/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });

  it('keys --help prints the keys usage', async () => {
    const run = await runCli(['keys', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(KEYS_USAGE);
  });
});
