import { join } from 'node:path';
import pg from 'pg';
import type { BenchOptions } from './options.js';

/**
 * The databases the service is benchmarked on. Each entry makes a fresh, empty database and says
 * how to drop it; the service is then started with that DATABASE_URL and runs the same scenarios.
 * Adding a backend is one entry here.
 */
export interface BackendTarget {
  name: string;
  /** A fresh database, or why this backend cannot run here. */
  prepare(workDir: string, options: BenchOptions): Promise<PreparedDatabase | { skip: string }>;
}

export interface PreparedDatabase {
  databaseUrl: string;
  cleanup(): Promise<void>;
}

const sqlite: BackendTarget = {
  name: 'sqlite',
  prepare: async (workDir) => ({ databaseUrl: `sqlite:${join(workDir, 'service.db')}`, cleanup: async () => {} }),
};

/**
 * A throwaway database on the local server (127.0.0.1:5432, user postgres, trust auth by default;
 * BENCH_PG_ADMIN_URL overrides), dropped afterwards. Whether the service supports PostgreSQL is
 * found out by starting it: a version that refuses `postgres://` is reported as skipped.
 */
const postgres: BackendTarget = {
  name: 'postgres',
  prepare: async (_workDir, options) => {
    if (options.postgres === 'off') return { skip: 'postgres: disabled (--no-postgres / BENCH_POSTGRES=0)' };
    const admin = new pg.Client({ connectionString: options.postgresAdminUrl, connectionTimeoutMillis: 2000 });
    try {
      await admin.connect();
    } catch (error) {
      return { skip: `postgres: no server at ${redact(options.postgresAdminUrl)} (${(error as Error).message})` };
    }
    const name = `agent_storage_bench_${process.pid}_${Date.now()}`;
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const url = new URL(options.postgresAdminUrl);
    url.pathname = `/${name}`;
    return {
      databaseUrl: url.toString(),
      cleanup: async () => {
        const dropper = new pg.Client({ connectionString: options.postgresAdminUrl });
        await dropper.connect();
        try {
          await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await dropper.end();
        }
      },
    };
  },
};

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

export const BACKENDS: readonly BackendTarget[] = [sqlite, postgres];
