import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/domain/clock.js';
import { createIdGenerator, ID_PREFIXES, type IdKind } from '../../src/domain/ids.js';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const FORMAT = /^(session_|msg_|artifact_|metric_|key_)[0-9a-hjkmnp-tv-z]{26}$/;

/** A clock that returns whatever the test set last. */
function settableClock(start = Date.parse('2026-01-01T00:00:00.000Z')): Clock & { ms: number } {
  return {
    ms: start,
    now() {
      return this.ms;
    },
  };
}

/** The millisecond timestamp encoded in the first 10 characters after the prefix. */
function decodeTime(id: string): number {
  const body = id.slice(id.indexOf('_') + 1);
  let ms = 0;
  for (const ch of body.slice(0, 10)) ms = ms * 32 + CROCKFORD.indexOf(ch);
  return ms;
}

describe('createIdGenerator', () => {
  it('prefixes each kind and uses 26 lower-case Crockford base32 characters', () => {
    const ids = createIdGenerator(settableClock());
    const expected: Record<IdKind, string> = { session: 'session_', message: 'msg_', artifact: 'artifact_', metric: 'metric_', apiKey: 'key_' };
    expect(ID_PREFIXES).toEqual(expected);
    for (const kind of Object.keys(expected) as IdKind[]) {
      const id = ids.next(kind);
      expect(id.startsWith(expected[kind])).toBe(true);
      expect(id).toMatch(FORMAT);
      expect(id.length).toBe(expected[kind].length + 26);
    }
  });

  it('encodes the clock’s millisecond in the first 10 characters', () => {
    const clock = settableClock(0);
    const ids = createIdGenerator(clock);
    expect(ids.next('session').slice(8, 18)).toBe('0000000000');
    clock.ms = Date.parse('2026-01-01T00:00:00.000Z');
    const id = ids.next('session');
    expect(decodeTime(id)).toBe(clock.ms);
    // an independent encoding: JavaScript's base-32 digits (0-9a-v) translated to Crockford's
    const crockford = [...clock.ms.toString(32).padStart(10, '0')].map((d) => CROCKFORD[parseInt(d, 32)]).join('');
    expect(id.slice(8, 18)).toBe(crockford);
    clock.ms = 2 ** 48 - 1; // the largest 48-bit timestamp
    expect(ids.next('session').slice(8, 18)).toBe('7zzzzzzzzz');
  });

  it('makes 100 000 unique, strictly increasing ids within one millisecond', () => {
    const ids = createIdGenerator(settableClock());
    let previous = ids.next('message');
    const seen = new Set([previous]);
    for (let i = 1; i < 100_000; i++) {
      const id = ids.next('message');
      if (!(id > previous)) expect.fail(`id #${i} ${id} does not sort after ${previous}`);
      seen.add(id);
      previous = id;
    }
    expect(seen.size).toBe(100_000);
  });

  it('within one millisecond increments the random part by one, carrying over', () => {
    const ones = (size: number) => new Uint8Array(size).fill(0xff);
    const ids = createIdGenerator(settableClock(), ones);
    const first = ids.next('session').slice(-16);
    const second = ids.next('session').slice(-16);
    // the top random digit is drawn below 16 to leave room for increments
    expect(first).toBe(`f${'z'.repeat(15)}`);
    expect(second).toBe(`g${'0'.repeat(15)}`);

    const zeros = (size: number) => new Uint8Array(size);
    const z = createIdGenerator(settableClock(), zeros);
    const tails = Array.from({ length: 34 }, () => z.next('metric').slice(-2));
    expect(tails.slice(0, 3)).toEqual(['00', '01', '02']);
    expect(tails.slice(31, 34)).toEqual(['0z', '10', '11']);
  });

  it('draws new randomness only when the millisecond moves forward', () => {
    const clock = settableClock();
    let draws = 0;
    const random = (size: number) => {
      draws++;
      return new Uint8Array(size).fill(draws);
    };
    const ids = createIdGenerator(clock, random);
    ids.next('session');
    ids.next('session');
    expect(draws).toBe(1);
    clock.ms -= 5000; // clock steps back: keep counting from the last id
    ids.next('session');
    expect(draws).toBe(1);
    clock.ms += 10_000;
    ids.next('session');
    expect(draws).toBe(2);
  });

  it('stays unique and strictly increasing whatever the clock does, and never runs ahead of the latest time seen (property)', () => {
    const step = fc.record({
      ms: fc.oneof(fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_010 })),
      times: fc.integer({ min: 1, max: 30 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.constantFrom<IdKind>('session', 'message', 'artifact', 'metric'), (steps, kind) => {
        const clock = settableClock();
        const ids = createIdGenerator(clock);
        let previous = '';
        let latest = -1;
        for (const { ms, times } of steps) {
          clock.ms = ms;
          latest = Math.max(latest, ms);
          for (let i = 0; i < times; i++) {
            const id = ids.next(kind);
            expect(id).toMatch(FORMAT);
            expect(id > previous).toBe(true);
            // the time part is the latest clock reading so far (it never goes back, never jumps ahead)
            expect(decodeTime(id)).toBe(latest);
            previous = id;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('two generators on the same clock make different ids (random part)', () => {
    const clock = settableClock();
    const a = createIdGenerator(clock);
    const b = createIdGenerator(clock);
    expect(a.next('session')).not.toBe(b.next('session'));
  });
});
