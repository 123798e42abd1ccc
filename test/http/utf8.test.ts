import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPercentEncodedUtf8, Utf8Stream } from '../../src/http/utf8.js';

/** Bytes that are often UTF-8 (text) and often nearly so (text with a byte changed or cut off). */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }).map((text) => new Uint8Array(Buffer.from(text))),
  fc
    .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), fc.nat(), fc.integer({ min: 0, max: 255 }))
    .map(([text, at, byte]) => {
      const out = new Uint8Array(Buffer.from(text));
      out[at % out.length] = byte;
      return out;
    }),
);

describe('Utf8Stream', () => {
  it('judges a body in pieces as it would the whole body, wherever the pieces are cut (property)', () => {
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 6 }), (body, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
        const stream = new Utf8Stream();
        let valid = true;
        let from = 0;
        for (const to of [...points, body.length]) {
          valid &&= stream.push(body.subarray(from, to));
          from = to;
        }
        valid &&= stream.end();
        expect(valid).toBe(isUtf8(body));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isPercentEncodedUtf8', () => {
  it('decodes percent escapes to bytes and checks those', () => {
    expect(isPercentEncodedUtf8('?a=%E2%82%AC&b=%F0%9F%98%80&c=plain+text')).toBe(true);
    expect(isPercentEncodedUtf8('?a=%e2%82%ac')).toBe(true);
    expect(isPercentEncodedUtf8('?a=%FF')).toBe(false);
    expect(isPercentEncodedUtf8('?a=%E2%82')).toBe(false);
    expect(isPercentEncodedUtf8('?a=%C0%AF')).toBe(false); // overlong
    expect(isPercentEncodedUtf8('?a=100%&b=%zz&c=%')).toBe(true); // not escapes: themselves
  });
});
