import { timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '../domain/errors.js';
import { DEFAULT_TENANT } from '../domain/inputs.js';
import { API_KEY_SCOPES, type ApiKey } from '../domain/records.js';
import { hashSecret } from '../modules/keys/service.js';
import type { ApiKeyStore } from '../modules/keys/store.js';
import type { Principal } from './principal.js';

/**
 * The revocation delay: how long a key looked up in the database is trusted without looking again.
 * A revocation made in this process ends the key at once (`forget`); one made through another
 * replica (or the CLI) takes effect within this time — for new requests (the cache) and for open
 * event streams, which look their key up again this often (see EventStreams).
 */
export const REVOCATION_DELAY_MS = 5_000;
/** The `keyId` of STORAGE_ADMIN_KEY, which lives in the configuration, not in the database. */
const BOOTSTRAP_KEY_ID = 'bootstrap';
/** Look-ups remembered at most (unknown keys included, so that garbage cannot grow the map). */
const CACHE_ENTRIES = 10_000;

interface Cached {
  principal: Principal | null;
  until: number;
}

/** Turns an `Authorization: Bearer <key>` header into a `Principal`, or refuses. */
export class Authenticator {
  private readonly cache = new Map<string, Cached>();
  private readonly adminHash: Buffer | null;

  constructor(
    private readonly store: ApiKeyStore,
    adminKey: string | null,
    private readonly now: () => number = Date.now,
  ) {
    this.adminHash = adminKey === null ? null : Buffer.from(hashSecret(adminKey), 'hex');
  }

  async authenticate(authorization: string | null): Promise<Principal> {
    if (authorization === null || authorization.trim() === '') {
      throw new UnauthenticatedError('Missing API key: send the header "Authorization: Bearer <key>"');
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) throw new UnauthenticatedError('Malformed Authorization header: expected "Bearer <key>"');
    const hash = hashSecret(match[1]!);
    if (this.adminHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) {
      return { keyId: BOOTSTRAP_KEY_ID, tenant: DEFAULT_TENANT, scopes: new Set(API_KEY_SCOPES), operator: true };
    }
    const principal = await this.lookUp(hash);
    // One answer for unknown and revoked keys: nothing to learn about which keys exist.
    if (!principal) throw new UnauthenticatedError('Invalid API key');
    return principal;
  }

  /**
   * What the key of `principal`, authenticated earlier, allows now: looked up afresh in the
   * database (not the cache), null once it is revoked — and then forgotten, so that this process
   * refuses its next request too. Open access and the bootstrap key do not change while the
   * process runs.
   */
  async current(principal: Principal): Promise<Principal | null> {
    if (principal.keyId === null || principal.keyId === BOOTSTRAP_KEY_ID) return principal;
    const key = await this.store.byId(principal.keyId);
    if (!key || key.revokedAt !== null) {
      this.forget(principal.keyId);
      return null;
    }
    return principalOf(key);
  }

  /** Ends the cached authentication of a key (after revoking it). */
  forget(keyId: string): void {
    for (const [hash, cached] of this.cache) if (cached.principal?.keyId === keyId) this.cache.delete(hash);
  }

  private async lookUp(hash: string): Promise<Principal | null> {
    const now = this.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const key = await this.store.byHash(hash);
    const principal = key && key.revokedAt === null ? principalOf(key) : null;
    if (this.cache.size >= CACHE_ENTRIES) this.cache.clear();
    this.cache.set(hash, { principal, until: now + REVOCATION_DELAY_MS });
    return principal;
  }
}

function principalOf(key: ApiKey): Principal {
  return { keyId: key.id, tenant: key.tenant, scopes: new Set(key.scopes), operator: false };
}
