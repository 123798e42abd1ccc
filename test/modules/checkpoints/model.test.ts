import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors.js';
import { parseInput } from '../../../src/domain/inputs.js';
import { base64Bytes, channelVersion, versionText } from '../../../src/modules/checkpoints/model.js';

const decode = (text: string): Buffer | string => {
  try {
    return parseInput(base64Bytes, text);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.issues[0]!.message;
  }
};

describe('checkpoint inputs', () => {
  it('base64: every encoding of bytes decodes to exactly those bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const decoded = decode(Buffer.from(bytes).toString('base64'));
        expect(Buffer.isBuffer(decoded) && decoded.equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('base64: anything that is not a canonical-length standard encoding is refused, never decoded loosely (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        const decoded = decode(text);
        if (Buffer.isBuffer(decoded)) {
          // Accepted only when it is what the encoder writes for those bytes.
          expect(decoded.toString('base64')).toBe(text);
        } else {
          expect(decoded).toMatch(/^must be standard base64/);
        }
      }),
      { examples: [['e30'], ['e30=='], ['====='], ['ab-_'], [' e30='], ['e3\n0=']] },
    );
  });

  it('channel versions keep their JSON type; their stored text is what both databases read back', () => {
    expect(parseInput(channelVersion, 3)).toBe(3);
    expect(parseInput(channelVersion, '3')).toBe('3');
    expect(versionText(3)).toBe('3');
    expect(versionText(2.5)).toBe('2.5');
    expect(() => parseInput(channelVersion, true)).toThrow(ValidationError);
    // Stored as text: PostgreSQL's text cannot hold NUL, so no version may carry one.
    expect(() => parseInput(channelVersion, 'v\u0000')).toThrow(ValidationError);
  });
});
