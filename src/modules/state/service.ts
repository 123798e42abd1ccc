import { type Clock, isoTime } from '../../domain/clock.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Json } from '../../domain/json.js';
import type { Slice } from '../../domain/paging.js';
import { applyMergePatch } from '../../domain/merge-patch.js';
import type { State } from '../../domain/records.js';
import { checkVersion, type ExpectedVersion } from '../../domain/state.js';
import type { StateStore } from './store.js';

export type { ExpectedVersion } from '../../domain/state.js';

/**
 * The state's operations, shared by the REST and GraphQL doors, over one tenant's store: one JSON
 * value per session, versioned, with compare-and-set (`domain/state.ts`) and JSON Merge Patch.
 * Every call sees the sessions live by this clock: an expired session answers like an unknown one.
 */
export class StateService {
  constructor(
    readonly store: StateStore,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return isoTime(this.clock.now());
  }

  async get(sessionId: string): Promise<State> {
    const [state] = await this.store.bySessionIds([sessionId], this.now());
    if (!state) throw new NotFoundError('State');
    return state;
  }

  bySessionIds(sessionIds: readonly string[]): Promise<State[]> {
    return this.store.bySessionIds(sessionIds, this.now());
  }

  /**
   * Sets (or replaces) the state. With `expectedVersion` it is a compare-and-set: it applies only
   * if the state is at that version (0: only if there is no state; `existing`: if there is one),
   * else a CONFLICT carrying the current version (`VersionConflictError`). The check and the write
   * are one atomic step.
   */
  async set(sessionId: string, data: Json, expectedVersion?: ExpectedVersion | null): Promise<State> {
    const updatedAt = this.now();
    const stored =
      expectedVersion == null
        ? await this.store.put({ sessionId, data, updatedAt }, updatedAt)
        : await this.store.modify(
            sessionId,
            (current) => {
              checkVersion(current, expectedVersion);
              return data;
            },
            updatedAt,
            updatedAt,
          );
    if (!stored) throw new NotFoundError('Session');
    return stored;
  }

  /**
   * Applies a JSON Merge Patch (RFC 7396) to the state, atomically: the patch is applied to the
   * state as it is at the moment of the write, so concurrent patches of different members all take
   * effect. A session without state is patched as if its state were `{}` and gets one (version 1) —
   * unless an `expectedVersion` other than 0 says it must exist. `expectedVersion` works as in `set`.
   */
  async patch(sessionId: string, patch: Json, expectedVersion?: ExpectedVersion | null): Promise<State> {
    const now = this.now();
    const stored = await this.store.modify(
      sessionId,
      (current) => {
        checkVersion(current, expectedVersion);
        return applyMergePatch(current?.data, patch);
      },
      now,
      now,
    );
    if (!stored) throw new NotFoundError('Session');
    return stored;
  }

  /**
   * The kept versions of a session's state (the last STATE_HISTORY_VERSIONS, the current one
   * included), newest first; `slice.after` is a version: only older ones. NOT_FOUND when the state
   * has neither versions nor a current value (no such session, no state, or it was deleted).
   */
  async history(sessionId: string, slice: Slice<number>): Promise<State[]> {
    const versions = (await this.store.versionPages([sessionId], slice, this.now())).get(sessionId) ?? [];
    if (versions.length === 0 && slice.after == null) await this.get(sessionId);
    return versions;
  }

  /** `history` of many sessions (a page each, one statement): what the GraphQL loader batches. */
  historyPages(sessionIds: readonly string[], slice: Slice<number>): Promise<Map<string, State[]>> {
    return this.store.versionPages(sessionIds, slice, this.now());
  }

  historyCounts(sessionIds: readonly string[]): Promise<Map<string, number>> {
    return this.store.versionCounts(sessionIds, this.now());
  }

  async delete(sessionId: string): Promise<void> {
    if (!(await this.store.delete(sessionId, this.now()))) throw new NotFoundError('State');
  }
}
