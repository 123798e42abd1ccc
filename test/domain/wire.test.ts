import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/domain/json.js';
import { artifactRecord, messageRecord, sessionRecord } from '../../src/domain/records.js';
import { camelToSnake, snakeToCamel, wireCodec } from '../../src/domain/wire.js';

describe('the wire codec', () => {
  const sessions = wireCodec(sessionRecord);
  const restMessages = wireCodec(messageRecord, { omit: ['idempotencyKey'] });
  const session = {
    id: 'session_1', agentName: 'a', userId: null, status: 'active' as const, createdAt: 't0', updatedAt: 't1',
    metadata: { k: [1] }, parentId: null, forkedFromMessageId: null, expiresAt: null,
  };

  it('writes every field in snake_case, in the schema’s order', () => {
    expect(JSON.stringify(sessions.toWire(session))).toBe(
      '{"id":"session_1","agent_name":"a","user_id":null,"status":"active","created_at":"t0","updated_at":"t1","metadata":{"k":[1]},"parent_id":null,"forked_from_message_id":null,"expires_at":null}',
    );
  });

  it('leaves omitted fields off the wire', () => {
    const m = { id: 'msg_1', sessionId: 's', seq: 1, role: 'user' as const, content: 'hi', item: null, timestamp: 't', metadata: {}, idempotencyKey: 'k', tokenCount: null };
    expect(Object.keys(restMessages.toWire(m))).toEqual(['id', 'session_id', 'seq', 'role', 'content', 'item', 'timestamp', 'metadata', 'token_count']);
  });

  it('names every field of a record once, and the names map back to its fields', () => {
    const artifacts = wireCodec(artifactRecord);
    expect(artifacts.fields.map(([name]) => name)).toEqual(['id', 'session_id', 'name', 'type', 'path', 'size', 'created_at', 'metadata']);
    const artifact = fc.record({
      id: fc.string(), sessionId: fc.string(), name: fc.string(), type: fc.string(), path: fc.string(),
      size: fc.nat(), createdAt: fc.string(), metadata: fc.dictionary(fc.string(), fc.jsonValue()) as fc.Arbitrary<JsonObject>,
    });
    fc.assert(
      fc.property(artifact, (a) => {
        const wire = artifacts.toWire(a);
        expect(Object.fromEntries(Object.entries(wire).map(([name, value]) => [snakeToCamel(name), value]))).toEqual(a);
      }),
    );
  });

  it('maps names both ways', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z][a-z0-9]*([A-Z][a-z0-9]+)*$/), (name) => {
      expect(snakeToCamel(camelToSnake(name))).toBe(name);
    }));
  });
});
