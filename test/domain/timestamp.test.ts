import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp, timestamp } from '../../src/domain/inputs.js';

const MIN = Date.parse('0001-01-01T00:00:00.000Z');
const MAX = Date.parse('9999-12-31T23:59:59.999Z');
const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
/** Days in a month of a proleptic Gregorian year (setUTCFullYear, unlike Date.UTC, keeps years below 100). */
function daysIn(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/** `±hh:mm` (or `±hhmm`) for an offset in minutes east of UTC. */
function offsetText(minutes: number, colon = true): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.trunc(Math.abs(minutes) / 60))}${colon ? ':' : ''}${pad(Math.abs(minutes) % 60)}`;
}

describe('parseTimestamp', () => {
  it.each([
    ['2025-01-31T12:00:00Z', '2025-01-31T12:00:00.000Z'],
    ['2025-01-31t12:00:00z', '2025-01-31T12:00:00.000Z'],
    ['2025-01-31 12:00:00Z', '2025-01-31T12:00:00.000Z'],
    ['2025-01-31T12:00:00', '2025-01-31T12:00:00.000Z'], // no offset: UTC, as the Python clients send
    ['2025-01-31T12:00', '2025-01-31T12:00:00.000Z'],
    ['2025-01-31', '2025-01-31T00:00:00.000Z'],
    ['2025-01-31T12:00:00+02:00', '2025-01-31T10:00:00.000Z'],
    ['2025-01-31T12:00:00-05:30', '2025-01-31T17:30:00.000Z'],
    ['2025-01-31T12:00:00+0200', '2025-01-31T10:00:00.000Z'],
    ['2025-01-31T12:00:00-0530', '2025-01-31T17:30:00.000Z'],
    ['2025-01-31T12:00:00+00:00', '2025-01-31T12:00:00.000Z'],
    ['2025-01-01T01:00:00+02:00', '2024-12-31T23:00:00.000Z'], // crosses into the previous year
    ['2025-12-31T23:30:00-01:00', '2026-01-01T00:30:00.000Z'],
    ['2025-01-31T12:00:00.5Z', '2025-01-31T12:00:00.500Z'],
    ['2025-01-31T12:00:00.12Z', '2025-01-31T12:00:00.120Z'],
    ['2025-01-31T12:00:00.123Z', '2025-01-31T12:00:00.123Z'],
    ['2025-01-31T12:00:00.123456Z', '2025-01-31T12:00:00.123Z'], // Python's microseconds
    ['2025-01-31T12:00:00.123456789+01:00', '2025-01-31T11:00:00.123Z'],
    ['2025-01-31T12:00:00.999999999', '2025-01-31T12:00:00.999Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['2000-02-29', '2000-02-29T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['0050-06-15T00:00:00Z', '0050-06-15T00:00:00.000Z'], // two-digit years are not shifted to 19xx
  ])('accepts %s as %s', (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
    expect(timestamp.parse(input)).toBe(expected);
  });

  it.each([
    [''],
    ['garbage'],
    ['yesterday'],
    ['1735689600'],
    ['2025'],
    ['2025-01'],
    ['2025-1-1'],
    ['20250131'],
    ['2025-01-31T'],
    ['2025-01-31T12'],
    ['2025-01-31T12:00:00.Z'],
    ['2025-01-31T12:00:00.1234567890Z'], // more than 9 fraction digits
    ['2025-01-31T12:00:00 Z'],
    ['2025-01-31T12:00:00+2'],
    ['2025-01-31T12:00:00+02:00Z'],
    ['2025-01-31T12:00:00EST'],
    ['2025-13-01'],
    ['2025-00-10'],
    ['2025-01-00'],
    ['2025-01-32'],
    ['2025-02-29'],
    ['1900-02-29'],
    ['2025-02-30'],
    ['2025-04-31T00:00:00Z'],
    ['2025-01-31T25:00:00Z'],
    ['2025-01-31T24:00:00Z'],
    ['2025-01-31T12:60:00Z'],
    ['2025-01-31T12:00:61Z'],
    ['2025-01-31T12:00:00+24:00'],
    ['0000-01-01T00:00:00Z'],
    ['0000-12-31'],
    ['10000-01-01T00:00:00Z'],
    ['+010000-01-01T00:00:00.000Z'],
    ['-000001-01-01T00:00:00.000Z'],
    ['0001-01-01T00:30:00+01:00'], // year 0 in UTC
    ['9999-12-31T23:30:00-01:00'], // year 10000 in UTC
  ])('rejects %j', (input) => {
    expect(parseTimestamp(input)).toBeNull();
    expect(timestamp.safeParse(input).success).toBe(false);
  });

  // Calendar overflow must be refused whatever the offset: Date would roll February 30th into March.
  it.each([
    ['2025-02-30T10:00:00+01:00'],
    ['2025-02-30T00:00:00+00:00'],
    ['2025-02-29T12:00:00-05:00'],
    ['2025-04-31T00:00:00-0500'],
    ['2025-06-31T12:00:00+0930'],
    ['2025-01-31T24:00:00+00:00'],
  ])('rejects the impossible local date-time %j even with an offset', (input) => {
    expect(parseTimestamp(input)).toBeNull();
  });

  it('gives back Date#toISOString unchanged for any date in years 1..9999 (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(MIN), max: new Date(MAX), noInvalidDate: true }), (date) => {
        expect(parseTimestamp(date.toISOString())).toBe(date.toISOString());
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a local time with any offset as the same instant (property)', () => {
    const day = 24 * 3600 * 1000;
    fc.assert(
      fc.property(
        fc.date({ min: new Date(MIN + day), max: new Date(MAX - day), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        fc.boolean(),
        (instant, offset, colon) => {
          const local = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 23); // wall clock at that offset
          expect(parseTimestamp(`${local}${offsetText(offset, colon)}`)).toBe(instant.toISOString());
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses a day beyond the end of its month, with or without an offset (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 29, max: 31 }),
        fc.option(fc.integer({ min: -14 * 60, max: 14 * 60 }), { nil: undefined }),
        fc.integer({ min: 0, max: 23 }),
        (year, month, day, offset, hour) => {
          fc.pre(day > daysIn(year, month));
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:00:00${offset === undefined ? '' : offsetText(offset)}`;
          expect(parseTimestamp(text)).toBeNull();
        },
      ),
      { numRuns: 1000 },
    );
  });
});
