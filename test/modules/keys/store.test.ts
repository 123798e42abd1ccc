import { expect } from 'vitest';
import { isUniqueViolation } from '../../../src/db/portable.js';
import type { ApiKey } from '../../../src/domain/records.js';
import { describeOnDatabases } from '../../support/store-fixture.js';
import { NASTY_STRINGS } from '../../storage/support.js';

/** The behaviour of the API key store on every database, written only against `ApiKeyStore`. */
describeOnDatabases('ApiKeyStore contract', (test) => {
  const it = test.extend('store', ({ stores }) => stores.keys);
  let n = 0;

  function key(fields: Partial<ApiKey> = {}): ApiKey {
    n++;
    return { id: `apikey_${String(n).padStart(4, '0')}`, tenant: 'acme', name: null, scopes: ['read'], createdAt: `2026-01-01T00:00:0${n % 10}.000Z`, revokedAt: null, ...fields };
  }

  it('finds a key by id and by hash, as inserted; unknown ones read as null', async ({ store }) => {
    const k = key({ name: 'planner', scopes: ['read', 'write', 'admin'] });
    await store.insert(k, 'hash-1');
    expect(await store.byId(k.id)).toEqual(k);
    expect(await store.byHash('hash-1')).toEqual(k);
    expect(await store.byId('apikey_unknown')).toBeNull();
    expect(await store.byHash('hash-unknown')).toBeNull();
    expect(await store.byHash('HASH-1')).toBeNull();
  });

  it('keeps scopes in order, an empty list, and names with unicode, quotes and backslashes', async ({ store }) => {
    const none = key({ scopes: [] });
    await store.insert(none, 'h-none');
    expect((await store.byId(none.id))!.scopes).toEqual([]);
    const ordered = key({ scopes: ['admin', 'read'] });
    await store.insert(ordered, 'h-ordered');
    expect((await store.byHash('h-ordered'))!.scopes).toEqual(['admin', 'read']);
    for (const [i, text] of NASTY_STRINGS.filter((t) => !t.includes('\u0000')).entries()) {
      const named = key({ name: text, tenant: `t${i}` });
      await store.insert(named, `h-name-${i}`);
      expect(await store.byId(named.id)).toEqual(named);
    }
  });

  it('a hash or an id already taken is refused as a unique violation', async ({ store }) => {
    const k = key();
    await store.insert(k, 'same');
    // Ids and secrets are made by the service and never clash: the violation is not translated.
    // Started one at a time, so that no refusal goes unhandled while the other is awaited.
    for (const clash of [() => store.insert(key(), 'same'), () => store.insert({ ...key(), id: k.id }, 'other')]) {
      expect(isUniqueViolation(await clash().then(() => null, (error: unknown) => error))).toBe(true);
    }
    expect(await store.list(null)).toEqual([k]);
  });

  it('lists in id order: every tenant’s, or one tenant’s', async ({ store }) => {
    const b = key({ tenant: 'beta' });
    const a1 = key({ tenant: 'acme' });
    const a2 = key({ tenant: 'acme', revokedAt: '2026-02-01T00:00:00.000Z' });
    for (const [i, k] of [a2, b, a1].entries()) await store.insert(k, `h${i}`);
    expect(await store.list(null)).toEqual([b, a1, a2]);
    expect(await store.list('acme')).toEqual([a1, a2]);
    expect(await store.list('ACME')).toEqual([]);
    expect(await store.list('nobody')).toEqual([]);
  });

  it('revokes a key once: a key revoked before keeps its time; an unknown id is false', async ({ store }) => {
    const k = key();
    await store.insert(k, 'h');
    expect(await store.revoke(k.id, '2026-03-01T00:00:00.000Z')).toBe(true);
    expect(await store.byHash('h')).toEqual({ ...k, revokedAt: '2026-03-01T00:00:00.000Z' });
    expect(await store.revoke(k.id, '2026-04-01T00:00:00.000Z')).toBe(true);
    expect((await store.byId(k.id))!.revokedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(await store.revoke('apikey_unknown', '2026-04-01T00:00:00.000Z')).toBe(false);
  });
});
