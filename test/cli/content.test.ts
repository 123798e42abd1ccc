import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionInput, parseInput } from '../../src/domain/inputs.js';
import { testSchema, type TestSchema } from '../support/postgres.js';
import { bytesOf, saveBytes } from './roundtrip.js';
import { linesOf, parseSummary, runCli, snapshot, withStorage } from './support.js';

/* Artifact content through the real command: SQLite (blob files) → PostgreSQL (blob chunks) → SQLite. */

describe('content in bundles, across backends', { timeout: 300_000 }, () => {
  let dir: string;
  let pg: TestSchema;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-storage-cli-content-'));
    pg = testSchema();
  });
  afterEach(async () => {
    const [schema, directory] = [pg, dir];
    rmSync(directory, { recursive: true, force: true });
    await schema.drop();
  });

  it("an expired session's content is exported too; SQLite → PostgreSQL → SQLite keeps its versions and bytes", async () => {
    const a = `sqlite:${join(dir, 'a.db')}`;
    const c = `sqlite:${join(dir, 'c.db')}`;
    const big = bytesOf(3 * 1024 * 1024 + 5, 1);
    let sha = '';
    await withStorage(a, async (storage, backend, clock) => {
      const session = await storage.sessions.create(parseInput(createSessionInput, { agentName: 'expiring', ttlSeconds: 60 }));
      const artifact = await storage.artifacts.create({ sessionId: session.id, name: 'big.bin', type: 'file', path: '/big.bin', size: 0, metadata: {} });
      sha = (await saveBytes(storage, artifact.id, big)).sha256;
      await saveBytes(storage, artifact.id, big); // the same bytes again: one blob
      clock.advance(120_000);
      expect(await storage.sessions.byIds([session.id])).toEqual([]); // expired, not yet swept
      expect((await backend.stores.blobs.rows.rowsOf([sha])).get(sha)).toBe(0); // a file
    });
    const source = await snapshot(a);
    expect(Object.values(source.sessions[0]!.contents)[0]!.versions.map((v) => v.read)).toEqual([sha, sha]);

    const first = join(dir, 'a.jsonl');
    expect((await runCli(['export', '--database', a, '--out', first])).code).toBe(0);
    const lines = linesOf(readFileSync(first, 'utf8'));
    expect(lines.filter((l) => l.type === 'blob')).toEqual([{ type: 'blob', sha256: sha, size: big.length, chunks: 4 }]);
    expect(lines.filter((l) => l.type === 'blob_chunk').map((l) => l.seq)).toEqual([0, 1, 2, 3]);
    expect(lines.filter((l) => l.type === 'artifact_content')).toHaveLength(2);

    const imported = await runCli(['import', '--database', pg.url, '--in', first]);
    expect(imported.stderr).toBe('');
    expect(parseSummary(imported.stdout)).toMatchObject({ contents: { imported: 2, present: 0 }, blobs: { imported: 1, present: 0 } });
    expect(await snapshot(pg.url)).toEqual(source);
    await withStorage(pg.url, async (_storage, backend) => expect((await backend.stores.blobs.rows.rowsOf([sha])).get(sha)).toBeGreaterThan(0)); // chunks

    const second = join(dir, 'pg.jsonl');
    expect((await runCli(['export', '--database', pg.url, '--out', second])).code).toBe(0);
    expect(readFileSync(second, 'utf8').split('\n').slice(1)).toEqual(readFileSync(first, 'utf8').split('\n').slice(1));
    expect((await runCli(['import', '--database', c, '--in', second])).code).toBe(0);
    expect(await snapshot(c)).toEqual(source);
    expect(existsSync(join(dir, 'c.db-blobs', sha.slice(0, 2), sha.slice(2, 4), sha))).toBe(true);

    // again: nothing new, the bytes only checked
    const again = await runCli(['import', '--database', pg.url, '--in', second]);
    expect(again.code).toBe(0);
    expect(parseSummary(again.stdout)).toMatchObject({ contents: { imported: 0, present: 2 }, blobs: { imported: 0, present: 1 } });
    expect(await snapshot(pg.url)).toEqual(source);
  });
});
