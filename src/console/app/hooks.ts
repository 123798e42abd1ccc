import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { AgentStorageClient } from '../../client/index.js';
import { describe } from './api.js';

export const ClientContext = createContext<AgentStorageClient | null>(null);

export function useClient(): AgentStorageClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('no client: the console renders pages only once connected');
  return client;
}

export type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; value: T };

/** Runs `load` when `deps` change (the previous run's result is dropped: its signal aborts). */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setResult({ state: 'loading' });
    load(controller.signal).then(
      (value) => controller.signal.aborted || setResult({ state: 'done', value }),
      (error: unknown) => controller.signal.aborted || setResult({ state: 'error', message: describe(error) }),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  return [result, () => setRound((n) => n + 1)];
}
