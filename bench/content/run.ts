import { execFile, spawnSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { BACKENDS, type PreparedDatabase } from '../lib/backends.js';
import { type BenchOptions, selected } from '../lib/options.js';
import { sampleRss, type ServerChild, startServer } from '../lib/processes.js';
import { type BenchReport, ratio, type Row } from '../lib/report.js';
import { transpileToBuild } from '../lib/transpile.js';

/*
 * The artifact content section of `npm run bench` (ids `content/…`, `--only=content`): one client
 * uploads a 256 MiB file (16 MiB with --quick) with `PUT /storage/artifacts/{id}/content` (a
 * streamed body, Content-Length known, Content-SHA256 sent) and downloads it with `GET …/content`
 * (the body read and dropped), against `fs.copyFile` of the same file on the same disk, in the same
 * run: SQLite with the filesystem store, PostgreSQL with the database store. Each is run RUNS
 * times; the median time is what the ratios compare. Between uploads the content is deleted, so that
 * each upload stores a new blob rather than finding it there. Every download's length is checked,
 * and one download per backend is hashed (untimed) against the file.
 *
 * Also in the same run, the ceiling of any Node.js server here (bench/servers/blob-ceiling.ts):
 * bare node:http taking the same body in (hashed, written, fsynced, renamed) and sending it back,
 * through the same client. The timed transfers use curl when the machine has it: node:http's own
 * client reads a big body at a fraction of what the service sends (~0.5–0.9 GB/s against curl's
 * ~2 GB/s here), and a benchmark whose client is the bottleneck measures the client.
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

/** Whether the timed transfers go through curl (see the top of this file). */
const CURL = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
const CLIENT = CURL ? 'curl' : 'node:http';

/**
 * One timed HTTP exchange: a body from `source` (then the answer's first 64 KiB are kept in
 * `text`), or none (then the answer is dropped); its status, the bytes received and how long it took.
 */
async function transfer(url: string, method: string, headers: Record<string, string>, source: string | null, scratch: string): Promise<{ status: number; bytes: number; ms: number; text: string }> {
  if (!CURL) {
    const began = performance.now();
    const { status, bytes, text } = await exchange(url, method, headers, source);
    return { status, bytes, ms: performance.now() - began, text };
  }
  // A download's body goes nowhere (written to a file, the disk would be what is measured).
  const out = source === null ? null : join(scratch, 'transfer.out');
  const args = ['-sS', '-X', method, '-o', out ?? '/dev/null', '-w', '%{http_code} %{size_download} %{time_total}', '-H', 'Expect:'];
  // curl sends the file's length itself.
  for (const [name, value] of Object.entries(headers)) if (name !== 'content-length') args.push('-H', `${name}: ${value}`);
  if (source !== null) args.push('-T', source);
  args.push(url);
  const written = await new Promise<string>((resolve, reject) =>
    execFile('curl', args, (error, stdout, stderr) => (error ? reject(new Error(`curl ${method} ${url}: ${stderr || error.message}`)) : resolve(stdout))),
  );
  const [status, bytes, seconds] = written.trim().split(' ').map(Number) as [number, number, number];
  let text = '';
  if (out !== null) {
    text = (await readFile(out, 'utf8')).slice(0, 64 * 1024);
    await rm(out, { force: true });
  }
  return { status, bytes, ms: seconds * 1000, text };
}

/** Rows of 1 MiB per transaction, as the service's database store writes an upload. */
const RAW_CHUNKS_PER_TRANSACTION = 2;

/**
 * PostgreSQL's own rate for the rows an upload becomes: the file read in 1 MiB pieces and inserted
 * as bytea rows (storage EXTERNAL, as `blob_chunks`), RAW_CHUNKS_PER_TRANSACTION per transaction,
 * by node-postgres with a prepared statement; no HTTP, no hashing. How long it took (ms).
 */
async function rawPostgresInsert(databaseUrl: string, source: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE TABLE bench_raw_chunks (owner text, seq integer, data bytea NOT NULL, PRIMARY KEY (owner, seq))');
    await client.query('ALTER TABLE bench_raw_chunks ALTER COLUMN data SET STORAGE EXTERNAL');
    const began = performance.now();
    let seq = 0;
    let batch: Buffer[] = [];
    const write = async () => {
      await client.query('BEGIN');
      for (const data of batch) await client.query({ name: 'bench-raw-chunk', text: 'INSERT INTO bench_raw_chunks VALUES ($1, $2, $3)', values: ['raw', seq++, data] });
      await client.query('COMMIT');
      batch = [];
    };
    for await (const piece of createReadStream(source, { highWaterMark: MiB })) {
      batch.push(piece as Buffer);
      if (batch.length === RAW_CHUNKS_PER_TRANSACTION) await write();
    }
    if (batch.length) await write();
    return performance.now() - began;
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_raw_chunks').catch(() => {});
    await client.end();
  }
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
  const mibs = size / MiB;
  const measured: Record<string, { copy: number; durableCopy: number; upload: number; download: number; rawInsert: number | null }> = {};
  const row = (id: string, description: string, times: number[], rssMb: number | null): Row => ({
    id: `content/${id}`,
    group: 'content',
    scenario: id,
    description,
    connections: 1,
    reqPerSec: 1000 / median(times),
    mbPerSec: mb / (median(times) / 1000),
    p50Ms: median(times),
    p99Ms: Math.max(...times),
    rssMb,
    errors: 0,
  });

  // The ceiling: bare node:http doing the least a content store must, through the same client.
  const ceilingDir = join(work, 'blob-ceiling');
  await mkdir(ceilingDir, { recursive: true });
  const ceiling = await startServer({
    name: 'blob-ceiling', command: process.execPath, args: [transpileToBuild('bench/servers/blob-ceiling.ts')], env: { BLOB_DIR: ceilingDir }, healthPath: '/health',
  });
  const ceilingTimes = { upload: [] as number[], download: [] as number[] };
  try {
    for (let i = 0; i < RUNS; i++) {
      const put = await transfer(`${ceiling.url}/blob`, 'PUT', { 'content-type': 'application/octet-stream', 'content-length': String(size) }, source, work);
      if (put.status !== 201 || JSON.parse(put.text).sha256 !== sha256) throw new Error(`content/node-http: upload answered ${put.status} ${put.text}`);
      ceilingTimes.upload.push(put.ms);
      const got = await transfer(`${ceiling.url}/blob`, 'GET', {}, null, work);
      if (got.status !== 200 || got.bytes !== size) throw new Error(`content/node-http: download answered ${got.status} with ${got.bytes} bytes, expected ${size}`);
      ceilingTimes.download.push(got.ms);
    }
  } finally {
    await ceiling.stop();
    await rm(ceilingDir, { recursive: true, force: true });
  }
  report.rows.push(
    row('node-http.upload', `bare node:http: PUT of the ${mibs} MiB file hashed, written, fsynced, renamed (${CLIENT}; median and max of ${RUNS})`, ceilingTimes.upload, null),
    row('node-http.download', `bare node:http: GET of that file, streamed from disk (${CLIENT})`, ceilingTimes.download, null),
  );

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

      // The database's own rate for the same rows (info; PostgreSQL's store only).
      const rawInsertMs: number[] = [];
      if (backend === 'postgres') for (let i = 0; i < RUNS; i++) rawInsertMs.push(await rawPostgresInsert(database.databaseUrl, source));

      const uploadMs: number[] = [];
      const downloadMs: number[] = [];
      const sampler = sampleRss(server.pid, 100);
      for (let i = 0; i < RUNS; i++) {
        const put = await transfer(contentUrl, 'PUT', { 'content-type': 'application/octet-stream', 'content-length': String(size), 'content-sha256': sha256 }, source, work);
        if (put.status !== 201) throw new Error(`content/${backend}: upload answered ${put.status} ${put.text}`);
        uploadMs.push(put.ms);
        const got = await transfer(contentUrl, 'GET', {}, null, work);
        downloadMs.push(got.ms);
        if (got.status !== 200 || got.bytes !== size) throw new Error(`content/${backend}: download answered ${got.status} with ${got.bytes} bytes, expected ${size}`);
        if (i === 0) {
          const hashed = await exchange(contentUrl, 'GET', {}, null, true);
          if (hashed.sha256 !== sha256) throw new Error(`content/${backend}: the download hashes to ${hashed.sha256}, the file to ${sha256}`);
        }
        const deleted = await fetch(contentUrl, { method: 'DELETE' });
        if (deleted.status !== 200) throw new Error(`content/${backend}: delete answered ${deleted.status}`);
      }
      const rssPeak = sampler.stop().peakMb;
      measured[backend] = { copy: median(copyMs), durableCopy: median(durableCopyMs), upload: median(uploadMs), download: median(downloadMs), rawInsert: rawInsertMs.length ? median(rawInsertMs) : null };
      log(`content/${backend}: copyFile ${(mb / (median(copyMs) / 1000)).toFixed(0)} MB/s, upload ${(mb / (median(uploadMs) / 1000)).toFixed(0)} MB/s, download ${(mb / (median(downloadMs) / 1000)).toFixed(0)} MB/s`);
      report.rows.push(
        row(`${backend}.copyFile`, `fs.copyFile of the ${mibs} MiB file on the same disk (median and max of ${RUNS})`, copyMs, null),
        row(`${backend}.copyFile+fsync`, `the same, then the copy fsynced (as an upload is before its 201)`, durableCopyMs, null),
        row(`${backend}.upload`, `PUT /storage/artifacts/{id}/content, ${mibs} MiB streamed from the file, ${store} store (${CLIENT})`, uploadMs, rssPeak),
        ...(rawInsertMs.length
          ? [row(`${backend}.raw-insert`, `node-postgres inserting the file as 1 MiB bytea rows, ${RAW_CHUNKS_PER_TRANSACTION} per transaction (no HTTP, no hashing)`, rawInsertMs, null)]
          : []),
        row(`${backend}.download`, `GET /storage/artifacts/{id}/content, ${mibs} MiB read and dropped, ${store} store (${CLIENT})`, downloadMs, rssPeak),
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
      ratio(`content.${backend}.upload.vs.node-http`, `content (${backend}): upload MB/s / bare node:http taking the same body in (info)`, median(ceilingTimes.upload), m.upload, 'info', null, 'the ceiling of a Node.js server on this machine, same client, same run'),
      ...(m.rawInsert === null
        ? []
        : [ratio(`content.${backend}.upload.vs.raw-insert`, `content (${backend}): upload MB/s / node-postgres inserting the same rows (info)`, m.rawInsert, m.upload, 'info', null, 'the database\'s own rate for the rows an upload becomes, same run')]),
      ratio(`content.${backend}.download.vs.node-http`, `content (${backend}): download MB/s / bare node:http sending the same file (info)`, median(ceilingTimes.download), m.download, 'info', null, 'the ceiling of a Node.js server on this machine, same client, same run'),
    );
  }
}
