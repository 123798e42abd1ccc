import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedSha256 } from '../../../src/modules/artifacts/content-rest.js';
import { HttpError } from '../../../src/rest/http.js';

/**
 * `expectedSha256`: the sha256 a client says its upload has, from `Content-SHA256` (hex), `Digest`
 * (RFC 3230, base64) and `Content-Digest` / `Repr-Digest` (RFC 9530, `:base64:`), amid other
 * algorithms; malformed values and headers that disagree are a 422 naming the header.
 */

type Parsed = { sha256: string; header: string } | undefined | { status: number; loc: unknown; msg: string };

function parse(headers: Record<string, string>): Parsed {
  try {
    return expectedSha256(new Headers(headers));
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const [issue] = error.detail as { loc: unknown; msg: string }[];
    return { status: error.status, loc: issue!.loc, msg: issue!.msg };
  }
}

const hashArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b));
const hexOf = (h: Buffer) => h.toString('hex');
/** Base64, padded or not. */
const b64Arb = (h: Buffer) => fc.boolean().map((padded) => (padded ? h.toString('base64') : h.toString('base64').replace(/=+$/, '')));
const randomCase = (text: string) => fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((up) => [...text].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));
const spaceArb = fc.constantFrom('', ' ', '  ', '\t');
/** Members of another algorithm, which are ignored. */
const otherDigest = fc.constantFrom('md5=HUXZLQLMuI/KZ5KDcJPcOA==', 'sha-512=AAAA', 'SHA=2jmj7l5rSw0yVb/vlWAYkK/YBwk=', 'unixsum=30637');
const otherStructured = fc.constantFrom('sha-512=:AAAA:', 'md5=:HUXZLQLMuI/KZ5KDcJPcOA==:', 'crc32c=:AAAAAA==:');

/** A list of `member` among others, in any position. */
const listWith = (member: string, others: fc.Arbitrary<string>) =>
  fc.tuple(fc.array(others, { maxLength: 3 }), fc.nat(3), spaceArb).map(([rest, at, space]) => {
    const members = [...rest];
    members.splice(at % (members.length + 1), 0, member);
    return members.join(`,${space}`);
  });

describe('expectedSha256 (integrity headers of an upload)', () => {
  it('reads the hash from each header form, whatever else the lists hold (property)', () => {
    fc.assert(
      fc.property(
        hashArb.chain((h) =>
          fc.tuple(
            fc.constant(h),
            fc.oneof(
              fc.tuple(randomCase(hexOf(h)), spaceArb).map(([hex, s]) => ['content-sha256', `${s}${hex}${s}`] as const),
              fc.tuple(b64Arb(h), randomCase('sha-256')).chain(([b64, alg]) => listWith(`${alg}=${b64}`, otherDigest).map((v) => ['digest', v] as const)),
              fc
                .tuple(b64Arb(h), randomCase('sha-256'), fc.constantFrom('content-digest', 'repr-digest'), spaceArb)
                .chain(([b64, alg, name, s]) => listWith(`${alg}${s}=${s}:${b64}:`, otherStructured).map((v) => [name, v] as const)),
            ),
          ),
        ),
        ([hash, [name, value]]) => {
          expect(parse({ [name]: value })).toEqual({ sha256: hexOf(hash), header: name });
        },
      ),
    );
  });

  it('several headers with the same hash agree (the first form names it); with different hashes they are refused (property)', () => {
    fc.assert(
      fc.property(hashArb, hashArb, fc.subarray(['content-sha256', 'digest', 'content-digest', 'repr-digest'] as const, { minLength: 2 }), fc.nat(), (a, b, names, pick) => {
        const form = (name: (typeof names)[number], h: Buffer) =>
          name === 'content-sha256' ? hexOf(h) : name === 'digest' ? `sha-256=${h.toString('base64')}` : `sha-256=:${h.toString('base64')}:`;
        expect(parse(Object.fromEntries(names.map((n) => [n, form(n, a)])))).toEqual({ sha256: hexOf(a), header: names[0] });
        if (a.equals(b)) return;
        const odd = 1 + (pick % (names.length - 1));
        const mixed = Object.fromEntries(names.map((n, i) => [n, form(n, i === odd ? b : a)]));
        const refused = parse(mixed) as { status: number; loc: unknown; msg: string };
        expect(refused.status).toBe(422);
        expect(refused.msg).toMatch(/^disagrees with /);
      }),
    );
  });

  it('a Content-SHA256 that is not 64 hex digits is refused, naming the header (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }).filter((s) => !/^[0-9a-fA-F]{64}$/.test(s.trim())),
        (value) => {
          let headers: Headers;
          try {
            headers = new Headers({ 'content-sha256': value });
          } catch {
            return; // not a valid header value at all: fetch would not send it
          }
          expect(parse(Object.fromEntries(headers))).toEqual({ status: 422, loc: ['header', 'content-sha256'], msg: expect.stringMatching(/64 hexadecimal/) });
        },
      ),
      { examples: [[''], ['abc'], ['0'.repeat(63)], ['0'.repeat(65)], ['g'.repeat(64)]] },
    );
  });

  it('a sha-256 member that is not the base64 of 32 bytes is refused, naming the header (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 40 }).filter((b) => b.length !== 32).map((b) => Buffer.from(b).toString('base64')),
          fc.stringMatching(/^[A-Za-z0-9+/]{0,50}[!@#$%^&*.]+[A-Za-z0-9+/]{0,10}$/),
        ),
        fc.constantFrom('digest', 'content-digest', 'repr-digest'),
        (b64, name) => {
          const value = name === 'digest' ? `sha-256=${b64}` : `sha-256=:${b64}:`;
          expect(parse({ [name]: value })).toMatchObject({ status: 422, loc: ['header', name] });
        },
      ),
    );
    // RFC 9530 values are byte sequences: the colons are required.
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(parse({ 'content-digest': `sha-256=${b64}` })).toMatchObject({ status: 422, loc: ['header', 'content-digest'] });
  });

  it('no integrity header, or only other algorithms: no expectation', () => {
    expect(parse({})).toBeUndefined();
    expect(parse({ digest: 'md5=HUXZLQLMuI/KZ5KDcJPcOA==', 'content-digest': 'sha-512=:AAAA:', 'repr-digest': 'crc32c=:AAAAAA==:' })).toBeUndefined();
  });
});
