import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { messageContent, messageMetadata } from '../lib/data.js';
import { type BenchOptions, ROOT, selected } from '../lib/options.js';
import { runCommand, runJsonChild, sampleRss } from '../lib/processes.js';
import type { BenchReport } from '../lib/report.js';

/*
 * The peers of `npm run bench` (ids `peer/…`, `--only=peer`): stores agents use today in process,
 * each with the dependencies of a folder of its own (bench/peers/<name>/: package.json and a
 * committed package-lock.json), installed with `npm ci` on first use, so that their trees stay out
 * of the project's `npm ci`. Each runs in a process of its own. Without the packages (offline, say)
 * a peer is skipped with the reason, and the ratios that need it show N/A.
 */

export interface PeersBench {
  options: BenchOptions;
  work: string;
  report: BenchReport;
  log(message: string): void;
}

export const MASTRA_ROW = 'peer/mastra.libsql.saveMessages';

interface SaveMessagesResult {
  messages: number;
  messagesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  rssMb: number;
}

export async function peersSection(bench: PeersBench): Promise<void> {
  const { options, report, log } = bench;
  if (!selected(options, MASTRA_ROW)) return void report.skipped.push(`${MASTRA_ROW}: not selected (--only)`);
  if (!options.peers) return void report.skipped.push(`${MASTRA_ROW}: peers disabled (--no-peers / BENCH_PEERS=0)`);

  const dir = join(ROOT, 'bench/peers/mastra');
  const failed = await installOnce(dir, '@mastra/libsql + @mastra/core', log);
  if (failed) return void report.skipped.push(`${MASTRA_ROW}: ${failed}`);

  log(`${MASTRA_ROW}: ${options.durationSec} s of saveMessages, one message per call`);
  const input = { file: join(bench.work, 'mastra-libsql.db'), durationSec: options.durationSec, warmupSec: options.warmupSec, content: messageContent(1), metadata: messageMetadata(1) };
  let sampler: ReturnType<typeof sampleRss> | undefined;
  const result = await runJsonChild<SaveMessagesResult>(['--import', 'tsx', join(dir, 'save-messages.mjs')], input, (pid) => (sampler = sampleRss(pid)));
  report.rows.push({
    id: MASTRA_ROW, group: 'peer', scenario: 'mastra.libsql.saveMessages',
    description: 'Mastra LibSQLStore.saveMessages in process, file on disk, one message per call, one call at a time: messages/s',
    connections: 1, reqPerSec: result.messagesPerSec, mbPerSec: null, p50Ms: result.p50Ms, p99Ms: result.p99Ms, rssMb: sampler?.stop().peakMb ?? result.rssMb, errors: 0,
  });
}

/**
 * `npm ci` in a peer's folder unless its node_modules was installed from the same lock file (a stamp
 * holds the lock's hash); the time it took goes to the log. Null when installed, else why not.
 */
async function installOnce(dir: string, what: string, log: (message: string) => void): Promise<string | null> {
  const lock = createHash('sha256').update(readFileSync(join(dir, 'package-lock.json'))).digest('hex');
  const stamp = join(dir, 'node_modules/.bench-installed-lock');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) return null;
  const folder = dir.slice(ROOT.length + 1);
  log(`first use of ${folder}: installing ${what} (npm ci, about 40 s and 270 MB, once)`);
  const started = performance.now();
  try {
    await runCommand('npm', ['ci', '--no-audit', '--no-fund'], dir);
  } catch (error) {
    const reason = (error as Error).message.split('\n').filter((line) => /error/i.test(line) && !/complete log/.test(line)).slice(0, 3).join(' ').slice(0, 300);
    log(`install in ${folder} failed: ${reason}`);
    return `npm ci in ${folder} failed (${reason || 'no error line'})`;
  }
  writeFileSync(stamp, lock);
  log(`installed ${folder} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return null;
}
