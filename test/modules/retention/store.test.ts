import { expect } from 'vitest';
import type { Session } from '../../../src/domain/records.js';
import type { RetentionRule } from '../../../src/modules/retention/rules.js';
import { describeOnDatabases } from '../../support/store-fixture.js';

/**
 * The behaviour of `RetentionStore`, written only against the interface, so that SQLite and
 * PostgreSQL run the same cases: which sessions each rule picks, in which order, and how a walk
 * goes on after a batch. (Applying the rules, through the sessions store's guarded writes, is
 * `service.test.ts`'s.)
 */

const T = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes)).toISOString();

describeOnDatabases('RetentionStore contract', (test) => {
  const it = test
    .extend('store', ({ stores }) => stores.retention)
    /** Stores a session as given, at minute 0 unless told otherwise. */
    .extend('stored', ({ stores }) => async (id: string, fields: Partial<Session>): Promise<void> => {
      await stores.sessions.insert({
        id, agentName: 'a', userId: null, status: 'active', createdAt: T(0), updatedAt: T(0), metadata: {},
        parentId: null, forkedFromMessageId: null, expiresAt: null, ...fields,
      });
    })
    /** Every candidate of `rule`, walked `batch` at a time. */
    .extend('walk', ({ store }) => async (rule: RetentionRule, batch: number): Promise<string[]> => {
      const seen: string[] = [];
      let after = null;
      for (;;) {
        const page = await store.candidates(rule, after, batch);
        seen.push(...page.map((c) => c.id));
        if (page.length < batch) return seen;
        after = page.at(-1)!;
      }
    });

  it('expired: sessions whose expiry is at or before the moment, by expiry then id, with their expiry', async ({ store, stored, walk }) => {
    await stored('session_c', { expiresAt: T(10) });
    await stored('session_a', { expiresAt: T(10) });
    await stored('session_b', { expiresAt: T(5) });
    await stored('session_d', { expiresAt: T(11) });
    await stored('session_e', {});
    const rule: RetentionRule = { kind: 'expired', at: T(10) };
    expect(await store.candidates(rule, null, 10)).toEqual([
      { id: 'session_b', at: T(5) },
      { id: 'session_a', at: T(10) },
      { id: 'session_c', at: T(10) },
    ]);
    // Strictly after the key: equal times are told apart by id.
    expect(await store.candidates(rule, { id: 'session_a', at: T(10) }, 10)).toEqual([{ id: 'session_c', at: T(10) }]);
    for (const batch of [1, 2, 3, 4]) expect(await walk(rule, batch)).toEqual(['session_b', 'session_a', 'session_c']);
    expect(await store.candidates(rule, null, 0)).toEqual([]);
  });

  it('idle: live sessions of the status, not updated since, whose last message is older too', async ({ backend, stored, walk }) => {
    await stored('session_quiet', { updatedAt: T(1) });
    await stored('session_paused', { status: 'paused', updatedAt: T(1) });
    await stored('session_recent', { updatedAt: T(30) });
    await stored('session_gone', { updatedAt: T(1), expiresAt: T(15) });
    await stored('session_chatty', { updatedAt: T(2) });
    const now = T(20);
    const [m] = (await backend.stores.history.append('session_chatty', [{ id: 'msg_1', sessionId: 'session_chatty', role: 'user', content: 'hi', timestamp: T(25), metadata: {} }], now))!;
    expect(m?.seq).toBe(1);
    expect(await walk({ kind: 'idle', status: 'active', at: now, since: T(20) }, 1)).toEqual(['session_quiet']);
    expect(await walk({ kind: 'idle', status: 'paused', at: now, since: T(20) }, 1)).toEqual(['session_paused']);
    // Before the expiry the expiring one is idle too; `updatedAt` equal to `since` is not idle.
    expect(await walk({ kind: 'idle', status: 'active', at: T(10), since: T(2) }, 5)).toEqual(['session_gone', 'session_quiet']);
  });

  it('ended: live ended sessions not updated since, oldest first', async ({ store, stored }) => {
    await stored('session_old', { status: 'ended', updatedAt: T(1) });
    await stored('session_older', { status: 'ended', updatedAt: T(0) });
    await stored('session_new', { status: 'ended', updatedAt: T(9) });
    await stored('session_active', { updatedAt: T(0) });
    await stored('session_gone', { status: 'ended', updatedAt: T(0), expiresAt: T(5) });
    expect(await store.candidates({ kind: 'ended', at: T(6), before: T(9) }, null, 10)).toEqual([
      { id: 'session_older', at: T(0) },
      { id: 'session_old', at: T(1) },
    ]);
  });
});
