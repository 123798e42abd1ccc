import { readFileSync } from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';

describe('schema.graphql', () => {
  it('is the printed, sorted Pothos schema (run `npm run schema:print` when this fails)', () => {
    const file = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(file).toBe(`${printSchema(lexicographicSortSchema(schema))}\n`);
  });

  it('has no Relay Node interface or global-id root fields: ids are plain', () => {
    expect(schema.getType('Node')).toBeUndefined();
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(
      ['apiKeys', 'artifact', 'cacheEntry', 'message', 'metrics', 'session', 'sessions'].sort(),
    );
  });
});
