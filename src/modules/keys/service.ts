import { createHash, randomBytes } from 'node:crypto';
import { type Principal, requireKeyAdmin } from '../../auth/principal.js';
import { type Clock, isoTime } from '../../domain/clock.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { IdGenerator } from '../../domain/ids.js';
import type { CreateApiKeyInput } from '../../domain/inputs.js';
import type { ApiKey } from '../../domain/records.js';
import type { ApiKeyStore } from './store.js';

/** Every secret starts with this, so that leaked keys are easy to recognise (and to scan for). */
export const SECRET_PREFIX = 'ask_';

/** 256 random bits: guessing is hopeless, so a fast hash (not a password hash) is enough to store. */
export function newSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface CreatedApiKey {
  /** The secret: shown here once, never stored. */
  key: string;
  apiKey: ApiKey;
}

/** Managing API keys, with who-may-do-what in one place (GraphQL and the CLI use it). */
export class ApiKeyService {
  constructor(
    readonly store: ApiKeyStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** Told of every revocation, so that a cached authentication ends at once in this process. */
    private readonly onRevoke: (id: string) => void = () => {},
  ) {}

  async create(principal: Principal, input: CreateApiKeyInput): Promise<CreatedApiKey> {
    requireKeyAdmin(principal, input.tenant);
    const key = newSecret();
    const apiKey: ApiKey = {
      id: this.ids.next('apiKey'),
      tenant: input.tenant,
      name: input.name,
      scopes: input.scopes,
      createdAt: isoTime(this.clock.now()),
      revokedAt: null,
    };
    await this.store.insert(apiKey, hashSecret(key));
    return { key, apiKey };
  }

  /** Another tenant's key reads as missing, as any other record of another tenant does. */
  async revoke(principal: Principal, id: string): Promise<ApiKey> {
    const existing = await this.store.byId(id);
    if (!existing || !(principal.operator || existing.tenant === principal.tenant)) throw new NotFoundError('API key');
    requireKeyAdmin(principal, existing.tenant);
    await this.store.revoke(id, isoTime(this.clock.now()));
    this.onRevoke(id);
    return (await this.store.byId(id)) ?? existing;
  }

  /** The keys of `tenant` (default: the caller's own; the operator may ask for all with null). */
  async list(principal: Principal, tenant: string | null | undefined): Promise<ApiKey[]> {
    const wanted = tenant === undefined ? principal.tenant : tenant;
    if (wanted !== null) requireKeyAdmin(principal, wanted);
    else if (!principal.operator) throw new ForbiddenError('Only the operator lists every tenant’s keys');
    return this.store.list(wanted);
  }
}
