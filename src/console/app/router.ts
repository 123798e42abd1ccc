import { useEffect, useState } from 'preact/hooks';

/**
 * Path routing below /console/ with the History API (the server answers every such path with the
 * page). Links are real `<a href>`s — keyboard, middle-click and "copy link" work — whose clicks
 * are taken over here.
 */

export const BASE = '/console';

export type Route =
  | { page: 'sessions' }
  | { page: 'session'; id: string; tab: 'conversation' | 'state' | 'artifacts' | 'metrics' }
  | { page: 'metrics' }
  | { page: 'threads' }
  | { page: 'thread'; id: string }
  | { page: 'missing' };

export function parse(pathname: string): Route {
  const parts = pathname
    .slice(BASE.length)
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  const [first, id, tab, ...rest] = parts;
  if (parts.length === 0) return { page: 'sessions' };
  if (first === 'sessions' && id && rest.length === 0) {
    if (tab === undefined) return { page: 'session', id, tab: 'conversation' };
    if (tab === 'state' || tab === 'artifacts' || tab === 'metrics') return { page: 'session', id, tab };
  }
  if (first === 'metrics' && parts.length === 1) return { page: 'metrics' };
  if (first === 'threads' && parts.length === 1) return { page: 'threads' };
  if (first === 'threads' && id && parts.length === 2) return { page: 'thread', id };
  return { page: 'missing' };
}

export const href = {
  sessions: () => `${BASE}/`,
  session: (id: string, tab?: 'state' | 'artifacts' | 'metrics') => `${BASE}/sessions/${encodeURIComponent(id)}${tab ? `/${tab}` : ''}`,
  metrics: () => `${BASE}/metrics`,
  threads: () => `${BASE}/threads`,
  thread: (id: string) => `${BASE}/threads/${encodeURIComponent(id)}`,
};

export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current location, re-rendered on navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const onPop = () => setTick((n) => n + 1);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  return { pathname: location.pathname, search: new URLSearchParams(location.search) };
}

/** Follows clicks on same-origin links below /console/ without reloading the page. */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element).closest('a');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(`${BASE}/`)) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}
