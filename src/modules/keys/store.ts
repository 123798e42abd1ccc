import { codecs, type RowCodec } from '../../db/codec.js';
import type { Row, Runner } from '../../db/runner.js';
import { defineStatements, type Placeholders } from '../../db/statements.js';
import { API_KEY_SCOPES, type ApiKey, apiKeyRecord, type ApiKeyScope } from '../../domain/records.js';

/**
 * API keys, kept in the default tenant's database (the one `DATABASE_URL` names), which every
 * replica shares. Only a key's SHA-256 hash is stored; the secret is shown once, at creation.
 */
export interface ApiKeyStore {
  insert(key: ApiKey, hash: string): Promise<void>;
  /** The key with this hash, revoked or not; null when there is none. */
  byHash(hash: string): Promise<ApiKey | null>;
  byId(id: string): Promise<ApiKey | null>;
  /** In creation order (by id); `tenant` null: every tenant's. */
  list(tenant: string | null): Promise<ApiKey[]>;
  /** Marks the key revoked (a key revoked before keeps its time); false when there is no such key. */
  revoke(id: string, revokedAt: string): Promise<boolean>;
}

type KeyRow = { id: string; tenant: string; name: string | null; scopes: string[]; hash: string; createdAt: string; revokedAt: string | null };

/**
 * The keys' statements, the same on both databases. `scopes` is a list parameter: the SQLite runner
 * passes it as JSON text (its column holds JSON), PostgreSQL as an array (its column is `text[]`);
 * `codec.strings` reads either back.
 */
const statements = defineStatements({
  insertApiKey: (db, p: Placeholders<KeyRow>) =>
    db.insertInto('api_keys').values({
      id: p('id'),
      tenant: p('tenant'),
      name: p('name'),
      scopes: p('scopes'),
      key_hash: p('hash'),
      created_at: p('createdAt'),
      revoked_at: p('revokedAt'),
    }),

  apiKeyByHash: (db, p: Placeholders<{ hash: string }>) => db.selectFrom('api_keys').selectAll().where('key_hash', '=', p('hash')),

  apiKeyById: (db, p: Placeholders<{ id: string }>) => db.selectFrom('api_keys').selectAll().where('id', '=', p('id')),

  listApiKeys: (db) => db.selectFrom('api_keys').selectAll().orderBy('id'),

  listTenantApiKeys: (db, p: Placeholders<{ tenant: string }>) => db.selectFrom('api_keys').selectAll().where('tenant', '=', p('tenant')).orderBy('id'),

  // A key revoked before keeps its time.
  revokeApiKey: (db, p: Placeholders<{ id: string; revokedAt: string }>) =>
    db
      .updateTable('api_keys')
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', p('revokedAt')) }))
      .where('id', '=', p('id')),
});

/** The API keys in the default tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlApiKeyStore implements ApiKeyStore {
  private readonly sql: ReturnType<typeof statements.for>;
  private readonly codec: RowCodec;

  constructor(private readonly runner: Runner) {
    this.sql = statements.for(runner.dialect);
    this.codec = codecs[runner.dialect];
  }

  async insert(k: ApiKey, hash: string): Promise<void> {
    await this.runner.write(this.sql.insertApiKey, { id: k.id, tenant: k.tenant, name: k.name, scopes: k.scopes, hash, createdAt: k.createdAt, revokedAt: k.revokedAt });
  }

  async byHash(hash: string): Promise<ApiKey | null> {
    const row = await this.runner.one(this.sql.apiKeyByHash, { hash });
    return row ? this.toApiKey(row) : null;
  }

  async byId(id: string): Promise<ApiKey | null> {
    const row = await this.runner.one(this.sql.apiKeyById, { id });
    return row ? this.toApiKey(row) : null;
  }

  async list(tenant: string | null): Promise<ApiKey[]> {
    const rows = tenant === null ? await this.runner.all(this.sql.listApiKeys, {}) : await this.runner.all(this.sql.listTenantApiKeys, { tenant });
    return rows.map((r) => this.toApiKey(r));
  }

  async revoke(id: string, revokedAt: string): Promise<boolean> {
    return (await this.runner.write(this.sql.revokeApiKey, { id, revokedAt })) > 0;
  }

  private toApiKey(r: Row): ApiKey {
    return apiKeyRecord.parse({
      id: r.id,
      tenant: r.tenant,
      name: r.name ?? null,
      scopes: this.codec.strings(r.scopes).filter(isScope),
      createdAt: this.codec.time(r.created_at),
      revokedAt: this.codec.timeOrNull(r.revoked_at),
    });
  }
}

const isScope = (scope: string): scope is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(scope);
