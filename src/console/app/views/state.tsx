import { useEffect, useState } from 'preact/hooks';
import { AgentStorageError } from '../../../client/index.js';
import { ConsoleStateDocument } from '../../gql/graphql.js';
import { describe } from '../api.js';
import { useClient, useLoad } from '../hooks.js';
import { Show, Time } from './common.js';
import { diff } from '../diff.js';
import { DiffTable, JsonTree } from './json.js';

/**
 * The change feed from its first event: the service keeps no older versions of a state, but every
 * write of one is a `StateChanged` event carrying the state as stored, kept for the feed's
 * retention window (EVENT_RETENTION_HOURS). The console ships with the service, so it may spell the
 * feed's cursor for "before seq 1" itself (src/domain/events.ts, encodeEventCursor(0)).
 */
const FROM_THE_START = btoa(JSON.stringify(['event', 0])).replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_');

interface Version {
  version: number;
  data: unknown;
  at: string;
  /** A deletion of the state (the next write starts again at version 1). */
  deleted?: boolean;
}

export function StateTab({ sessionId }: { sessionId: string }) {
  const client = useClient();
  const [current] = useLoad(async (signal) => (await client.request(ConsoleStateDocument, { sessionId }, { signal })).session?.state ?? null, [sessionId]);
  const [versions, setVersions] = useState<Version[]>([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const [base, setBase] = useState<number | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const follow = async (after: string | undefined) => {
      for await (const event of client.sessionEvents(sessionId, { signal, ...(after ? { after } : {}) })) {
        if (event.__typename === 'StateChanged') {
          const { state } = event;
          setVersions((list) => [...list, { version: state.version, data: state.data, at: state.updatedAt }]);
        } else if (event.__typename === 'StateDeleted') {
          setVersions((list) => [...list, { version: 0, data: null, at: event.time, deleted: true }]);
        }
      }
    };
    void follow(FROM_THE_START)
      .catch((e: unknown) => {
        if (e instanceof AgentStorageError && e.code === 'CURSOR_EXPIRED') {
          setNote('Versions older than the change feed keeps (EVENT_RETENTION_HOURS) are gone; newer ones appear as they are written.');
          return follow(undefined);
        }
        throw e;
      })
      .catch((e: unknown) => signal.aborted || setError(describe(e)));
    return () => controller.abort();
  }, [sessionId, client]);

  const shownIndex = selected ?? versions.length - 1;
  const shown = versions[shownIndex];
  const baseIndex = base ?? shownIndex - 1;
  const against = versions[baseIndex];
  const name = (v: Version) => (v.deleted ? 'deleted' : `version ${v.version}`);

  return (
    <section aria-labelledby="state-title">
      <h2 id="state-title">State</h2>
      <Show loaded={current}>
        {(state) =>
          state ? (
            <p>
              Current: version {state.version}, written <Time at={state.updatedAt} />.
            </p>
          ) : (
            <p>This session has no state.</p>
          )
        }
      </Show>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {note && <p class="hint">{note}</p>}
      <div class="split">
        <div>
          <h3>History</h3>
          {versions.length === 0 ? (
            <p class="muted">No writes in the change feed.</p>
          ) : (
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
          )}
        </div>
        {shown && (
          <div class="grow">
            <h3>{name(shown)}</h3>
            {shown.deleted ? <p>The state was deleted.</p> : <JsonTree value={shown.data} label={`State, ${name(shown)}`} />}
            <h3>Changes</h3>
            <label>
              Compared with{' '}
              <select value={String(baseIndex)} onChange={(e) => setBase(Number((e.currentTarget as HTMLSelectElement).value))}>
                <option value="-1">nothing (empty)</option>
                {versions.map((v, i) => (i === shownIndex ? null : <option value={String(i)}>{name(v)}</option>))}
              </select>
            </label>
            <DiffTable changes={diff(against && !against.deleted ? against.data : undefined, shown.deleted ? undefined : shown.data)} />
          </div>
        )}
      </div>
    </section>
  );
}
