import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashedBatches, hashedPieces } from '../../../src/modules/blobs/bytes.js';

/**
 * `hashedPieces`, which every upload goes through (both byte stores): however the request's body
 * arrives — one chunk, many, empty ones, in buffers the source reuses — the pieces are the same
 * (each `size` bytes but the last), their bytes are the input's, and the hash and size are the
 * input's; past the limit it stops at the first chunk over, with the limit's own error.
 */

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

class TooLarge extends Error {}
const limit = (maxBytes: number) => ({ maxBytes, tooLarge: () => new TooLarge(`over ${maxBytes}`) });

/** `input` cut at `cuts` (positions, any order, repeats: empty chunks), as an async source. */
function chunksOf(input: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [0, ...cuts.map((c) => c % (input.byteLength + 1)).sort((a, b) => a - b), input.byteLength];
  return points.slice(1).map((end, i) => input.subarray(points[i], end));
}

async function* source(chunks: Uint8Array[], onPull: () => void = () => {}): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    onPull();
    yield chunk;
  }
}

/**
 * The chunks written one after the other into ONE scratch buffer, as a reader that reuses its
 * buffer does: a piece kept without a copy would be overwritten by the next chunk.
 */
async function* reusingSource(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  const scratch = new Uint8Array(Math.max(1, ...chunks.map((c) => c.byteLength)));
  for (const chunk of chunks) {
    scratch.fill(0xee);
    scratch.set(chunk);
    yield scratch.subarray(0, chunk.byteLength);
  }
}

async function collect(pieces: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const piece of pieces) out.push(piece);
  return out;
}

const inputArb = fc.uint8Array({ maxLength: 5000 });
const cutsArb = fc.array(fc.nat(), { maxLength: 40 });
const sizeArb = fc.integer({ min: 1, max: 1100 });

describe('hashedPieces', () => {
  it('any chunking of the input gives the same pieces, hash and size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(inputArb, cutsArb, sizeArb, fc.boolean(), async (input, cuts, size, reuse) => {
        const chunks = chunksOf(input, cuts);
        const { pieces, done } = hashedPieces(reuse ? reusingSource(chunks) : source(chunks), size, limit(input.byteLength));
        const got = await collect(pieces);
        // Every piece full but the last, which is not empty.
        for (const piece of got.slice(0, -1)) expect(piece.byteLength).toBe(size);
        if (got.length) expect(got.at(-1)!.byteLength).toBeGreaterThan(0);
        expect(got.length).toBe(Math.ceil(input.byteLength / size));
        expect(Buffer.concat(got).equals(Buffer.from(input))).toBe(true);
        expect(done()).toEqual({ sha256: sha256(input), size: input.byteLength });
      }),
      { examples: [[new Uint8Array(0), [], 1, false], [new Uint8Array(10), [0, 0, 10, 10], 10, true], [new Uint8Array(11), [5], 10, true]] },
    );
  });

  it('stops at the first chunk past the limit, with the limit’s error, pulling no further (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 5000 }).chain((input) => fc.tuple(fc.constant(input), cutsArb, sizeArb, fc.nat(input.byteLength - 1))),
        async ([input, cuts, size, maxBytes]) => {
          const chunks = chunksOf(input, cuts);
          let pulled = 0;
          const { pieces } = hashedPieces(source(chunks, () => pulled++), size, limit(maxBytes));
          await expect(collect(pieces)).rejects.toThrow(TooLarge);
          // The chunk that went over was the last one taken from the source.
          let total = 0;
          const over = chunks.findIndex((c) => (total += c.byteLength) > maxBytes);
          expect(pulled).toBe(over + 1);
        },
      ),
    );
  });

  it('takes exactly the limit', async () => {
    await fc.assert(
      fc.asyncProperty(inputArb, cutsArb, sizeArb, async (input, cuts, size) => {
        const { pieces, done } = hashedPieces(source(chunksOf(input, cuts)), size, limit(input.byteLength));
        await collect(pieces);
        expect(done().size).toBe(input.byteLength);
      }),
    );
  });
});

describe('hashedBatches', () => {
  it('gathers the chunks as they are into the fewest batches of at least `size` bytes; hash and size are the input’s (property)', async () => {
    await fc.assert(
      fc.asyncProperty(inputArb, cutsArb, sizeArb, async (input, cuts, size) => {
        const chunks = chunksOf(input, cuts);
        const { batches, done } = hashedBatches(source(chunks), size, limit(input.byteLength));
        const got: Uint8Array[][] = [];
        for await (const batch of batches) got.push(batch);
        // The same chunks (the very objects: not copied), in order; empty ones may be dropped.
        const nonEmpty = (list: Uint8Array[]) => list.filter((c) => c.byteLength > 0);
        const given = nonEmpty(got.flat());
        expect(given.length).toBe(nonEmpty(chunks).length);
        for (const [i, chunk] of nonEmpty(chunks).entries()) expect(given[i]).toBe(chunk);
        for (const [i, batch] of got.entries()) {
          const bytes = batch.reduce((n, c) => n + c.byteLength, 0);
          // A batch ends with the chunk that brought it to `size` (the last one may be short).
          if (i < got.length - 1) {
            expect(bytes).toBeGreaterThanOrEqual(size);
            expect(bytes - batch.at(-1)!.byteLength).toBeLessThan(size);
          }
        }
        expect(Buffer.concat(got.flat()).equals(Buffer.from(input))).toBe(true);
        expect(done()).toEqual({ sha256: sha256(input), size: input.byteLength });
      }),
    );
  });

  it('stops at the first chunk past the limit (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 5000 }).chain((input) => fc.tuple(fc.constant(input), cutsArb, sizeArb, fc.nat(input.byteLength - 1))),
        async ([input, cuts, size, maxBytes]) => {
          const chunks = chunksOf(input, cuts);
          let pulled = 0;
          const { batches } = hashedBatches(source(chunks, () => pulled++), size, limit(maxBytes));
          await expect(
            (async () => {
              for await (const _ of batches);
            })(),
          ).rejects.toThrow(TooLarge);
          let total = 0;
          expect(pulled).toBe(chunks.findIndex((c) => (total += c.byteLength) > maxBytes) + 1);
        },
      ),
    );
  });
});
