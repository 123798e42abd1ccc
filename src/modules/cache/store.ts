import { sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { writeRows } from '../../db/portable.js';
import type { Row, Runner } from '../../db/runner.js';
import { defineStatements, type Placeholders } from '../../db/statements.js';
import { type CacheEntry, cacheEntryRecord } from '../../domain/records.js';

/**
 * Where cache entries live: each tenant's database by default (`SqlCacheStore`), or Redis
 * (`redis-store.ts`, `CACHE_BACKEND=redis`). The service (`service.ts`) applies the TTL rules;
 * stores keep `expiresAt` as given and never decide expiry on their own.
 */
export interface CacheStore {
  getCacheEntry(key: string): Promise<CacheEntry | null>;
  putCacheEntry(entry: CacheEntry): Promise<void>;
  /** Moves `accessedAt` of a live entry; false when it is gone. */
  touchCacheEntry(key: string, accessedAt: string): Promise<boolean>;
  deleteCacheEntry(key: string): Promise<boolean>;
  /** Deletes entries whose `expiresAt` is at or before `now`; `key` limits it to one entry. */
  deleteExpiredCacheEntries(now: string, key?: string): Promise<number>;
  /** A store outside the tenant's database (Redis) answers or throws: what `/ready` checks of it. */
  ping?(): Promise<void>;
}

/** A cache store that can hand out a separate store per tenant (Redis: a key prefix each). */
export interface TenantCache extends CacheStore {
  forTenant(tenant: string): CacheStore;
}

type Entry = { key: string; value: string; ttl: number | null; createdAt: string; accessedAt: string; expiresAt: string | null };

/** The cache's statements, the same on SQLite and PostgreSQL. */
const statements = defineStatements({
  getCacheEntry: (db, p: Placeholders<{ key: string }>) => db.selectFrom('cache').selectAll().where('key', '=', p('key')),

  putCacheEntry: (db, p: Placeholders<Entry>) =>
    db
      .insertInto('cache')
      .values({
        key: p('key'),
        value: p('value'),
        ttl: p('ttl'),
        created_at: p('createdAt'),
        accessed_at: p('accessedAt'),
        expires_at: p('expiresAt'),
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          ttl: eb.ref('excluded.ttl'),
          created_at: eb.ref('excluded.created_at'),
          accessed_at: eb.ref('excluded.accessed_at'),
          expires_at: eb.ref('excluded.expires_at'),
        })),
      ),

  touchCacheEntry: (db, p: Placeholders<{ key: string; accessedAt: string }>) =>
    db.updateTable('cache').set({ accessed_at: p('accessedAt') }).where('key', '=', p('key')),

  // Deferred touches (deferred-touches.ts): never back in time, over a write made since the read.
  touchCacheEntryLater: (db, p: Placeholders<{ key: string; accessedAt: string }>) =>
    db.updateTable('cache').set({ accessed_at: p('accessedAt') }).where('key', '=', p('key')).where('accessed_at', '<', p('accessedAt')),
  touchCacheEntriesLater: (_db, p: Placeholders<{ keys: string[]; times: string[] }>) =>
    sql`UPDATE cache c SET accessed_at = t.at FROM unnest(${p('keys')}::text[], ${p('times')}::timestamptz[]) AS t(key, at)
      WHERE c.key = t.key AND c.accessed_at < t.at`,

  deleteCacheEntry: (db, p: Placeholders<{ key: string }>) => db.deleteFrom('cache').where('key', '=', p('key')),

  // Conditional on the expiry: a value written since the caller's read survives.
  deleteExpiredCacheEntry: (db, p: Placeholders<{ key: string; now: string }>) =>
    db.deleteFrom('cache').where('key', '=', p('key')).where('expires_at', '<=', p('now')),

  deleteExpiredCacheEntries: (db, p: Placeholders<{ now: string }>) => db.deleteFrom('cache').where('expires_at', '<=', p('now')),
});

/** The cache in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlCacheStore implements CacheStore {
  private readonly sql: ReturnType<typeof statements.for>;
  private readonly codec: RowCodec;

  constructor(private readonly runner: Runner) {
    this.sql = statements.for(runner.dialect);
    this.codec = codecs[runner.dialect];
  }

  async getCacheEntry(key: string): Promise<CacheEntry | null> {
    const row = await this.runner.one(this.sql.getCacheEntry, { key });
    return row ? this.toEntry(row) : null;
  }

  async putCacheEntry(e: CacheEntry): Promise<void> {
    await this.runner.write(this.sql.putCacheEntry, {
      key: e.key,
      value: JSON.stringify(e.value),
      ttl: e.ttl,
      createdAt: e.createdAt,
      accessedAt: e.accessedAt,
      expiresAt: e.expiresAt,
    });
  }

  async touchCacheEntry(key: string, accessedAt: string): Promise<boolean> {
    return (await this.runner.write(this.sql.touchCacheEntry, { key, accessedAt })) > 0;
  }

  async deleteCacheEntry(key: string): Promise<boolean> {
    return (await this.runner.write(this.sql.deleteCacheEntry, { key })) > 0;
  }

  /** Moves `accessedAt` of the entries there are, in one transaction; never to an earlier time than it has. */
  async touchCacheEntriesLater(touches: readonly (readonly [key: string, accessedAt: string])[]): Promise<void> {
    if (touches.length === 0) return;
    const { touchCacheEntryLater, touchCacheEntriesLater } = this.sql;
    const dialect = this.runner.dialect;
    await this.runner.transaction(() =>
      writeRows(
        dialect,
        touches,
        { statement: touchCacheEntryLater, params: ([key, accessedAt]) => ({ key, accessedAt }) },
        { statement: touchCacheEntriesLater, params: (chunk) => ({ keys: chunk.map(([key]) => key), times: chunk.map(([, at]) => at) }) },
      ),
    );
  }

  deleteExpiredCacheEntries(now: string, key?: string): Promise<number> {
    return key === undefined
      ? this.runner.write(this.sql.deleteExpiredCacheEntries, { now })
      : this.runner.write(this.sql.deleteExpiredCacheEntry, { key, now });
  }

  private toEntry(r: Row): CacheEntry {
    return cacheEntryRecord.parse({
      key: r.key,
      value: this.codec.json(r.value),
      ttl: r.ttl == null ? null : Number(r.ttl),
      createdAt: this.codec.time(r.created_at),
      accessedAt: this.codec.time(r.accessed_at),
      expiresAt: this.codec.timeOrNull(r.expires_at),
    });
  }
}
