import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInput } from '../../src/domain/inputs.js';
import { ValidationError } from '../../src/domain/errors.js';
import { queryInt } from '../../src/rest/routes.js';

/** What parsing `raw` gives: the number, or the one message it is refused with. */
function parse(min: number, max: number, raw: string): number | string {
  try {
    return parseInput(queryInt(min, max), raw);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    expect(error.issues).toHaveLength(1);
    return error.issues[0]!.message;
  }
}

describe('queryInt (limit, offset, after_seq)', () => {
  it('says what range a whole number must be in, negative ones included (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.constantFrom(0, 1), (n, min) => {
        const max = 1000;
        const result = parse(min, max, n.toString());
        if (n < BigInt(min)) expect(result).toBe(min === 0 ? 'must not be negative' : `must be at least ${min}`);
        else if (n > BigInt(max)) expect(result).toBe(`must be at most ${max}`);
        else expect(result).toBe(Number(n));
      }),
      { examples: [[-1n, 1], [0n, 1], [-1n, 0], [-(10n ** 30n), 1]] },
    );
  });

  it('refuses what is not a whole number as such (property)', () => {
    const notWhole = fc.string().filter((s) => !/^-?\d+$/.test(s));
    fc.assert(
      fc.property(notWhole, (raw) => {
        expect(parse(1, 1000, raw)).toBe('must be a whole number');
      }),
      { examples: [['1.5'], ['abc'], [''], ['+1'], [' 1'], ['1e3'], ['--1'], ['-']] },
    );
  });

  it('reads "-0" and leading zeros as the number they write', () => {
    expect(Object.is(parse(0, 10, '-0'), 0)).toBe(true);
    expect(parse(0, 10, '007')).toBe(7);
    expect(parse(1, 10, '-0')).toBe('must be at least 1');
  });
});
