import { useEffect, useState } from 'preact/hooks';
import { ConsoleHistoryDocument, ConsoleSessionParentDocument, ConsoleSessionViewDocument, type ConsoleMessageFragment, type ConsoleSessionViewQuery } from '../../gql/graphql.js';
import { describe, sessionEvents } from '../api.js';
import { isObject } from '../diff.js';
import { useClient, useLoad } from '../hooks.js';
import { href } from '../router.js';
import { ArtifactsTab } from './artifacts.js';
import { Show, Time, useTitle } from './common.js';
import { JsonTree } from './json.js';
import { MetricsCharts } from './metrics.js';
import { StateTab } from './state.js';

type Tab = 'conversation' | 'state' | 'artifacts' | 'metrics';
const TABS: [Tab, string][] = [
  ['conversation', 'Conversation'],
  ['state', 'State'],
  ['artifacts', 'Artifacts'],
  ['metrics', 'Metrics'],
];

export function SessionPage({ id, tab }: { id: string; tab: Tab }) {
  useTitle(`Session ${id}`);
  const client = useClient();
  const [loaded] = useLoad(async (signal) => (await client.request(ConsoleSessionViewDocument, { id }, { signal })).session, [id]);
  return (
    <Show loaded={loaded}>
      {(session) =>
        !session ? (
          <>
            <h1>Session not found</h1>
            <p>
              There is no session <code>{id}</code> (or it expired). <a href={href.sessions()}>Back to the sessions</a>.
            </p>
          </>
        ) : (
          <>
            <h1>
              Session <span class="mono">{session.id}</span>
            </h1>
            <dl class="facts">
              <dt>Agent</dt>
              <dd>{session.agentName}</dd>
              <dt>User</dt>
              <dd>{session.userId ?? '—'}</dd>
              <dt>Status</dt>
              <dd>
                <span class={`badge ${session.status.toLowerCase()}`}>{session.status.toLowerCase()}</span>
              </dd>
              <dt>Created</dt>
              <dd>
                <Time at={session.createdAt} />
              </dd>
              <dt>Tokens</dt>
              <dd>
                {session.tokens.tokens} in {session.tokens.messages} messages
              </dd>
              {session.expiresAt && (
                <>
                  <dt>Expires</dt>
                  <dd>
                    <Time at={session.expiresAt} />
                  </dd>
                </>
              )}
            </dl>
            {Object.keys(session.metadata).length > 0 && (
              <details class="metadata">
                <summary>Metadata</summary>
                <JsonTree value={session.metadata} label="Session metadata" />
              </details>
            )}
            <ForkTree session={session} />
            <nav class="tabs" aria-label="Session views">
              {TABS.map(([name, label]) => (
                <a href={href.session(id, name === 'conversation' ? undefined : name)} aria-current={tab === name ? 'page' : undefined}>
                  {label}
                </a>
              ))}
            </nav>
            {tab === 'conversation' && <Conversation sessionId={id} />}
            {tab === 'state' && <StateTab sessionId={id} />}
            {tab === 'artifacts' && <ArtifactsTab sessionId={id} />}
            {tab === 'metrics' && <MetricsCharts sessionId={id} />}
          </>
        )
      }
    </Show>
  );
}

type ViewedSession = NonNullable<ConsoleSessionViewQuery['session']>;

/** Where this session sits among its forks: its ancestors (walked up by parentId), itself, its forks. */
function ForkTree({ session }: { session: ViewedSession }) {
  const client = useClient();
  const [ancestors] = useLoad(
    async (signal) => {
      const chain: { id: string; agentName: string }[] = [];
      let parentId = session.parentId;
      // Bounded: a chain of forks longer than this is shown from its 20 nearest ancestors.
      while (parentId && chain.length < 20) {
        const { session: parent } = await client.request(ConsoleSessionParentDocument, { id: parentId }, { signal });
        if (!parent) break; // deleted: the fork keeps its parentId
        chain.unshift(parent);
        parentId = parent.parentId;
      }
      return chain;
    },
    [session.id],
  );
  if (!session.parentId && session.forks.totalCount === 0) return null;
  return (
    <section class="forks" aria-labelledby="forks-title">
      <h2 id="forks-title">Forks</h2>
      <Show loaded={ancestors}>
        {(chain) => (
          <ul class="tree">
            {chain.map((a) => (
              <li>
                <a href={href.session(a.id)}>{a.id}</a> <span class="muted">{a.agentName}</span>
              </li>
            ))}
            {session.parentId && chain.length === 0 && (
              <li class="muted">
                parent <code>{session.parentId}</code> (deleted)
              </li>
            )}
            <li>
              <strong aria-current="true">{session.id}</strong> <span class="muted">(this session)</span>
              {session.forks.nodes.length > 0 && (
                <ul>
                  {session.forks.nodes.map((fork) => (
                    <li>
                      <a href={href.session(fork.id)}>{fork.id}</a> <span class="muted">{fork.agentName}</span>
                      {fork.forks.totalCount > 0 && <span class="muted"> · {fork.forks.totalCount} forks</span>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          </ul>
        )}
      </Show>
    </section>
  );
}

/** A structured item's kind in words: tool calls and their results by name, anything else by its `type`. */
function itemLabel(item: Record<string, unknown>): string {
  const type = typeof item.type === 'string' ? item.type : 'item';
  const name = typeof item.name === 'string' ? item.name : typeof item.toolName === 'string' ? item.toolName : null;
  return name ? `${type}: ${name}` : type;
}

/** Tool arguments often come as a JSON string: shown as a tree when they parse. */
function parsedItem(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...item };
  for (const key of ['arguments', 'output', 'args']) {
    const value = out[key];
    if (typeof value !== 'string') continue;
    try {
      out[key] = JSON.parse(value);
    } catch {
      // plain text stays text
    }
  }
  return out;
}

function MessageView({ message }: { message: ConsoleMessageFragment }) {
  const role = message.role.toLowerCase();
  const item = isObject(message.item) ? message.item : null;
  return (
    <li class={`message ${role}`} data-seq={message.seq}>
      <div class="meta">
        <span class={`role ${role}`}>{role}</span>
        <span class="muted">#{message.seq}</span>
        <Time at={message.timestamp} />
        {message.tokenCount !== null && message.tokenCount !== undefined && <span class="muted">{message.tokenCount} tokens</span>}
      </div>
      {message.content && <div class="content">{message.content}</div>}
      {item && (
        <details class="item" open={!message.content}>
          <summary>{itemLabel(item)}</summary>
          <JsonTree value={parsedItem(item)} label={`Structured item of message ${message.seq}`} />
        </details>
      )}
      {Object.keys(message.metadata).length > 0 && (
        <details class="item">
          <summary>metadata</summary>
          <JsonTree value={message.metadata} label={`Metadata of message ${message.seq}`} />
        </details>
      )}
    </li>
  );
}

const PAGE = 100;

/**
 * The conversation, newest page first, kept current by the change feed (SSE): the stream is opened
 * first and the history read each time it (re)connects, so a message written in between is in one
 * or the other, and messages are merged by id.
 */
function Conversation({ sessionId }: { sessionId: string }) {
  const client = useClient();
  const [messages, setMessages] = useState<Map<string, ConsoleMessageFragment>>(new Map());
  const [earlier, setEarlier] = useState<string | null>(null);
  const [live, setLive] = useState<'connecting' | 'live' | 'ended'>('connecting');
  const [error, setError] = useState('');
  const [deleted, setDeleted] = useState(false);

  const merge = (list: readonly ConsoleMessageFragment[]) =>
    setMessages((current) => {
      const next = new Map(current);
      for (const m of list) next.set(m.id, m);
      return next;
    });

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const readLatest = async () => {
      try {
        const { session } = await client.request(ConsoleHistoryDocument, { sessionId, last: PAGE }, { signal });
        if (!session) return;
        merge(session.history.nodes);
        setEarlier((current) => current ?? (session.history.pageInfo.hasPreviousPage ? (session.history.pageInfo.startCursor ?? null) : null));
      } catch (e) {
        if (!signal.aborted) setError(describe(e));
      }
    };
    void (async () => {
      try {
        const events = sessionEvents(client, sessionId, {
          signal,
          onConnect: () => {
            setLive('live');
            void readLatest();
          },
        });
        for await (const event of events) {
          if (event.__typename === 'MessageAdded') merge([event.message]);
          else if (event.__typename === 'HistoryCleared') setMessages(new Map());
          else if (event.__typename === 'SessionDeleted') setDeleted(true);
        }
      } catch (e) {
        if (!signal.aborted) setError(describe(e));
      }
      if (!signal.aborted) setLive('ended');
    })();
    return () => controller.abort();
  }, [sessionId, client]);

  const sorted = [...messages.values()].sort((a, b) => a.seq - b.seq);
  const loadEarlier = async () => {
    if (!earlier) return;
    try {
      const { session } = await client.request(ConsoleHistoryDocument, { sessionId, last: PAGE, before: earlier });
      if (!session) return;
      merge(session.history.nodes);
      setEarlier(session.history.pageInfo.hasPreviousPage ? (session.history.pageInfo.startCursor ?? null) : null);
    } catch (e) {
      setError(describe(e));
    }
  };

  return (
    <section aria-labelledby="conversation-title">
      <h2 id="conversation-title">Conversation</h2>
      <p class={`live ${live}`} role="status">
        {live === 'live' ? `Live: new messages appear as they are written (${sorted.length} shown)` : live === 'connecting' ? 'Connecting to the change feed…' : 'The live feed has ended'}
      </p>
      {deleted && (
        <p class="error" role="alert">
          This session has been deleted.
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {earlier && (
        <button type="button" onClick={loadEarlier}>
          Load earlier messages
        </button>
      )}
      {sorted.length === 0 && live === 'live' ? (
        <p>No messages yet.</p>
      ) : (
        <ol class="messages" aria-label="Messages">
          {sorted.map((m) => (
            <MessageView key={m.id} message={m} />
          ))}
        </ol>
      )}
    </section>
  );
}
