import { z } from 'zod';

/**
 * Semantic search: the client embeds (LangGraph's `index: { embed, dims, fields }`), sends one
 * vector per indexed field path with a put and a query vector with a search, and the server ranks
 * the candidates by cosine similarity — a scan in JavaScript over the items the search's namespace
 * prefix and filter leave (see docs/memory-store.md for how far that stays fast).
 *
 * Vectors are stored as bytes: their float32 components in the machine's order (little-endian on
 * every platform Node supports), 4 bytes a dimension, read back without parsing.
 */

export const VECTOR_LIMITS = { dims: 4096, perItem: 64, field: 256 } as const;

/** The largest float32: a component beyond it would be stored as Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38;

const dims = z
  .array(
    z
      .number()
      .finite('vector components must be finite numbers')
      .refine((v) => Math.abs(v) <= FLOAT32_MAX, { message: 'vector components must fit a 32-bit float' }),
  )
  .min(1, 'a vector has at least one dimension')
  .max(VECTOR_LIMITS.dims, `a vector has at most ${VECTOR_LIMITS.dims} dimensions`);

export const queryVector = dims;

export const itemVectors = z
  .array(
    z.object({
      /** The field path the vector embeds (`text`, `chapters[*].content.0`, `$`). */
      field: z.string().min(1, 'must not be empty').max(VECTOR_LIMITS.field).refine((v) => !v.includes('\u0000') && v.isWellFormed(), { message: 'must be valid text' }),
      vector: dims,
    }),
  )
  .max(VECTOR_LIMITS.perItem, `at most ${VECTOR_LIMITS.perItem} vectors per item`)
  .superRefine((vectors, ctx) => {
    const seen = new Set<string>();
    vectors.forEach((v, i) => {
      if (seen.has(v.field)) ctx.addIssue({ code: 'custom', path: [i, 'field'], message: 'each field once' });
      seen.add(v.field);
    });
  });
export type ItemVector = z.output<typeof itemVectors>[number];

export function encodeVector(vector: readonly number[]): Uint8Array {
  return Buffer.from(Float32Array.from(vector).buffer);
}

export function decodeVector(bytes: Uint8Array): Float32Array {
  // A view when the bytes are aligned for one (a driver's Buffer may sit at any offset of a pool), else a copy.
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
  return new Float32Array(Uint8Array.prototype.slice.call(bytes).buffer);
}

/** Cosine similarity; 0 when either vector is all zeros. Vectors of another length do not compare (null). */
export function cosine(query: Float32Array, queryNorm: number, vector: Float32Array): number | null {
  if (vector.length !== query.length) return null;
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < vector.length; i++) {
    const v = vector[i]!;
    dot += v * query[i]!;
    norm += v * v;
  }
  return queryNorm === 0 || norm === 0 ? 0 : dot / (queryNorm * Math.sqrt(norm));
}

export function norm(vector: Float32Array): number {
  let sum = 0;
  for (const v of vector) sum += v * v;
  return Math.sqrt(sum);
}

export interface Ranked<T> {
  item: T;
  score: number | null;
}

/**
 * LangGraph's ranking: each item scores its best vector's similarity; scored items by score (ties
 * in candidate order), then the items without a comparable vector in candidate order; then the page.
 */
export function rankByCosine<T>(candidates: readonly { item: T; vectors: readonly Uint8Array[] }[], query: readonly number[], offset: number, limit: number): Ranked<T>[] {
  const q = Float32Array.from(query);
  const qNorm = norm(q);
  const scored: (Ranked<T> & { at: number })[] = [];
  const unscored: Ranked<T>[] = [];
  candidates.forEach(({ item, vectors }, at) => {
    let best: number | null = null;
    for (const bytes of vectors) {
      const s = cosine(q, qNorm, decodeVector(bytes));
      if (s !== null && (best === null || s > best)) best = s;
    }
    if (best === null) unscored.push({ item, score: null });
    else scored.push({ item, score: best, at });
  });
  scored.sort((a, b) => b.score! - a.score! || a.at - b.at);
  return [...scored.map(({ item, score }) => ({ item, score })), ...unscored].slice(offset, offset + limit);
}
