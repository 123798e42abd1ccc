/** Injected so that TTL expiry and timestamps are tested without sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

let lastMs = NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`; the same millisecond is formatted once (a busy server asks often). */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
