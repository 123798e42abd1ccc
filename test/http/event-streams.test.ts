import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REVOCATION_DELAY_MS } from '../../src/auth/authenticate.js';
import { OPEN_ACCESS, type Principal } from '../../src/auth/principal.js';
import { endReason, EventStreams } from '../../src/http/event-streams.js';
import type { ApiKeyScope } from '../../src/domain/records.js';

/**
 * When EventStreams looks the keys of open streams up again, with the default interval and a fake
 * clock: the documented revocation delay, without waiting for it. (Real servers and replicas:
 * stream-revocation.test.ts.)
 */
const LIMITS = { maxStreams: 100, maxStreamsPerKey: 100, maxStreamsPerTenant: 100 };

const principal = (keyId: string, scopes: ApiKeyScope[] = ['read']): Principal => ({ keyId, tenant: 'acme', scopes: new Set(scopes), operator: false });

/** Keys as the database holds them (absent: revoked), and the look-ups made. */
function keyStore(...keys: Principal[]) {
  const current = new Map(keys.map((k) => [k.keyId!, k]));
  const lookUps: string[] = [];
  let failing = false;
  return {
    current,
    lookUps,
    fail: (on: boolean) => void (failing = on),
    look: async (p: Principal) => {
      lookUps.push(p.keyId!);
      if (failing) throw new Error('connection refused');
      return current.get(p.keyId!) ?? null;
    },
  };
}

describe('EventStreams: the keys of open streams', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('are looked up again every 5 s, once per key: a key revoked elsewhere ends its streams at the next look-up, with the reason', async () => {
    expect(REVOCATION_DELAY_MS).toBe(5_000); // what the README promises
    const store = keyStore(principal('k1'), principal('k2'));
    const streams = new EventStreams(LIMITS, { current: store.look });
    const [a, b] = [streams.admit(principal('k1')), streams.admit(principal('k1'))];
    const c = streams.admit(principal('k2'));
    const anonymous = streams.admit(OPEN_ACCESS);

    store.current.delete('k1'); // revoked through another replica, or the CLI
    await vi.advanceTimersByTimeAsync(REVOCATION_DELAY_MS - 1);
    expect(store.lookUps).toEqual([]);
    expect(a.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.lookUps.sort()).toEqual(['k1', 'k2']);
    for (const ended of [a, b]) expect(endReason(ended.signal)).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/revoked/) });
    expect([c.signal.aborted, anonymous.signal.aborted]).toEqual([false, false]);
    expect(streams.size).toBe(2);

    await vi.advanceTimersByTimeAsync(REVOCATION_DELAY_MS);
    expect(store.lookUps.sort()).toEqual(['k1', 'k2', 'k2']);
  });

  it('end with FORBIDDEN when the key may no longer read', async () => {
    const store = keyStore(principal('k1'));
    const streams = new EventStreams(LIMITS, { current: store.look });
    const ticket = streams.admit(principal('k1'));
    store.current.set('k1', principal('k1', ['write']));
    await vi.advanceTimersByTimeAsync(REVOCATION_DELAY_MS);
    expect(endReason(ticket.signal)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/"read" scope/) });
  });

  it('stay open while the look-up fails (that revokes nothing), and end once it answers', async () => {
    const store = keyStore();
    const streams = new EventStreams(LIMITS, { current: store.look });
    const ticket = streams.admit(principal('k1'));
    store.fail(true);
    await vi.advanceTimersByTimeAsync(REVOCATION_DELAY_MS * 2);
    expect(store.lookUps).toEqual(['k1', 'k1']);
    expect(ticket.signal.aborted).toBe(false);
    store.fail(false);
    await vi.advanceTimersByTimeAsync(REVOCATION_DELAY_MS);
    expect(endReason(ticket.signal)?.code).toBe('UNAUTHENTICATED');
  });

  it('end at once when the key is revoked in this process; shutdown ends streams without a reason', () => {
    const streams = new EventStreams(LIMITS, { current: keyStore(principal('k1'), principal('k2')).look });
    const [a, b] = [streams.admit(principal('k1')), streams.admit(principal('k2'))];
    streams.endKey('k1');
    expect(endReason(a.signal)?.code).toBe('UNAUTHENTICATED');
    expect(b.signal.aborted).toBe(false);
    streams.closeAll();
    expect(b.signal.aborted).toBe(true);
    expect(endReason(b.signal)).toBeNull();
    expect(streams.size).toBe(0);
  });

  it('are not looked up when no stream holds a key', async () => {
    const store = keyStore(principal('k1'));
    const streams = new EventStreams(LIMITS, { current: store.look });
    streams.admit(OPEN_ACCESS);
    expect(vi.getTimerCount()).toBe(0);
    const ticket = streams.admit(principal('k1'));
    expect(vi.getTimerCount()).toBe(1);
    ticket.release();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(REVOCATION_DELAY_MS * 3);
    expect(store.lookUps).toEqual([]);
  });
});
