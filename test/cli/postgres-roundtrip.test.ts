import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { testDatabase } from '../support/postgres.js';
import { expectRoundTrip } from './roundtrip.js';

/* The machine's PostgreSQL (as the backend contract uses it), in a throwaway database. */

describe('round trip through PostgreSQL', { timeout: 300_000 }, () => {
  let dir: string;
  let pg: Awaited<ReturnType<typeof testDatabase>>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-storage-cli-pg-'));
    pg = await testDatabase();
  });
  // DROP DATABASE waits for a checkpoint, which a busy machine can make slow; the hook's own
  // variables are taken first, so that a late clean-up never removes the next test's directory.
  afterEach(async () => {
    const [database, directory] = [pg, dir];
    rmSync(directory, { recursive: true, force: true });
    await database.drop();
  }, 180_000);

  it('SQLite → PostgreSQL → SQLite keeps every record exactly (ids, timestamps, JSON, order, seq)', async () => {
    await expectRoundTrip([`sqlite:${join(dir, 'a.db')}`, pg.url, `sqlite:${join(dir, 'c.db')}`], dir);
  });

  it('PostgreSQL → SQLite → PostgreSQL as well', async () => {
    const back = await testDatabase();
    try {
      await expectRoundTrip([pg.url, `sqlite:${join(dir, 'b.db')}`, back.url], dir);
    } finally {
      await back.drop();
    }
  });
});
