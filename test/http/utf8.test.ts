import { describe, expect, it } from 'vitest';
import { isPercentEncodedUtf8 } from '../../src/http/utf8.js';

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
