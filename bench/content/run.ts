import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, open, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BACKENDS, type PreparedDatabase } from '../lib/backends.js';
import { type BenchOptions, selected } from '../lib/options.js';
import { sampleRss, type ServerChild } from '../lib/processes.js';
import { type BenchReport, ratio, type Row } from '../lib/report.js';

/*
 * The artifact content section of `npm run bench` (ids `content/…`, `--only=content`): one client
 * uploads a 256 MiB file (16 MiB with --quick) with `PUT /storage/artifacts/{id}/content` (a
 * streamed body, Content-Length known, Content-SHA256 sent) and downloads it with `GET …/content`
 * (the body read and dropped), against `fs.copyFile` of the same file on the same disk, in the same
 * run: SQLite with the filesystem store, PostgreSQL with the database store. Each is run RUNS
 * times; the median time is what the ratios compare. Between uploads the content is deleted, so that
 * each upload stores a new blob rather than finding it there. Every download's length is checked,
 * and one download per backend is hashed (untimed) against the file.
 */

export interface ContentBench {
  options: BenchOptions;
  work: string;
  report: BenchReport;
  log(message: string): void;
  startService(databaseUrl: string, name: string, env?: Record<string, string>): Promise<ServerChild>;
}

const RUNS = 3;
const MiB = 1024 * 1024;

/** A file of `size` incompressible bytes (an AES-256-CTR keystream), written and fsynced; its sha256. */
async function makeFile(path: string, size: number): Promise<string> {
  const cipher = createCipheriv('aes-256-ctr', createHash('sha256').update('content-bench').digest(), Buffer.alloc(16));
  const hash = createHash('sha256');
  const zeros = Buffer.alloc(MiB);
  const file = await open(path, 'w');
  try {
    for (let written = 0; written < size; written += MiB) {
      const piece = cipher.update(zeros.subarray(0, Math.min(MiB, size - written)));
      hash.update(piece);
      await file.write(piece);
    }
    await file.sync();
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

/** One HTTP exchange: a body from `source` (or none), the response read (and hashed when asked). */
function exchange(url: string, method: string, headers: Record<string, string>, source: string | null, hash = false): Promise<{ status: number; bytes: number; sha256: string | null; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const hasher = hash ? createHash('sha256') : null;
      const small: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.byteLength;
        hasher?.update(chunk);
        if (bytes <= 64 * 1024) small.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, sha256: hasher?.digest('hex') ?? null, text: Buffer.concat(small).toString('utf8') }));
    });
    req.on('error', reject);
    if (source === null) req.end();
    else pipeline(createReadStream(source, { highWaterMark: MiB }), req).catch(reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function json(url: string, method: string, body: unknown): Promise<any> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function contentSection(bench: ContentBench): Promise<void> {
  const { options, report, log, work } = bench;
  const backends = (['sqlite', 'postgres'] as const).filter((b) => selected(options, `content/${b}`));
  if (backends.length === 0) {
    report.skipped.push('content: not selected (--only)');
    return;
  }
  const size = options.quick ? 16 * MiB : 256 * MiB;
  const source = join(work, 'content-source.bin');
  const copy = join(work, 'content-copy.bin');
  const sha256 = await makeFile(source, size);
  const mb = size / 1e6;
  const measured: Record<string, { copy: number; durableCopy: number; upload: number; download: number }> = {};

  for (const backend of backends) {
    const database: PreparedDatabase | { skip: string } =
      backend === 'sqlite'
        ? { databaseUrl: `sqlite:${join(work, 'content.db')}`, cleanup: async () => {} }
        : await BACKENDS.find((b) => b.name === backend)!.prepare(work, options);
    if ('skip' in database) {
      report.skipped.push(`content on ${backend}: ${database.skip}`);
      continue;
    }
    let server: ServerChild | null = null;
    try {
      const store = backend === 'sqlite' ? 'filesystem' : 'database';
      // A slow disk may take longer than the default minute to take in the whole body.
      server = await bench.startService(database.databaseUrl, `service on ${backend} (content, ${store} store)`, { BLOB_STORE: store, HTTP_REQUEST_TIMEOUT_MS: '600000' });
      const session = await json(`${server.url}/storage/sessions`, 'POST', { agent_name: 'content-bench' });
      const artifact = await json(`${server.url}/storage/artifacts`, 'POST', { session_id: session.id, name: 'bench.bin', type: 'application/octet-stream', path: '/bench.bin', size: 0 });
      const contentUrl = `${server.url}/storage/artifacts/${artifact.id}/content`;

      // The baseline beside each backend's runs, so that both see the same state of the disk.
      const copyMs: number[] = [];
      const durableCopyMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        let began = performance.now();
        await copyFile(source, copy);
        copyMs.push(performance.now() - began);
        await rm(copy);
        // The same, made durable as an upload is before it is acknowledged (info).
        began = performance.now();
        await copyFile(source, copy);
        const handle = await open(copy, 'r');
        await handle.sync();
        await handle.close();
        durableCopyMs.push(performance.now() - began);
        await rm(copy);
      }

      const uploadMs: number[] = [];
      const downloadMs: number[] = [];
      const sampler = sampleRss(server.pid, 100);
      for (let i = 0; i < RUNS; i++) {
        let began = performance.now();
        const put = await exchange(contentUrl, 'PUT', { 'content-type': 'application/octet-stream', 'content-length': String(size), 'content-sha256': sha256 }, source);
        uploadMs.push(performance.now() - began);
        if (put.status !== 201) throw new Error(`content/${backend}: upload answered ${put.status} ${put.text}`);
        began = performance.now();
        const got = await exchange(contentUrl, 'GET', {}, null);
        downloadMs.push(performance.now() - began);
        if (got.status !== 200 || got.bytes !== size) throw new Error(`content/${backend}: download answered ${got.status} with ${got.bytes} bytes, expected ${size}`);
        if (i === 0) {
          const hashed = await exchange(contentUrl, 'GET', {}, null, true);
          if (hashed.sha256 !== sha256) throw new Error(`content/${backend}: the download hashes to ${hashed.sha256}, the file to ${sha256}`);
        }
        const deleted = await fetch(contentUrl, { method: 'DELETE' });
        if (deleted.status !== 200) throw new Error(`content/${backend}: delete answered ${deleted.status}`);
      }
      const rssPeak = sampler.stop().peakMb;
      measured[backend] = { copy: median(copyMs), durableCopy: median(durableCopyMs), upload: median(uploadMs), download: median(downloadMs) };
      log(`content/${backend}: copyFile ${(mb / (median(copyMs) / 1000)).toFixed(0)} MB/s, upload ${(mb / (median(uploadMs) / 1000)).toFixed(0)} MB/s, download ${(mb / (median(downloadMs) / 1000)).toFixed(0)} MB/s`);
      const row = (scenario: string, description: string, times: number[], rssMb: number | null): Row => ({
        id: `content/${backend}.${scenario}`,
        group: 'content',
        scenario: `${backend}.${scenario}`,
        description,
        connections: 1,
        reqPerSec: 1000 / median(times),
        mbPerSec: mb / (median(times) / 1000),
        p50Ms: median(times),
        p99Ms: Math.max(...times),
        rssMb,
        errors: 0,
      });
      const mibs = size / MiB;
      report.rows.push(
        row('copyFile', `fs.copyFile of the ${mibs} MiB file on the same disk (median and max of ${RUNS})`, copyMs, null),
        row('copyFile+fsync', `the same, then the copy fsynced (as an upload is before its 201)`, durableCopyMs, null),
        row('upload', `PUT /storage/artifacts/{id}/content, ${mibs} MiB streamed from the file, ${store} store`, uploadMs, rssPeak),
        row('download', `GET /storage/artifacts/{id}/content, ${mibs} MiB read and dropped, ${store} store`, downloadMs, rssPeak),
      );
    } finally {
      await server?.stop();
      await database.cleanup().catch((error: unknown) => log(`content: database cleanup failed: ${(error as Error).message}`));
      await rm(copy, { force: true });
    }
  }
  await rm(source, { force: true });
  for (const [backend, m] of Object.entries(measured)) {
    const basis = `one client, ${size / MiB} MiB, median of ${RUNS}; copyFile of the same file on the same disk in the same run`;
    report.ratios.push(
      ratio(`content.${backend}.upload`, `content (${backend}): upload MB/s / fs.copyFile MB/s`, m.copy, m.upload, '>=', 0.5, basis),
      ratio(`content.${backend}.download`, `content (${backend}): download MB/s / fs.copyFile MB/s`, m.copy, m.download, '>=', 0.5, basis),
      ratio(`content.${backend}.upload.vs.durable`, `content (${backend}): upload MB/s / fs.copyFile then fsync MB/s (info)`, m.durableCopy, m.upload, 'info', null, 'what durability alone costs the copy'),
    );
  }
}
