import { randomFillSync } from 'node:crypto';
import type { Clock } from './clock.js';

export const ID_PREFIXES = {
  session: 'session_',
  message: 'msg_',
  artifact: 'artifact_',
  metric: 'metric_',
  apiKey: 'key_',
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

export interface IdGenerator {
  next(kind: IdKind): string;
}

// Crockford base32, lower case: ids sort as strings in the order they were made.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10; // 48-bit millisecond timestamp
const RANDOM_CHARS = 16; // 80 random bits

/**
 * Monotonic ULIDs (`<prefix><26 chars>`): unique, time-ordered, and strictly increasing within
 * one process even for ids made in the same millisecond or when the clock steps back — the
 * random part is then incremented instead of redrawn.
 */
export function createIdGenerator(clock: Clock, random: (size: number) => Uint8Array = pooledRandom()): IdGenerator {
  let lastTime = -1;
  const digits = new Uint8Array(RANDOM_CHARS);
  let timePart = '';

  function increment(): boolean {
    for (let i = RANDOM_CHARS - 1; i >= 0; i--) {
      if (digits[i]! < 31) {
        digits[i]!++;
        return true;
      }
      digits[i] = 0;
    }
    return false; // 2^80 ids in one millisecond: not reachable in practice
  }

  function draw(): void {
    const bytes = random(RANDOM_CHARS);
    for (let i = 0; i < RANDOM_CHARS; i++) digits[i] = bytes[i]! & 31;
    // Leave headroom so that increments within one millisecond never overflow.
    digits[0] = digits[0]! & 15;
  }

  return {
    next(kind) {
      const now = clock.now();
      if (now > lastTime) {
        lastTime = now;
        timePart = encodeTime(now);
        draw();
      } else if (!increment()) {
        lastTime += 1;
        timePart = encodeTime(lastTime);
        draw();
      }
      let randomPart = '';
      for (let i = 0; i < RANDOM_CHARS; i++) randomPart += ALPHABET[digits[i]!];
      return ID_PREFIXES[kind] + timePart + randomPart;
    },
  };
}

/**
 * Random bytes drawn from the OS 4 KiB at a time (one draw serves 256 ids) instead of once per id.
 * The returned view is only valid until the next call; the generator copies it at once.
 */
function pooledRandom(): (size: number) => Uint8Array {
  const pool = Buffer.allocUnsafe(4096);
  let offset = pool.length;
  return (size) => {
    if (offset + size > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    offset += size;
    return pool.subarray(offset - size, offset);
  };
}

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < TIME_CHARS; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}
