import { dirname, join } from 'node:path';
import type { Config, DatabaseConfig } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { UnavailableError } from '../domain/errors.js';
import type { IdGenerator } from '../domain/ids.js';
import { DEFAULT_TENANT } from '../domain/inputs.js';
import type { CacheObserver } from '../modules/cache/service.js';
import type { CacheStore, TenantCache } from '../modules/cache/store.js';
import type { DatabaseObserver } from '../db/runner.js';
import type { StorageBackend } from './backend.js';
import { openBackend, type OpenOptions } from './open.js';
import { Storage } from './storage.js';

/**
 * Tenant isolation is one database per tenant: the default tenant's is the one `DATABASE_URL`
 * names, every other tenant's sits next to it —
 * - SQLite: `<folder of the database>/tenants/<tenant>.db`,
 * - PostgreSQL: the schema `<schema>__<tenant>` (`public__<tenant>` without `?schema=`).
 * No query can reach another tenant's rows, however it filters: they are not in its database.
 */
export function tenantDatabase(database: DatabaseConfig, tenant: string): DatabaseConfig {
  if (tenant === DEFAULT_TENANT) return database;
  switch (database.kind) {
    case 'sqlite':
      // Every in-memory database is a new, separate one.
      if (database.filename === ':memory:') return database;
      return { kind: 'sqlite', filename: join(dirname(database.filename), 'tenants', `${tenant}.db`) };
    case 'postgres':
      return { ...database, schema: `${database.schema ?? 'public'}__${tenant}` };
  }
}

interface OpenTenant {
  storage: Storage;
  close(): Promise<void>;
}

/** The tenants' storages, each opened (created and migrated) on first use and kept open. */
export class Tenants {
  private readonly opened = new Map<string, Promise<OpenTenant>>();

  constructor(
    /** The default tenant's storage, open from the start; its database also holds the API keys. */
    readonly defaultStorage: Storage,
    private readonly openTenant: (tenant: string) => Promise<OpenTenant>,
    private readonly onOpenError: (tenant: string, error: unknown) => void = () => {},
  ) {}

  /** Just the default tenant (a server or job over one database). */
  static only(storage: Storage): Tenants {
    return new Tenants(storage, () => Promise.reject(new Error('this server has only the default tenant')));
  }

  async storageOf(tenant: string): Promise<Storage> {
    if (tenant === DEFAULT_TENANT) return this.defaultStorage;
    let opening = this.opened.get(tenant);
    if (!opening) {
      opening = this.openTenant(tenant);
      this.opened.set(tenant, opening);
      // A database that could not be opened is tried again by the next request.
      opening.catch(() => this.opened.delete(tenant));
    }
    try {
      return (await opening).storage;
    } catch (error) {
      this.onOpenError(tenant, error);
      throw new UnavailableError('The tenant’s database cannot be opened right now', 5);
    }
  }

  /**
   * The tenants that may have data: the default one, every tenant an API key was ever made for
   * (revoked keys included: their data stays until deleted), and any other open here.
   */
  async known(): Promise<string[]> {
    const keys = await this.defaultStorage.backend.stores.keys.list(null);
    const named = [...keys.map((k) => k.tenant), ...this.opened.keys()];
    return [DEFAULT_TENANT, ...new Set(named.filter((t) => t !== DEFAULT_TENANT))];
  }

  /** Runs `work` on every known tenant's storage, one after the other (background jobs). */
  async sweepAll<R>(work: (storage: Storage) => Promise<R>): Promise<{ tenant: string; report: R }[]> {
    const done: { tenant: string; report: R }[] = [];
    for (const tenant of await this.known()) done.push({ tenant, report: await work(await this.storageOf(tenant)) });
    return done;
  }

  /** Closes every tenant's database but the default one (which its opener closes). */
  async close(): Promise<void> {
    const open = [...this.opened.values()];
    this.opened.clear();
    await Promise.all(open.map((o) => o.then((t) => t.close()).catch(() => {})));
  }
}

export interface TenantsOptions extends OpenOptions {
  clock: Clock;
  ids: IdGenerator;
  /** Where the default tenant's cache entries live (e.g. Redis); by default, its database. */
  cache?: TenantCache;
  /** Told of every statement, group commit and cache read of every tenant (metrics, traces). */
  observer?: DatabaseObserver & CacheObserver;
  onOpenError?: (tenant: string, error: unknown) => void;
}

/** The tenants of `config.database` over an already open default backend. */
export function tenantsOver(defaultBackend: StorageBackend, config: Pick<Config, 'database'>, options: TenantsOptions): Tenants {
  // A tenant's cache: its share of the shared cache store when there is one (Redis), else its own database's.
  const storageOver = (backend: StorageBackend, cache: CacheStore | undefined) => new Storage(backend, options.clock, options.ids, cache, options.observer);
  return new Tenants(
    storageOver(defaultBackend, options.cache),
    async (tenant) => {
      const backend = await openBackend(tenantDatabase(config.database, tenant), options);
      return { storage: storageOver(backend, options.cache?.forTenant(tenant)), close: () => backend.close() };
    },
    options.onOpenError,
  );
}
