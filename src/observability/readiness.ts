import { DomainError } from '../domain/errors.js';
import type { Storage } from '../storage/storage.js';

/**
 * Readiness (`GET /ready`), apart from liveness (`GET /health`): whether a load balancer or an
 * orchestrator should send this process traffic now. Not while it is starting (until the process
 * says it is ready) or shutting down (from the first signal: requests still arrive on kept-alive
 * connections while it drains, and the balancer should move new ones elsewhere), nor while the
 * database — or, with CACHE_BACKEND=redis, Redis — does not answer.
 */

export type ReadinessState = 'starting' | 'ready' | 'stopping';

/** How long one dependency may take to answer a probe before it counts as down. */
const CHECK_TIMEOUT_MS = 2000;

export interface ReadinessReport {
  ready: boolean;
  state: ReadinessState;
  /** Each dependency checked: `ok`, or why not. */
  checks: Record<string, string>;
}

export class Readiness {
  private current: ReadinessState = 'starting';

  constructor(private readonly storage: Storage) {}

  get state(): ReadinessState {
    return this.current;
  }

  /** Started: traffic may come (unless a dependency is down). */
  ready(): void {
    if (this.current === 'starting') this.current = 'ready';
  }

  /** Shutting down: for good. */
  stopping(): void {
    this.current = 'stopping';
  }

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, string> = {};
    const cache = this.storage.cache.store;
    await Promise.all([
      check(checks, 'database', () => this.storage.backend.ping()),
      ...(cache.ping ? [check(checks, 'cache', () => cache.ping!())] : []),
    ]);
    const ready = this.current === 'ready' && Object.values(checks).every((result) => result === 'ok');
    return { ready, state: this.current, checks };
  }
}

const timedOut = new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`);

async function check(into: Record<string, string>, name: string, probe: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timedOut), CHECK_TIMEOUT_MS);
      }),
    ]);
    into[name] = 'ok';
  } catch (error) {
    // A short reason for the operator; never a driver's message, which may name hosts or users.
    into[name] = error instanceof DomainError ? error.message : error === timedOut ? timedOut.message : 'does not answer';
  } finally {
    clearTimeout(timer);
  }
}
