import { Component, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentStorageClient } from '../../client/index.js';
import { forgetKey, probe, storedKey } from './api.js';
import { ClientContext } from './hooks.js';
import { href, parse, useLocation } from './router.js';
import { MetricsPage } from './views/metrics.js';
import { SessionPage } from './views/session.js';
import { SessionsPage } from './views/sessions.js';
import { ThreadPage, ThreadsPage } from './views/threads.js';

type Connection = { state: 'checking' } | { state: 'login'; message: string } | { state: 'ready'; client: AgentStorageClient; keyed: boolean };

export function App() {
  const [connection, setConnection] = useState<Connection>({ state: 'checking' });

  useEffect(() => {
    // A key kept from earlier in this tab, else none: a service without authentication needs none.
    void probe(storedKey()).then((result) =>
      setConnection(result.ok ? { state: 'ready', client: result.client, keyed: storedKey() !== null } : { state: 'login', message: result.message }),
    );
  }, []);

  if (connection.state === 'checking') return <p class="status" role="status">Connecting…</p>;
  if (connection.state === 'login') {
    return (
      <Login
        message={connection.message}
        onLogin={async (key) => {
          const result = await probe(key);
          if (result.ok) setConnection({ state: 'ready', client: result.client, keyed: true });
          return result.ok ? '' : result.message;
        }}
      />
    );
  }
  const logout = () => {
    forgetKey();
    setConnection({ state: 'login', message: '' });
  };
  return (
    <ClientContext.Provider value={connection.client}>
      <Shell onLogout={connection.keyed ? logout : null} />
    </ClientContext.Provider>
  );
}

function Login({ message, onLogin }: { message: string; onLogin: (key: string) => Promise<string> }) {
  const [error, setError] = useState(message);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    document.title = 'Sign in · Agent storage console';
    // Ready to type into (an `autofocus` attribute counts only while the page loads).
    field.current?.focus();
  }, []);
  return (
    <main class="login">
      <h1>Agent storage console</h1>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const input = (event.currentTarget as HTMLFormElement).elements.namedItem('key') as HTMLInputElement;
          const key = input.value.trim();
          if (!key) return setError('Type an API key.');
          setBusy(true);
          const refused = await onLogin(key);
          setBusy(false);
          if (refused) {
            setError(refused);
            input.value = '';
            input.focus();
          }
        }}
      >
        <label for="key">API key</label>
        <input ref={field} id="key" name="key" type="password" autocomplete="off" required aria-describedby="key-help key-error" />
        <p id="key-help" class="hint">
          Kept in this tab's session storage only, until you sign out or close the tab.
        </p>
        <p id="key-error" class="error" role="alert">
          {error}
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function Shell({ onLogout }: { onLogout: (() => void) | null }) {
  const { pathname } = useLocation();
  const route = parse(pathname);
  const section = route.page === 'session' ? 'sessions' : route.page === 'thread' ? 'threads' : route.page;
  const link = (to: string, name: string, label: string) => (
    <a href={to} aria-current={section === name ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <>
      <header class="top">
        <a class="brand" href={href.sessions()}>
          Agent storage
        </a>
        <nav aria-label="Sections">
          {link(href.sessions(), 'sessions', 'Sessions')}
          {link(href.metrics(), 'metrics', 'Metrics')}
          {link(href.threads(), 'threads', 'Threads')}
        </nav>
        {onLogout && (
          <button type="button" class="logout" onClick={onLogout}>
            Sign out
          </button>
        )}
      </header>
      <main id="main">
        <Boundary key={pathname}>
        {route.page === 'sessions' && <SessionsPage />}
        {route.page === 'session' && <SessionPage key={route.id} id={route.id} tab={route.tab} />}
        {route.page === 'metrics' && <MetricsPage />}
        {route.page === 'threads' && <ThreadsPage />}
        {route.page === 'thread' && <ThreadPage key={route.id} id={route.id} />}
        {route.page === 'missing' && (
          <>
            <h1>Not found</h1>
            <p>
              Nothing lives at this address. <a href={href.sessions()}>Back to the sessions</a>.
            </p>
          </>
        )}
        </Boundary>
      </main>
    </>
  );
}

/** A view that fails to render says so, instead of taking the whole page down; another page starts afresh. */
class Boundary extends Component<{ children: ComponentChildren }, { error: string | null }> {
  override state = { error: null as string | null };
  override componentDidCatch(error: unknown) {
    this.setState({ error: error instanceof Error ? error.message : String(error) });
  }
  override render() {
    return this.state.error ? (
      <p class="error" role="alert">
        This view failed: {this.state.error}
      </p>
    ) : (
      this.props.children
    );
  }
}
