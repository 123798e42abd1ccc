import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { Loaded } from '../hooks.js';

/** The page's title, as the tab and assistive technology announce it. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Agent storage console`;
  }, [title]);
}

/** What a load is doing: a status while it runs, an alert when it fails, `children` when done. */
export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (value: T) => ComponentChildren }) {
  if (loaded.state === 'loading') return <p class="status" role="status">Loading…</p>;
  if (loaded.state === 'error') return <p class="error" role="alert">{loaded.message}</p>;
  return <>{children(loaded.value)}</>;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function Time({ at }: { at: string }) {
  return <time dateTime={at}>{dateTime.format(new Date(at))}</time>;
}

export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Back and forward through a connection's pages: the cursors of the pages before are kept. */
export function Pager({ cursors, hasNext, next, previous }: { cursors: readonly string[]; hasNext: boolean; next: () => void; previous: () => void }) {
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" onClick={previous} disabled={cursors.length === 0}>
        Previous page
      </button>
      <span>Page {cursors.length + 1}</span>
      <button type="button" onClick={next} disabled={!hasNext}>
        Next page
      </button>
    </nav>
  );
}
