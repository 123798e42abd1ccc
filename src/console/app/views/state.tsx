import { useEffect, useState } from 'preact/hooks';
import { ConsoleStateDocument } from '../../gql/graphql.js';
import { describe, sessionEvents } from '../api.js';
import { useClient } from '../hooks.js';
import { Time } from './common.js';
import { diff } from '../diff.js';
import { DiffTable, JsonTree } from './json.js';

/** Versions read a page at a time, newest first (State.history); older pages on demand. */
const PAGE = 50;

interface Version {
  version: number;
  data: unknown;
  at: string;
}

interface Loaded {
  current: Version | null;
  /** Oldest first, as listed. */
  versions: Version[];
  total: number;
  /** Where older versions continue, when there are more. */
  older: string | null;
}

export function StateTab({ sessionId }: { sessionId: string }) {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState('');
  const [round, setRound] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [base, setBase] = useState<number | null>(null);

  /** A page of the state's versions: `after` null reads the newest ones (and the state itself). */
  const read = async (after: string | null, signal?: AbortSignal) => {
    const { session } = await client.request(ConsoleStateDocument, { sessionId, first: PAGE, after }, { signal });
    const state = session?.state ?? null;
    const page = state?.history;
    return {
      current: state && { version: state.version, data: state.data, at: state.updatedAt },
      versions: (page?.nodes ?? []).map((v) => ({ version: v.version, data: v.data, at: v.updatedAt })).reverse(),
      total: page?.totalCount ?? 0,
      older: page?.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
    };
  };

  useEffect(() => {
    const controller = new AbortController();
    read(null, controller.signal).then(
      (first) => controller.signal.aborted || (setLoaded(first), setError('')),
      (e: unknown) => controller.signal.aborted || setError(describe(e)),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId, client, round]);

  // Writes made while the page is open: the history is read again after each (the service keeps
  // it), and once the feed is open (or reopened), so that no write falls between the read and the feed.
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    void (async () => {
      for await (const event of sessionEvents(client, sessionId, { signal, onConnect: () => setRound((n) => n + 1) })) {
        if (event.__typename === 'StateChanged' || event.__typename === 'StateDeleted') {
          setSelected(null);
          setBase(null);
          setRound((n) => n + 1);
        }
      }
    })().catch((e: unknown) => signal.aborted || setError(describe(e)));
    return () => controller.abort();
  }, [sessionId, client]);

  const loadOlder = async () => {
    if (!loaded?.older) return;
    try {
      const page = await read(loaded.older);
      const shift = page.versions.length;
      setLoaded({ ...loaded, versions: [...page.versions, ...loaded.versions], older: page.older });
      if (selected !== null) setSelected(selected + shift);
      if (base !== null && base >= 0) setBase(base + shift);
    } catch (e) {
      setError(describe(e));
    }
  };

  const versions = loaded?.versions ?? [];
  const shownIndex = selected ?? versions.length - 1;
  const shown = versions[shownIndex];
  const baseIndex = base ?? shownIndex - 1;
  const against = versions[baseIndex];
  const name = (v: Version) => `version ${v.version}`;

  return (
    <section aria-labelledby="state-title">
      <h2 id="state-title">State</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!loaded ? (
        !error && (
          <p class="status" role="status">
            Loading…
          </p>
        )
      ) : loaded.current ? (
        <p>
          Current: version {loaded.current.version}, written <Time at={loaded.current.at} />.
        </p>
      ) : (
        <p>This session has no state.</p>
      )}
      <div class="split">
        <div>
          <h3>History</h3>
          {loaded && versions.length === 0 ? (
            <p class="muted">No versions kept (STATE_HISTORY_VERSIONS).</p>
          ) : (
            <>
              {loaded?.older && (
                <p>
                  <button type="button" onClick={() => void loadOlder()}>
                    Older versions ({loaded.total - versions.length} more)
                  </button>
                </p>
              )}
              <ol class="versions" aria-label="State versions">
                {versions.map((v, i) => (
                  <li>
                    <button type="button" aria-pressed={i === shownIndex} onClick={() => (setSelected(i), setBase(null))}>
                      {name(v)}
                    </button>{' '}
                    <Time at={v.at} />
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
        {shown && (
          <div class="grow">
            <h3>{name(shown)}</h3>
            <JsonTree value={shown.data} label={`State, ${name(shown)}`} />
            <h3>Changes</h3>
            <label>
              Compared with{' '}
              <select value={String(baseIndex)} onChange={(e) => setBase(Number((e.currentTarget as HTMLSelectElement).value))}>
                <option value="-1">nothing (empty)</option>
                {versions.map((v, i) => (i === shownIndex ? null : <option value={String(i)}>{name(v)}</option>))}
              </select>
            </label>
            <DiffTable changes={diff(against?.data, shown.data)} />
          </div>
        )}
      </div>
    </section>
  );
}
