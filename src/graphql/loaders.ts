import DataLoader from 'dataloader';
import type { MetricFilter } from '../domain/inputs.js';
import type { Artifact, ArtifactContent, Message, Metric, Session, State } from '../domain/records.js';
import type { Slice } from '../domain/paging.js';
import type { MetricKey } from '../modules/metrics/store.js';
import type { Storage } from '../storage/storage.js';
import { type ChannelValue, type CheckpointKey, checkpointKeyText, type PendingWrite } from '../modules/checkpoints/model.js';

/**
 * Per-request DataLoaders: every nested field (a session's history, state and its versions, artifacts, metrics, forks
 * and their counts; an artifact's content versions; a message's session; a fork's parent) asks its loader, and each loader answers
 * all the fields of one execution step with ONE batch call to `Storage`. The number of statements of a query is thus
 * bounded by its depth, not by the number of rows.
 *
 * Loaders batch but do not memoize (`cache: false`): the mutations of one request run one after
 * another, and a memo would serve rows read before a write to the fields resolved after it.
 */
const options = { cache: false } as const;

/** Records by their key; null for a key with no record. */
function byKey<V>(load: (keys: readonly string[]) => Promise<V[]>, keyOf: (value: V) => string): DataLoader<string, V | null> {
  return new DataLoader(async (keys) => {
    const found = new Map((await load(unique(keys))).map((value) => [keyOf(value), value]));
    return keys.map((key) => found.get(key) ?? null);
  }, options);
}

/** One value per owner id (a session's, an artifact's), from a batch method that answers with a Map. */
function byOwner<V>(load: (ownerIds: readonly string[]) => Promise<Map<string, V>>, missing: V): DataLoader<string, V> {
  return new DataLoader(async (ownerIds) => {
    const found = await load(unique(ownerIds));
    return ownerIds.map((id) => found.get(id) ?? missing);
  }, options);
}

/**
 * One loader per distinct parameters (a paging window, a filter): sessions asked for with the same
 * arguments share a batch, which is one statement.
 */
function perParams<P, V>(create: (params: P) => DataLoader<string, V>): (params: P) => DataLoader<string, V> {
  const loaders = new Map<string, DataLoader<string, V>>();
  return (params) => {
    const key = stableKey(params);
    let loader = loaders.get(key);
    if (!loader) loaders.set(key, (loader = create(params)));
    return loader;
  };
}

const unique = (keys: readonly string[]): string[] => [...new Set(keys)];

/** One list per checkpoint, from a batch method that answers by `checkpointKeyText`. */
function byCheckpoint<V>(load: (keys: readonly CheckpointKey[]) => Promise<Map<string, V[]>>): DataLoader<CheckpointKey, V[]> {
  return new DataLoader(async (keys) => {
    const found = await load(keys);
    return keys.map((key) => found.get(checkpointKeyText(key)) ?? []);
  }, options);
}

/** JSON with sorted keys and without null/undefined members, so that equal parameters give equal keys. */
export function stableKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([, member]) => member != null)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export function createLoaders(storage: Storage) {
  return {
    session: byKey((ids) => storage.sessions.byIds(ids), (session) => session.id),
    message: byKey((ids) => storage.history.byIds(ids), (message) => message.id),
    artifact: byKey((ids) => storage.artifacts.byIds(ids), (artifact) => artifact.id),
    /** A session's state by session id; null when it has none. */
    state: byKey((sessionIds) => storage.state.bySessionIds(sessionIds), (state) => state.sessionId),
    /** A page of a state's kept versions (newest first) by session id. */
    stateHistoryPage: perParams((slice: Slice<number>) => byOwner((sessionIds) => storage.state.historyPages(sessionIds, slice), [] as State[])),
    stateHistoryCount: byOwner((sessionIds) => storage.state.historyCounts(sessionIds), 0),

    historyPage: perParams((slice: Slice<number>) =>
      byOwner((sessionIds) => storage.history.pages(sessionIds, slice), [] as Message[]),
    ),
    historyCount: byOwner((sessionIds) => storage.history.counts(sessionIds), 0),
    historyWithinTokens: perParams((maxTokens: number) => byOwner((sessionIds) => storage.history.withinTokens(sessionIds, maxTokens), [] as Message[])),
    tokenTotal: byOwner((sessionIds) => storage.history.tokenTotals(sessionIds), { tokens: 0, messages: 0, estimatedMessages: 0 }),

    artifactPage: perParams((slice: Slice<string>) =>
      byOwner((sessionIds) => storage.artifacts.pages(sessionIds, slice), [] as Artifact[]),
    ),
    artifactCount: byOwner((sessionIds) => storage.artifacts.counts(sessionIds), 0),
    /** An artifact's content versions, oldest first: `Artifact.versions` and `Artifact.content` share its batch. */
    artifactVersions: byOwner((artifactIds) => storage.artifacts.versionsOf(artifactIds), [] as ArtifactContent[]),

    forkPage: perParams((slice: Slice<string>) => byOwner((sessionIds) => storage.sessions.forkPages(sessionIds, slice), [] as Session[])),
    forkCount: byOwner((sessionIds) => storage.sessions.forkCounts(sessionIds), 0),

    metricPage: perParams(({ filter, slice }: { filter: MetricFilter; slice: Slice<MetricKey> }) =>
      byOwner((sessionIds) => storage.metrics.pages(sessionIds, filter, slice), [] as Metric[]),
    ),
    metricCount: perParams((filter: MetricFilter) => byOwner((sessionIds) => storage.metrics.counts(sessionIds, filter), 0)),

    thread: byKey((ids) => storage.checkpoints.threads(ids), (thread) => thread.id),
    channelValues: byCheckpoint<ChannelValue>((keys) => storage.checkpoints.channelValues(keys)),
    pendingWrites: byCheckpoint<PendingWrite>((keys) => storage.checkpoints.pendingWrites(keys)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
