import { useState } from 'preact/hooks';
import { ConsoleSearchDocument, ConsoleSessionsDocument, type ConsoleSessionFragment, type SessionStatus } from '../../gql/graphql.js';
import { useClient, useLoad } from '../hooks.js';
import { href, navigate, useLocation } from '../router.js';
import { Pager, Show, Time, useTitle } from './common.js';

const PAGE = 25;
const STATUSES: SessionStatus[] = ['ACTIVE', 'PAUSED', 'ENDED'];
const FILTERS = ['agent', 'user', 'status', 'q', 'since', 'until'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** A `datetime-local` value (the browser's time zone) as an ISO instant; undefined when empty. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);

interface Row {
  session: ConsoleSessionFragment;
  /** For search hits: the matching message. */
  hit?: { snippet: string; role: string; seq: number };
}

/**
 * Sessions, newest first, filtered by agent, user, status and the time range of their creation;
 * with text, a full-text search of their messages (docs/search.md), the time range then that of
 * the messages. The filters live in the address, so a filtered list can be linked to.
 */
export function SessionsPage() {
  useTitle('Sessions');
  const client = useClient();
  const { search } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, search.get(name) ?? ''])) as Filters;
  // The cursors of the pages before this one, for these filters: other filters start at page 1
  // (also when the address changes by the browser's back and forward buttons).
  const filtersKey = search.toString();
  const [paging, setPaging] = useState<{ filters: string; cursors: string[] }>({ filters: filtersKey, cursors: [] });
  const cursors = paging.filters === filtersKey ? paging.cursors : [];
  const setCursors = (list: string[]) => setPaging({ filters: filtersKey, cursors: list });
  const after = cursors.at(-1);
  const key = `${filtersKey}|${after ?? ''}`;

  const [loaded] = useLoad(
    async (signal) => {
      const common = {
        agentName: filters.agent || undefined,
        userId: filters.user || undefined,
        status: (filters.status || undefined) as SessionStatus | undefined,
        since: instant(filters.since),
        until: instant(filters.until),
      };
      if (filters.q) {
        const { search: hits } = await client.request(ConsoleSearchDocument, { query: filters.q, first: PAGE, after, filter: common }, { signal });
        return {
          total: `${hits.totalCount}${hits.totalCountIsEstimate ? '+' : ''} matching messages`,
          pageInfo: hits.pageInfo,
          rows: hits.nodes.map((n): Row => ({ session: n.session, hit: { snippet: n.snippet, role: n.message.role, seq: n.message.seq } })),
        };
      }
      const { sessions } = await client.request(ConsoleSessionsDocument, { ...common, first: PAGE, after }, { signal });
      return { total: `${sessions.totalCount} sessions`, pageInfo: sessions.pageInfo, rows: sessions.nodes.map((session): Row => ({ session })) };
    },
    [key],
  );

  return (
    <>
      <h1>Sessions</h1>
      <form
        // A new address (Clear, back, forward) shows its own filters in the fields.
        key={filtersKey}
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget as HTMLFormElement);
          const query = new URLSearchParams();
          for (const name of FILTERS) {
            const value = String(data.get(name) ?? '').trim();
            if (value) query.set(name, value);
          }
          navigate(`${href.sessions()}${query.size ? `?${query}` : ''}`);
        }}
      >
        <label>
          Agent
          <input name="agent" defaultValue={filters.agent} />
        </label>
        <label>
          User
          <input name="user" defaultValue={filters.user} />
        </label>
        <label>
          Status
          <select name="status" defaultValue={filters.status}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option value={s}>{s.toLowerCase()}</option>
            ))}
          </select>
        </label>
        <label class="wide">
          Text in messages
          <input name="q" type="search" defaultValue={filters.q} placeholder='words, "a phrase", prefix*' />
        </label>
        <label>
          From
          <input name="since" type="datetime-local" defaultValue={filters.since} aria-describedby="time-range" />
        </label>
        <label>
          Until
          <input name="until" type="datetime-local" defaultValue={filters.until} aria-describedby="time-range" />
        </label>
        <p id="time-range" class="hint">
          When the sessions were created (with text: when the messages were written), from the first time up to but not including the second, in your time zone.
        </p>
        <div class="actions">
          <button type="submit">Apply filters</button>
          <a href={href.sessions()}>Clear</a>
        </div>
      </form>
      <Show loaded={loaded}>
        {({ total, rows, pageInfo }) => (
          <section aria-label="Results">
            <p class="count" role="status">
              {total}
            </p>
            {rows.length === 0 ? (
              <p>Nothing matches.</p>
            ) : (
              <div class="scroll">
                <table class="sessions">
                  <thead>
                    <tr>
                      <th scope="col">Session</th>
                      <th scope="col">Agent</th>
                      <th scope="col">User</th>
                      <th scope="col">Status</th>
                      <th scope="col">Created</th>
                      <th scope="col">{filters.q ? 'Match' : 'Updated'}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map(({ session, hit }) => (
                      <tr>
                        <td>
                          <a href={href.session(session.id)}>{session.id}</a>
                          {session.parentId && <span class="tag">fork</span>}
                        </td>
                        <td>{session.agentName}</td>
                        <td>{session.userId ?? '—'}</td>
                        <td>
                          <span class={`badge ${session.status.toLowerCase()}`}>{session.status.toLowerCase()}</span>
                        </td>
                        <td>
                          <Time at={session.createdAt} />
                        </td>
                        <td>
                          {hit ? (
                            <span class="snippet">
                              <span class="role">{hit.role.toLowerCase()} #{hit.seq}</span> {hit.snippet}
                            </span>
                          ) : (
                            <Time at={session.updatedAt} />
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager
              cursors={cursors}
              hasNext={pageInfo.hasNextPage}
              next={() => pageInfo.endCursor && setCursors([...cursors, pageInfo.endCursor])}
              previous={() => setCursors(cursors.slice(0, -1))}
            />
          </section>
        )}
      </Show>
    </>
  );
}
