import { createApiKeyInput, shortText, tenantName } from '../../domain/inputs.js';
import { API_KEY_SCOPES, type ApiKey as ApiKeyRecord } from '../../domain/records.js';
import { builder, enumValues } from '../../graphql/builder.js';
import { requires } from '../../graphql/scopes.js';
import { parsed } from '../../graphql/validation.js';
import type { CreatedApiKey as CreatedApiKeyRecord } from './service.js';

// The API keys' GraphQL types and root fields: each resolver parses its arguments and calls one
// operation of the key service (`apiKeys` in the context, over the default tenant's database).

/** Only keys with the `admin` scope may use these fields (see http/auth.ts). */
const ADMIN = requires('admin');

export const ApiKeyScope = builder.enumType('ApiKeyScope', {
  description: 'What a key may do: READ every read, WRITE every write, ADMIN manage the API keys of its tenant.',
  values: enumValues(API_KEY_SCOPES),
});

export const ApiKey = builder.objectRef<ApiKeyRecord>('ApiKey');

ApiKey.implement({
  description: 'An API key as stored: never its secret, which is shown once, by createApiKey.',
  fields: (t) => ({
    id: t.exposeID('id'),
    tenant: t.exposeString('tenant', { description: 'The tenant whose data the key reads and writes.' }),
    name: t.exposeString('name', { nullable: true }),
    scopes: t.expose('scopes', { type: [ApiKeyScope] }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'Null while the key works.' }),
  }),
});

const CreatedApiKey = builder.objectRef<CreatedApiKeyRecord>('CreatedApiKey');

CreatedApiKey.implement({
  description: 'A new key with its secret. The secret is not stored and cannot be shown again.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The secret, for `Authorization: Bearer <key>`. Shown only here, once.' }),
    apiKey: t.field({ type: ApiKey, resolve: (created) => created.apiKey }),
  }),
});

builder.queryFields((t) => ({
  apiKeys: t.field({
    type: [ApiKey],
    extensions: ADMIN,
    description:
      'The API keys of a tenant (default: the caller’s own), revoked ones included. ' +
      'Only the bootstrap key (STORAGE_ADMIN_KEY) may name another tenant.',
    args: { tenant: t.arg.string({ validate: { schema: tenantName } }) },
    resolve: (_root, { tenant }, { apiKeys, principal }) => apiKeys.list(principal, tenant ?? undefined),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    extensions: ADMIN,
    description: 'Creates an API key for a tenant; the answer is the only time its secret is shown.',
    args: {
      tenant: t.arg.string({ required: true }),
      scopes: t.arg({ type: [ApiKeyScope], required: true }),
      name: t.arg.string({ description: 'A label, e.g. the agent that will use it.' }),
    },
    validate: { schema: createApiKeyInput },
    resolve: (_root, args, { apiKeys, principal }) => apiKeys.create(principal, parsed(createApiKeyInput, args)),
  }),
  revokeApiKey: t.field({
    type: ApiKey,
    extensions: ADMIN,
    description: 'Revokes a key at once (on other replicas within 5 seconds); revoking twice is harmless.',
    args: { id: t.arg.id({ required: true, validate: { schema: shortText } }) },
    resolve: (_root, { id }, { apiKeys, principal }) => apiKeys.revoke(principal, String(id)),
  }),
}));
