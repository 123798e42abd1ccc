import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
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
    const m = { id: 'msg_1', sessionId: 's', seq: 1, role: 'user' as const, content: 'hi', timestamp: 't', metadata: {}, idempotencyKey: 'k' };
    expect(Object.keys(restMessages.toWire(m))).toEqual(['id', 'session_id', 'seq', 'role', 'content', 'timestamp', 'metadata']);
  });

  it('reads back what it writes, and refuses a wire object that is not the record', () => {
    expect(sessions.fromWire(sessions.toWire(session))).toEqual(session);
    expect(() => sessions.fromWire({ ...sessions.toWire(session), status: 'gone' })).toThrow(ZodError);
    expect(() => sessions.fromWire({ id: 'x' })).toThrow(ZodError);
    expect(() => sessions.fromWire([])).toThrow(ZodError);
    // camelCase names are not wire names: they are not read.
    expect(() => sessions.fromWire({ ...sessions.toWire(session), agent_name: undefined, agentName: 'a' })).toThrow(ZodError);
  });

  it('round-trips any artifact', () => {
    const artifacts = wireCodec(artifactRecord);
    const artifact = fc.record({
      id: fc.string(), sessionId: fc.string(), name: fc.string(), type: fc.string(), path: fc.string(),
      size: fc.nat(), createdAt: fc.string(), metadata: fc.dictionary(fc.string(), fc.jsonValue()) as fc.Arbitrary<JsonObject>,
    });
    fc.assert(fc.property(artifact, (a) => {
      expect(artifacts.fromWire(JSON.parse(JSON.stringify(artifacts.toWire(a))))).toEqual(JSON.parse(JSON.stringify(a)));
    }));
  });

  it('maps names both ways', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z][a-z0-9]*([A-Z][a-z0-9]+)*$/), (name) => {
      expect(snakeToCamel(camelToSnake(name))).toBe(name);
    }));
  });
});
