import { useState } from 'preact/hooks';
import { ConsoleRecentCheckpointsDocument, ConsoleThreadDocument } from '../../gql/graphql.js';
import { useClient, useLoad } from '../hooks.js';
import { href, navigate } from '../router.js';
import { Pager, Show, Time, useTitle } from './common.js';
import { JsonTree } from './json.js';

/** LangGraph threads (docs/checkpoints.md): found by their latest checkpoints, or opened by id. */
export function ThreadsPage() {
  useTitle('Threads');
  const client = useClient();
  const [recent] = useLoad(async (signal) => {
    // The service lists checkpoints, not threads: the threads of the newest 200 checkpoints.
    const { checkpoints } = await client.request(ConsoleRecentCheckpointsDocument, { first: 200 }, { signal });
    const threads = new Map<string, { latest: string; count: number }>();
    for (const c of checkpoints.nodes) {
      const seen = threads.get(c.threadId);
      if (seen) seen.count++;
      else threads.set(c.threadId, { latest: c.createdAt, count: 1 });
    }
    return { total: checkpoints.totalCount, threads: [...threads] };
  }, []);
  return (
    <>
      <h1>Threads</h1>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          const id = String(new FormData(event.currentTarget as HTMLFormElement).get('thread') ?? '').trim();
          if (id) navigate(href.thread(id));
        }}
      >
        <label class="wide">
          Thread id
          <input name="thread" required />
        </label>
        <div class="actions">
          <button type="submit">Open thread</button>
        </div>
      </form>
      <Show loaded={recent}>
        {({ total, threads }) =>
          threads.length === 0 ? (
            <p>No checkpoints are stored.</p>
          ) : (
            <section aria-labelledby="recent-title">
              <h2 id="recent-title">Recently checkpointed</h2>
              <p class="count">{total} checkpoints stored in all</p>
              <ul class="plain">
                {threads.map(([id, t]) => (
                  <li>
                    <a href={href.thread(id)}>{id}</a> <span class="muted">latest</span> <Time at={t.latest} />
                  </li>
                ))}
              </ul>
            </section>
          )
        }
      </Show>
    </>
  );
}

const PAGE = 50;

/** A thread's checkpoints as a timeline, newest first: step, source, parent, pending writes. */
export function ThreadPage({ id }: { id: string }) {
  useTitle(`Thread ${id}`);
  const client = useClient();
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors.at(-1);
  const [loaded] = useLoad(async (signal) => (await client.request(ConsoleThreadDocument, { id, first: PAGE, after }, { signal })).thread, [id, after]);
  return (
    <>
      <h1>
        Thread <span class="mono">{id}</span>
      </h1>
      <Show loaded={loaded}>
        {(thread) =>
          !thread ? (
            <p>
              There is no thread <code>{id}</code> (or it expired). <a href={href.threads()}>Back to the threads</a>.
            </p>
          ) : (
            <>
              <dl class="facts">
                <dt>Created</dt>
                <dd>
                  <Time at={thread.createdAt} />
                </dd>
                <dt>Last write</dt>
                <dd>
                  <Time at={thread.updatedAt} />
                </dd>
                <dt>Checkpoints</dt>
                <dd>{thread.checkpoints.totalCount}</dd>
              </dl>
              <ol class="timeline" aria-label="Checkpoints, newest first">
                {thread.checkpoints.nodes.map((c) => {
                  const step = c.metadata.step;
                  const source = c.metadata.source;
                  return (
                    <li id={`cp-${c.id}`}>
                      <div class="meta">
                        <strong class="mono">{c.id}</strong>
                        {typeof step === 'number' && <span class="tag">step {step}</span>}
                        {typeof source === 'string' && <span class="tag">{source}</span>}
                        {c.namespace && <span class="muted">namespace {c.namespace}</span>}
                        <Time at={c.createdAt} />
                      </div>
                      <p class="muted">
                        {c.parentId ? (
                          <>
                            after <a href={`#cp-${c.parentId}`}>{c.parentId}</a>
                          </>
                        ) : (
                          'first checkpoint'
                        )}
                        {c.pendingWrites.length > 0 && ` · ${c.pendingWrites.length} pending writes (${[...new Set(c.pendingWrites.map((w) => w.channel))].join(', ')})`}
                      </p>
                      <details>
                        <summary>Metadata and channel versions</summary>
                        <JsonTree value={{ metadata: c.metadata, channelVersions: c.channelVersions }} label={`Checkpoint ${c.id}`} />
                      </details>
                    </li>
                  );
                })}
              </ol>
              <Pager
                cursors={cursors}
                hasNext={thread.checkpoints.pageInfo.hasNextPage}
                next={() => thread.checkpoints.pageInfo.endCursor && setCursors([...cursors, thread.checkpoints.pageInfo.endCursor])}
                previous={() => setCursors(cursors.slice(0, -1))}
              />
            </>
          )
        }
      </Show>
    </>
  );
}
