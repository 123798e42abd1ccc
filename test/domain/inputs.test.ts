import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../../src/domain/errors.js';
import {
  addMessageInput,
  cacheKey,
  createArtifactInput,
  createSessionInput,
  LIMITS,
  metricFilter,
  newMessagesInput,
  parseInput,
  recordMetricInput,
  recordMetricsInput,
  sessionFilter,
  setCacheInput,
  setStateInput,
  updateSessionInput,
} from '../../src/domain/inputs.js';
import type { Json } from '../../src/domain/json.js';

/** The issues `parseInput` reports for an input it refuses. */
function issuesOf(schema: z.ZodType, value: unknown): FieldIssue[] {
  try {
    parseInput(schema, value);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('BAD_USER_INPUT');
    return (error as ValidationError).issues;
  }
  return expect.fail(`accepted ${JSON.stringify(value)}`);
}
const paths = (issues: FieldIssue[]) => issues.map((i) => i.path);

/** `depth` nested containers around a scalar. */
function nested(depth: number, kind: 'array' | 'object' = 'array'): Json {
  let value: Json = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { k: value };
  return value;
}

const LONE_HIGH = 'abc\ud800def';
const LONE_LOW = '\udc00';

describe('parseInput', () => {
  it('returns the parsed value with defaults applied', () => {
    expect(parseInput(createSessionInput, { agentName: 'planner' })).toEqual({ agentName: 'planner', userId: null, status: 'active', metadata: {} });
    expect(parseInput(createSessionInput, { agentName: 'p', userId: 'u', status: 'ended', metadata: { a: [1] } })).toEqual({
      agentName: 'p',
      userId: 'u',
      status: 'ended',
      metadata: { a: [1] },
    });
    // null counts as absent
    expect(parseInput(createSessionInput, { agentName: 'p', userId: null, status: null, metadata: null })).toEqual({
      agentName: 'p',
      userId: null,
      status: 'active',
      metadata: {},
    });
  });

  it('reports a missing required field as "field required" at its path', () => {
    expect(issuesOf(createSessionInput, {})).toEqual([{ path: ['agentName'], message: 'field required' }]);
    expect(issuesOf(addMessageInput, { sessionId: 's' })).toEqual([
      { path: ['role'], message: 'field required' },
      { path: ['content'], message: 'is required unless an item is given' },
    ]);
    expect(parseInput(addMessageInput, { sessionId: 's', role: 'tool', item: { type: 'function_call_output', output: 'ok' } })).toMatchObject({ item: { output: 'ok' } });
    expect(paths(issuesOf(createArtifactInput, { sessionId: 's' }))).toEqual([['name'], ['type'], ['path'], ['size']]);
    expect(paths(issuesOf(recordMetricInput, {}))).toEqual([['entityType'], ['entityName'], ['metricName'], ['value']]);
    expect(paths(issuesOf(setStateInput, {}))).toEqual([['data']]);
    expect(paths(issuesOf(setCacheInput, {}))).toEqual([['value']]);
  });

  it('reports a present value of the wrong type as a type error, not as "field required"', () => {
    const [issue] = issuesOf(createSessionInput, { agentName: 5 });
    expect(issue!.path).toEqual(['agentName']);
    expect(issue!.message).not.toBe('field required');
    expect(issue!.message).toMatch(/string/);
    const [size] = issuesOf(createArtifactInput, { sessionId: 's', name: 'n', type: 't', path: '/p', size: '12' });
    expect(size).toMatchObject({ path: ['size'] });
    expect(size!.message).not.toBe('field required');
    const [nul] = issuesOf(createSessionInput, { agentName: null });
    expect(nul!.message).not.toBe('field required');
  });

  it('names the position of an item in a list', () => {
    const issues = issuesOf(newMessagesInput, [
      { role: 'user', content: 'ok' },
      { role: 'robot', content: 'x' },
      { role: 'user' },
    ]);
    // A missing content is reported once every message has a valid shape (a batch's own rules follow its items').
    expect(paths(issues)).toEqual([[1, 'role']]);
    const content = issuesOf(newMessagesInput, [{ role: 'user', content: 'ok' }, { role: 'user' }, { role: 'tool', item: { output: 'ok' } }]);
    expect(content).toEqual([{ path: [1, 'content'], message: 'is required unless an item is given' }]);
    const metrics = issuesOf(recordMetricsInput, [{ entityType: 'a', entityName: 'b', metricName: 'm', value: 1, timestamp: 'soon' }]);
    expect(paths(metrics)).toEqual([[0, 'timestamp']]);
  });

  it('puts the field path into the ValidationError message', () => {
    expect(() => parseInput(createSessionInput, { agentName: 'p', status: 'sleeping' })).toThrow(/^status: /);
  });
});

describe('input schemas', () => {
  it('refuses unknown enum values', () => {
    expect(paths(issuesOf(createSessionInput, { agentName: 'p', status: 'sleeping' }))).toEqual([['status']]);
    expect(paths(issuesOf(createSessionInput, { agentName: 'p', status: 'ACTIVE' }))).toEqual([['status']]);
    expect(paths(issuesOf(updateSessionInput, { status: '' }))).toEqual([['status']]);
    expect(paths(issuesOf(sessionFilter, { status: 'done' }))).toEqual([['status']]);
    expect(paths(issuesOf(addMessageInput, { sessionId: 's', role: 'bot', content: 'x' }))).toEqual([['role']]);
    for (const role of ['user', 'assistant', 'system', 'tool']) {
      expect(parseInput(addMessageInput, { sessionId: 's', role, content: '' }).role).toBe(role);
    }
  });

  it('bounds short texts: not empty, at most 256 characters', () => {
    expect(issuesOf(createSessionInput, { agentName: '' })).toEqual([{ path: ['agentName'], message: 'must not be empty' }]);
    expect(parseInput(createSessionInput, { agentName: 'x'.repeat(LIMITS.shortText) }).agentName).toHaveLength(256);
    expect(paths(issuesOf(createSessionInput, { agentName: 'x'.repeat(LIMITS.shortText + 1) }))).toEqual([['agentName']]);
    expect(paths(issuesOf(cacheKey, 'k'.repeat(LIMITS.cacheKey + 1)))).toEqual([[]]);
    expect(parseInput(cacheKey, 'k'.repeat(LIMITS.cacheKey))).toHaveLength(LIMITS.cacheKey);
  });

  it('counts characters as Unicode code points, as docs/limits.md says: an emoji is one', () => {
    expect(parseInput(createSessionInput, { agentName: '😀'.repeat(LIMITS.shortText) }).agentName).toHaveLength(2 * LIMITS.shortText);
    expect(paths(issuesOf(createSessionInput, { agentName: '😀'.repeat(LIMITS.shortText + 1) }))).toEqual([['agentName']]);
    // A combining accent is a code point of its own.
    expect(paths(issuesOf(createSessionInput, { agentName: 'e\u0301'.repeat(LIMITS.shortText / 2 + 1) }))).toEqual([['agentName']]);
  });

  it('refuses lone surrogates in text, which no UTF-8 database can store', () => {
    expect(issuesOf(addMessageInput, { sessionId: 's', role: 'user', content: LONE_HIGH })).toEqual([
      { path: ['content'], message: 'must be valid Unicode text (no lone surrogates)' },
    ]);
    expect(paths(issuesOf(addMessageInput, { sessionId: 's', role: 'user', content: LONE_LOW }))).toEqual([['content']]);
    expect(paths(issuesOf(createSessionInput, { agentName: LONE_HIGH }))).toEqual([['agentName']]);
    expect(paths(issuesOf(createArtifactInput, { sessionId: 's', name: 'n', type: 't', path: LONE_LOW, size: 1 }))).toEqual([['path']]);
    expect(paths(issuesOf(cacheKey, LONE_HIGH))).toEqual([[]]);
    // proper pairs are fine
    const content = 'emoji 😀 (a surrogate pair), RTL مرحبا, NUL \u0000 in free text';
    expect(parseInput(addMessageInput, { sessionId: 's', role: 'user', content }).content).toBe(content);
  });

  it('artifact size is a whole, non-negative, safe number', () => {
    const base = { sessionId: 's', name: 'n', type: 't', path: '/p' };
    expect(parseInput(createArtifactInput, { ...base, size: 0 }).size).toBe(0);
    expect(parseInput(createArtifactInput, { ...base, size: Number.MAX_SAFE_INTEGER }).size).toBe(Number.MAX_SAFE_INTEGER);
    for (const size of [-1, -0.5, 1.5, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Number.POSITIVE_INFINITY, '1', null]) {
      // (2^53 + 1 breaks two rules at once: both are reported, at the same path)
      expect(new Set(paths(issuesOf(createArtifactInput, { ...base, size })).map((p) => p.join('.'))), String(size)).toEqual(new Set(['size']));
    }
  });

  it('cache ttl is a whole number of seconds from 1 to ten years, or absent', () => {
    expect(parseInput(setCacheInput, { value: 1 })).toEqual({ value: 1, ttl: null });
    expect(parseInput(setCacheInput, { value: 1, ttl: null })).toEqual({ value: 1, ttl: null });
    expect(parseInput(setCacheInput, { value: 1, ttl: 1 })).toEqual({ value: 1, ttl: 1 });
    expect(parseInput(setCacheInput, { value: 1, ttl: LIMITS.ttlSeconds }).ttl).toBe(LIMITS.ttlSeconds);
    for (const ttl of [0, -0, -1, -3600, 0.5, 1.5, LIMITS.ttlSeconds + 1, Number.POSITIVE_INFINITY, Number.NaN, '60']) {
      expect(paths(issuesOf(setCacheInput, { value: 1, ttl })), String(ttl)).toEqual([['ttl']]);
    }
    // JSON null is a value, distinct from a missing value
    expect(parseInput(setCacheInput, { value: null })).toEqual({ value: null, ttl: null });
  });

  it('metric values must be finite numbers; timestamps are normalised to UTC', () => {
    const base = { entityType: 'agent', entityName: 'a', metricName: 'm' };
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1', null]) {
      expect(paths(issuesOf(recordMetricInput, { ...base, value })), String(value)).toEqual([['value']]);
    }
    expect(parseInput(recordMetricInput, { ...base, value: -1.5e-300, timestamp: '2025-01-01T02:00:00+02:00' })).toEqual({
      ...base,
      value: -1.5e-300,
      sessionId: null,
      timestamp: '2025-01-01T00:00:00.000Z',
      labels: {},
    });
    expect(parseInput(metricFilter, { since: '2025-01-01', until: '2025-01-02T00:00:00-01:00' })).toEqual({
      since: '2025-01-01T00:00:00.000Z',
      until: '2025-01-02T01:00:00.000Z',
    });
    expect(paths(issuesOf(metricFilter, { since: '2025-02-30' }))).toEqual([['since']]);
    expect(paths(issuesOf(recordMetricsInput, []))).toEqual([[]]);
    expect(paths(issuesOf(recordMetricsInput, Array.from({ length: LIMITS.batch + 1 }, () => ({ ...base, value: 1 }))))).toEqual([[]]);
  });

  it('message batches hold 1 to 1000 messages', () => {
    const one = { role: 'user', content: 'x' };
    expect(paths(issuesOf(newMessagesInput, []))).toEqual([[]]);
    expect(parseInput(newMessagesInput, Array.from({ length: LIMITS.batch }, () => one))).toHaveLength(LIMITS.batch);
    expect(paths(issuesOf(newMessagesInput, Array.from({ length: LIMITS.batch + 1 }, () => one)))).toEqual([[]]);
  });

  describe('JSON fields', () => {
    it('accept nesting up to 64 levels and refuse 65', () => {
      expect(parseInput(setStateInput, { data: nested(64) }).data).toEqual(nested(64));
      expect(parseInput(setStateInput, { data: nested(64, 'object') }).data).toEqual(nested(64, 'object'));
      expect(issuesOf(setStateInput, { data: nested(65) })).toEqual([{ path: ['data'], message: 'JSON nesting must not exceed 64 levels' }]);
      expect(paths(issuesOf(setStateInput, { data: nested(65, 'object') }))).toEqual([['data']]);
      // the object holding a metadata field is level 1
      expect(parseInput(createSessionInput, { agentName: 'p', metadata: { k: nested(63) } }).metadata).toEqual({ k: nested(63) });
      expect(paths(issuesOf(createSessionInput, { agentName: 'p', metadata: { k: nested(64) } }))).toEqual([['metadata']]);
      expect(paths(issuesOf(setCacheInput, { value: [nested(64)] }))).toEqual([['value']]);
      // empty containers are levels too: 65 brackets deep is 65 levels
      expect(parseInput(setStateInput, { data: JSON.parse(`${'['.repeat(64)}${']'.repeat(64)}`) }).data).toBeDefined();
      expect(paths(issuesOf(setStateInput, { data: JSON.parse(`${'['.repeat(65)}${']'.repeat(65)}`) }))).toEqual([['data']]);
      expect(paths(issuesOf(createSessionInput, { agentName: 'p', metadata: JSON.parse(`${'{"a":'.repeat(64)}{}${'}'.repeat(64)}`) }))).toEqual([
        ['metadata'],
      ]);
    });

    it('refuse absurdly deep JSON with a ValidationError, not a stack overflow', () => {
      // Cheap to send: 100 000 levels are 200 KB of brackets.
      const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as Json;
      expect(paths(issuesOf(setStateInput, { data: deep }))).toEqual([['data']]);
      const deepObject = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as Json;
      expect(paths(issuesOf(createSessionInput, { agentName: 'p', metadata: deepObject }))).toEqual([['metadata']]);
    });

    it('refuse non-finite numbers and values that are not JSON', () => {
      for (const data of [
        Number.NaN,
        Number.POSITIVE_INFINITY,
        [1, Number.NEGATIVE_INFINITY],
        { a: { b: Number.NaN } },
        undefined,
        { a: undefined },
        () => 1,
        10n,
        Symbol('s'),
        new Date(0),
        new Map(),
        /re/,
        [new Uint8Array(1)],
      ]) {
        expect(paths(issuesOf(setStateInput, { data })), String(data)).toEqual([['data']]);
      }
    });

    it('metadata, labels and state must be objects where an object is expected', () => {
      for (const metadata of [[], 'text', 1, true]) {
        expect(paths(issuesOf(createSessionInput, { agentName: 'p', metadata })), JSON.stringify(metadata)).toEqual([['metadata']]);
      }
      expect(paths(issuesOf(recordMetricInput, { entityType: 'a', entityName: 'b', metricName: 'm', value: 1, labels: [1] }))).toEqual([['labels']]);
      // any JSON value is a valid state, including null and scalars
      for (const data of [null, 0, -1, 'text', '', true, [], {}, Object.create(null) as Json]) {
        expect(parseInput(setStateInput, { data }).data).toEqual(data);
      }
    });
  });
});
