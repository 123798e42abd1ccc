import { ForbiddenError } from '../domain/errors.js';
import { DEFAULT_TENANT } from '../domain/inputs.js';
import { API_KEY_SCOPES, type ApiKeyScope } from '../domain/records.js';

/** Who a request acts for: the tenant whose data it sees, and what it may do there. */
export interface Principal {
  /** The key's id; `bootstrap` for STORAGE_ADMIN_KEY, null without authentication (AUTH_MODE=none). */
  keyId: string | null;
  tenant: string;
  scopes: ReadonlySet<ApiKeyScope>;
  /** May manage every tenant's keys (the bootstrap key; anyone with AUTH_MODE=none). */
  operator: boolean;
}

/** Everyone, with AUTH_MODE=none (allowed on loopback only): the default tenant, every right. */
export const OPEN_ACCESS: Principal = { keyId: null, tenant: DEFAULT_TENANT, scopes: new Set(API_KEY_SCOPES), operator: true };

export function requireScope(principal: Principal, scope: ApiKeyScope): void {
  if (!principal.scopes.has(scope)) throw new ForbiddenError(`This API key lacks the "${scope}" scope`);
}

/** Keys of `tenant` may be managed by the operator and by that tenant's own admin keys. */
export function requireKeyAdmin(principal: Principal, tenant: string): void {
  requireScope(principal, 'admin');
  if (!principal.operator && principal.tenant !== tenant) {
    throw new ForbiddenError(`This API key manages only the keys of tenant "${principal.tenant}"`);
  }
}
