import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, withStorage } from './support.js';

/*
 * Export memory stays flat: the live heap during an export of 20,000 messages is the same as
 * during an export of 5,000, and the real command exports a bundle larger than the heap it is
 * allowed. Measured in child processes (live heap after forced GCs, not timing), so the numbers
 * are the export's alone.
 */

const MiB = 1024 * 1024;
const CONTENT = 'lorem ipsum dolor sit amet '.repeat(80); // ~2 KiB per message

interface HeapReport {
  code: number;
  stderr: string;
  bytes: number;
  samples: number;
  first: number;
  peak: number;
  peakHeapUsed: number;
}

async function seed(url: string, messages: number): Promise<void> {
  await withStorage(url, async (storage) => {
    for (let s = 0; s < messages / 5000; s++) {
      const session = await storage.sessions.create({ agentName: 'bulk', userId: null, status: 'active', metadata: {} });
      for (let batch = 0; batch < 5; batch++) {
        await storage.history.addMany(session.id, Array.from({ length: 1000 }, (_, i) => ({ role: 'user' as const, content: `${s}/${batch}/${i} ${CONTENT}`, metadata: { i } })));
      }
    }
  });
}

async function measure(url: string): Promise<HeapReport> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(REPO, 'test/cli/export-heap.harness.ts'), url],
    { cwd: REPO, maxBuffer: 1 * MiB },
  );
  return JSON.parse(stdout) as HeapReport;
}

describe('export memory', { timeout: 300_000 }, () => {
  let dir: string;
  const small = () => `sqlite:${join(dir, 'small.db')}`;
  const large = () => `sqlite:${join(dir, 'large.db')}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-storage-memory-'));
    await seed(small(), 5_000);
    await seed(large(), 20_000);
  }, 300_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('the live heap does not grow with the number of messages (5k vs 20k)', async () => {
    const a = await measure(small());
    const b = await measure(large());
    const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
    console.info(
      `export heap (live after GC): 5k messages: ${mib(a.peak)} peak for a ${mib(a.bytes)} bundle; ` +
        `20k messages: ${mib(b.peak)} peak for a ${mib(b.bytes)} bundle; heapUsed peaks incl. garbage: ${mib(a.peakHeapUsed)} / ${mib(b.peakHeapUsed)}`,
    );
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/20000 messages/);
    expect(b.bytes).toBeGreaterThan(3.5 * a.bytes);
    expect(b.samples).toBeGreaterThan(100);
    // four times the data, the same memory: the difference is a few pages' worth at most,
    // against ~35 MiB more bundle
    expect(b.peak - a.peak).toBeLessThan(4 * MiB);
    expect(b.peak - b.first).toBeLessThan(4 * MiB);
    expect(b.peak).toBeLessThan(b.bytes / 2);
  });

  it('the real command exports a bundle larger than the heap it may use', async () => {
    const out = join(dir, 'large.jsonl');
    const run = await runCli(['export', '--database', large(), '--out', out], { nodeOptions: ['--max-old-space-size=32'], timeoutMs: 240_000 });
    expect(run.stderr).toMatch(/^Exported 4 sessions \(20000 messages/);
    expect(run.code).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(40 * MiB);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual({ type: 'footer', sessions: 4, messages: 20000, states: 0, artifacts: 0, metrics: 0, contents: 0, blobs: 0 });
  });
});
