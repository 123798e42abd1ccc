import type { CacheEntry as CacheEntryRecord } from '../../domain/records.js';
import { builder } from '../../graphql/builder.js';
import { nullIfNotFound } from '../../graphql/errors.js';
import { parsed } from '../../graphql/validation.js';
import { cacheKey, setCacheInput } from './service.js';

// The cache's GraphQL type and root fields: each resolver parses its arguments and calls one
// operation of the tenant's cache service (`storage.cache`).

export const CacheEntry = builder.objectRef<CacheEntryRecord>('CacheEntry');

CacheEntry.implement({
  description: 'A JSON value under a key, optionally expiring.',
  fields: (t) => ({
    key: t.exposeString('key'),
    // Nullable: JSON null is a value the REST door can store.
    value: t.expose('value', { type: 'JSON', nullable: true }),
    ttl: t.expose('ttl', { type: 'PositiveInt', nullable: true, description: 'Seconds from createdAt to expiry; null: never expires.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    accessedAt: t.expose('accessedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
  }),
});

const setCacheEntryArgs = setCacheInput.extend({ key: cacheKey });

builder.queryFields((t) => ({
  cacheEntry: t.field({
    type: CacheEntry,
    nullable: true,
    description: 'Reads an entry and moves its accessedAt. An expired entry reads as null (and is deleted).',
    args: { key: t.arg.string({ required: true, validate: { schema: cacheKey } }) },
    resolve: (_root, { key }, { storage }) => nullIfNotFound(storage.cache.get(key)),
  }),
}));

builder.mutationFields((t) => ({
  setCacheEntry: t.field({
    type: CacheEntry,
    description: 'Sets (or replaces) an entry. Without ttl it never expires.',
    args: {
      key: t.arg.string({ required: true }),
      value: t.arg({ type: 'JSON', required: true }),
      ttl: t.arg.int({ description: 'Seconds until expiry, at least 1.' }),
    },
    validate: { schema: setCacheEntryArgs },
    resolve: (_root, args, { storage }) => {
      const { key, ...input } = parsed(setCacheEntryArgs, args);
      return storage.cache.set(key, input);
    },
  }),
  deleteCacheEntry: t.string({
    description: 'Deletes an entry; returns its key.',
    args: { key: t.arg.string({ required: true, validate: { schema: cacheKey } }) },
    resolve: async (_root, { key }, { storage }) => {
      await storage.cache.delete(key);
      return key;
    },
  }),
  cleanupCache: t.field({
    type: 'NonNegativeInt',
    description: 'Deletes every expired entry; returns how many.',
    resolve: (_root, _args, { storage }) => storage.cache.cleanup(),
  }),
}));
