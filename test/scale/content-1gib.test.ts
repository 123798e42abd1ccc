import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bundle, buildBundle } from '../support/build.js';
import { pseudoRandomBytes, rssMb, sampleRss, sha256OfPseudoRandom, streamDownload, streamUpload } from '../support/content.js';
import { tempDir } from '../faults/support.js';
import { client } from '../support/http.js';
import { testDatabase } from '../support/postgres.js';
import { startService } from '../support/process.js';

/*
 * 1 GiB of artifact content through the built service (`node dist/main.js`, as `npm start` runs
 * it), up as one chunked PUT and down as one GET, on SQLite with the filesystem store and on
 * PostgreSQL with the database store. The bytes are made on the fly on both sides, never held:
 * what is checked is the sha256 end to end, and that the server streams — its RSS, sampled all
 * along, stays within 64 MB of what it was idle.
 *
 * HTTP_REQUEST_TIMEOUT_MS is raised to 10 minutes: the default (60 s) bounds how long a client may
 * take to send a whole request, and 1 GiB on a busy 2-core machine can take longer than that.
 */

const SIZE = 1024 ** 3;
/** The target: what the filesystem store keeps to. */
const RSS_ALLOWANCE_MB = 64;
/**
 * The database store's bound, a guard against buffering a blob (1 GiB would show), looser than the
 * target: each 1 MiB chunk also goes through node-postgres's protocol buffers on the way up (a copy
 * per chunk, freed only when V8 next collects), measured +60 to +67 MB at peak on a busy 2-core
 * machine; downloads read the chunks as a binary COPY (issue 18).
 */
const DATABASE_STORE_RSS_ALLOWANCE_MB = 128;
const SEED = 'one-gibibyte';

let bundle: Bundle;
let expectedSha: string;
beforeAll(async () => {
  bundle = buildBundle();
  expectedSha = await sha256OfPseudoRandom(SEED, SIZE);
}, 180_000);
afterAll(() => bundle?.cleanup());

const MB = (n: number) => Math.round(n * 10) / 10;

async function roundTrip(env: Record<string, string>, label: string, allowanceMb: number): Promise<void> {
  const service = await startService({ ...env, HTTP_REQUEST_TIMEOUT_MS: '600000' }, 30_000, [join(bundle.dist, 'main.js')]);
  try {
    const api = client(service.url);
    const session = await api.post('/storage/sessions', { agent_name: 'big-content' });
    expect(session.status).toBe(200);
    const artifact = await api.post('/storage/artifacts', { session_id: session.body.id, name: 'big.bin', type: 'application/octet-stream', path: '/big.bin', size: 0 });
    expect(artifact.status).toBe(200);
    const pid = service.child.pid!;
    const idle = rssMb(pid);

    let sampler = sampleRss(pid);
    let began = performance.now();
    const put = await streamUpload(service.url, 'PUT', `/storage/artifacts/${artifact.body.id}/content`, pseudoRandomBytes(SEED, SIZE), { 'content-sha256': expectedSha });
    const uploadSec = (performance.now() - began) / 1000;
    const uploadPeak = sampler.stop();
    expect(put.status, put.text).toBe(201);
    expect(put.body).toMatchObject({ artifact_id: artifact.body.id, version: 0, sha256: expectedSha, size: SIZE });

    sampler = sampleRss(pid);
    began = performance.now();
    const got = await streamDownload(service.url, `/storage/artifacts/${artifact.body.id}/content`);
    const downloadSec = (performance.now() - began) / 1000;
    const downloadPeak = sampler.stop();
    expect(got.status).toBe(200);
    expect(got.headers['content-length']).toBe(String(SIZE));
    expect(got.bytes).toBe(SIZE);
    expect(got.sha256).toBe(expectedSha);

    console.info(
      `1 GiB on ${label}: upload ${uploadSec.toFixed(1)} s (${MB(SIZE / 2 ** 20 / uploadSec)} MiB/s), download ${downloadSec.toFixed(1)} s (${MB(SIZE / 2 ** 20 / downloadSec)} MiB/s); ` +
        `RSS idle ${MB(idle)} MB, peak ${MB(uploadPeak)} MB uploading, ${MB(downloadPeak)} MB downloading`,
    );
    expect(uploadPeak).toBeLessThanOrEqual(idle + allowanceMb);
    expect(downloadPeak).toBeLessThanOrEqual(idle + allowanceMb);
  } finally {
    await service.stop();
  }
}

describe('1 GiB of artifact content through REST, streamed (the built service)', () => {
  it('SQLite file, filesystem store: sha256 equal end to end, RSS flat', async () => {
    const { dir, cleanup } = tempDir('agent-storage-1gib-');
    try {
      await roundTrip({ DATABASE_URL: `sqlite:${join(dir, 'storage.db')}`, BLOB_STORE: 'filesystem' }, 'SQLite/filesystem', RSS_ALLOWANCE_MB);
    } finally {
      cleanup();
    }
  }, 600_000);

  it('PostgreSQL, database store: sha256 equal end to end, RSS bounded', async () => {
    const db = await testDatabase();
    try {
      await roundTrip({ DATABASE_URL: db.url, BLOB_STORE: 'database' }, 'PostgreSQL/database', DATABASE_STORE_RSS_ALLOWANCE_MB);
    } finally {
      await db.drop();
    }
  }, 600_000);
});
