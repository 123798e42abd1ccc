import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors.js';
import { LIMITS, METRIC_BUCKETS, METRIC_STATS, metricBucket, metricGroupBy, metricStats, parseInput } from '../../../src/domain/inputs.js';

/** What parsing gives: the value, or the messages it is refused with. */
function parse<T>(schema: Parameters<typeof parseInput>[0], value: unknown): T | { refused: string[] } {
  try {
    return parseInput(schema, value) as T;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { refused: error.issues.map((i) => i.message) };
  }
}

const BUCKET_MESSAGE = `must be 1m, 5m, 1h, 1d or a whole number of seconds from 1 to ${LIMITS.ttlSeconds}`;

describe('metric aggregate inputs', () => {
  it('bucket: the four names, or whole seconds from 1 to ten years; nothing else (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: LIMITS.ttlSeconds }), (n) => {
        expect(parse(metricBucket, String(n))).toBe(n);
        expect(parse(metricBucket, n)).toBe(n);
      }),
    );
    for (const [name, seconds] of Object.entries(METRIC_BUCKETS)) expect(parse(metricBucket, name)).toBe(seconds);
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\s*\d+\s*$/.test(s) && !Object.hasOwn(METRIC_BUCKETS, s.trim())),
        (raw) => {
          expect(parse(metricBucket, raw)).toEqual({ refused: [BUCKET_MESSAGE] });
        },
      ),
      { examples: [['2h'], ['1.5'], ['-60'], ['toString'], ['1 h'], ['']] },
    );
    for (const bad of ['0', String(LIMITS.ttlSeconds + 1), '99999999999999999999', 0, 1.5, -1]) {
      expect(parse(metricBucket, bad), String(bad)).toEqual({ refused: [BUCKET_MESSAGE] });
    }
  });

  it('stats: any known ones, repeated or in any order, come out once each in the canonical order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...METRIC_STATS), { minLength: 1 }), fc.boolean(), (stats, asText) => {
        const out = parse<string[]>(metricStats, asText ? stats.join(',') : stats);
        expect(out).toEqual(METRIC_STATS.filter((s) => stats.includes(s)));
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...METRIC_STATS)), fc.string().filter((s) => !s.includes(',') && !(METRIC_STATS as readonly string[]).includes(s.trim())), (known, unknown) => {
        const out = parse(metricStats, [...known, unknown].join(','));
        expect(out).toEqual({ refused: [expect.stringContaining(`unknown statistic ${JSON.stringify(unknown.trim())}`)] });
      }),
    );
  });

  it('group_by: columns in table order, labels in the order asked, at most three of them', () => {
    expect(parse(metricGroupBy, 'session,label:b,entity,label:a,metric_name')).toEqual({
      columns: ['entity_type', 'entity_name', 'metric_name', 'session_id'],
      labels: ['b', 'a'],
    });
    expect(parse(metricGroupBy, ['entity_name', 'entity', 'label:x.y', 'label:$z'])).toEqual({ columns: ['entity_type', 'entity_name'], labels: ['x.y', '$z'] });
    expect(parse(metricGroupBy, 'label:a,label:b,label:c,label:d')).toEqual({ refused: ['at most 3 label keys'] });
    expect(parse(metricGroupBy, 'label:')).toEqual({ refused: ['"label:": the label key must not be empty'] });
    expect(parse(metricGroupBy, 'label:a\\b')).toEqual({ refused: ['"label:a\\\\b": the label key must not contain " or \\'] });
    expect(parse(metricGroupBy, 'toString')).toEqual({ refused: [expect.stringContaining('unknown grouping "toString"')] });
  });
});
