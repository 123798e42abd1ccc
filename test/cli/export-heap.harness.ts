/*
 * Child-process harness for the export memory test (run with `node --expose-gc --import tsx`):
 * runs the real `agent-storage export` command (runCli, as bin/agent-storage.mjs does) against the
 * database given as argv[2], into a destination that counts and discards the bytes. Every 256 KiB
 * it forces a garbage collection and samples the live heap; it prints the numbers as JSON.
 * Live heap after a full GC is what the export keeps, unlike `heapUsed` at a random moment, which
 * also counts garbage not yet collected.
 */
import { Writable } from 'node:stream';
import { runCli } from '../../src/cli/run.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const SAMPLE_EVERY = 256 * 1024;
let bytes = 0;
let nextSample = SAMPLE_EVERY;
const samples: number[] = [];
let peakHeapUsed = 0;

const discard = new Writable({
  highWaterMark: 64 * 1024,
  write(chunk: Buffer, _encoding, callback) {
    bytes += chunk.length;
    peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed);
    if (bytes >= nextSample) {
      nextSample += SAMPLE_EVERY;
      gc();
      samples.push(process.memoryUsage().heapUsed);
    }
    setImmediate(callback); // an asynchronous destination, as a pipe or a file is: backpressure happens
  },
});
const stderr: string[] = [];
const code = await runCli(['export', '--database', process.argv[2]!], {
  env: {},
  stdin: process.stdin,
  stdout: discard,
  stderr: new Writable({
    write(chunk: Buffer, _encoding, callback) {
      stderr.push(chunk.toString());
      callback();
    },
  }),
});
process.stdout.write(
  `${JSON.stringify({
    code,
    stderr: stderr.join(''),
    bytes,
    samples: samples.length,
    /** Live heap after GC at the first sample (modules loaded, database open, first page written). */
    first: samples[0] ?? 0,
    /** Largest live heap after GC during the export. */
    peak: Math.max(0, ...samples),
    /** Largest heapUsed seen at any write, garbage included. */
    peakHeapUsed,
  })}\n`,
);
