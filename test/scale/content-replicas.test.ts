import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudoRandomBytes, sha256Hex, sha256OfPseudoRandom, streamDownload, streamUpload } from '../support/content.js';
import { client } from '../support/http.js';
import { testDatabase } from '../support/postgres.js';
import { type Service, startService } from '../support/process.js';

/**
 * Artifact content on two real server processes sharing one PostgreSQL database (the database
 * store, PostgreSQL's default: no shared disk): what one stores, the other serves, whole and in
 * ranges, and both list the same versions.
 */
describe('artifact content across replicas on one PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let a: Service;
  let b: Service;

  beforeAll(async () => {
    db = await testDatabase();
    [a, b] = await Promise.all([startService({ DATABASE_URL: db.url }), startService({ DATABASE_URL: db.url })]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  it('content uploaded through one replica downloads through the other, whole and ranged; both list the versions', async () => {
    const [ra, rb] = [client(a.url), client(b.url)];
    const session = (await ra.post('/storage/sessions', { agent_name: 'replicated-content' })).body.id as string;
    const artifact = (await rb.post('/storage/artifacts', { session_id: session, name: 'report.bin', type: 'application/octet-stream', path: '/report.bin', size: 0 })).body.id as string;

    // Three versions, uploaded through A, B, A: more than a chunk each, the last chunk short.
    const sizes = [3 * 1024 * 1024 + 17, 1024 * 1024 + 1, 2 * 1024 * 1024 - 5];
    const shas: string[] = [];
    for (const [v, size] of sizes.entries()) {
      const through = v % 2 ? b : a;
      const sha256 = await sha256OfPseudoRandom(`replica-${v}`, size);
      const put = await streamUpload(through.url, 'PUT', `/storage/artifacts/${artifact}/content`, pseudoRandomBytes(`replica-${v}`, size), { 'content-sha256': sha256 });
      expect(put.status, put.text).toBe(201);
      expect(put.body).toMatchObject({ artifact_id: artifact, version: v, sha256, size });
      shas.push(sha256);
      // At once, through the other replica: the whole of it, and the latest is this one.
      const other = through === a ? b : a;
      const whole = await streamDownload(other.url, `/storage/artifacts/${artifact}/content`);
      expect(whole).toMatchObject({ status: 200, bytes: size, sha256 });
      expect(whole.headers['artifact-version']).toBe(String(v));
      expect(whole.headers.etag).toBe(`"${sha256}"`);
    }

    // Every version by number through either replica.
    for (const [v, size] of sizes.entries()) {
      for (const replica of [a, b]) {
        expect(await streamDownload(replica.url, `/storage/artifacts/${artifact}/content?version=${v}`)).toMatchObject({ status: 200, bytes: size, sha256: shas[v] });
      }
    }

    // Ranges through B of bytes stored through A (version 0): across a chunk boundary, a suffix, an open end.
    let expected = Buffer.alloc(0);
    for await (const piece of pseudoRandomBytes('replica-0', sizes[0]!)) expected = Buffer.concat([expected, piece]);
    const size = sizes[0]!;
    const boundary = 1024 * 1024;
    for (const [range, start, end] of [
      [`bytes=${boundary - 10}-${boundary + 9}`, boundary - 10, boundary + 9],
      [`bytes=0-0`, 0, 0],
      [`bytes=-100`, size - 100, size - 1],
      [`bytes=${3 * boundary}-`, 3 * boundary, size - 1],
    ] as const) {
      const got = await fetch(`${b.url}/storage/artifacts/${artifact}/content?version=0`, { headers: { range } });
      expect(got.status, range).toBe(206);
      expect(got.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
      const body = Buffer.from(await got.arrayBuffer());
      expect(body.byteLength).toBe(end - start + 1);
      expect(sha256Hex(body), range).toBe(sha256Hex(expected.subarray(start, end + 1)));
    }

    // Both list the same versions, in order.
    const viaA = await ra.get(`/storage/artifacts/${artifact}/versions`);
    const viaB = await rb.get(`/storage/artifacts/${artifact}/versions`);
    expect(viaA.status).toBe(200);
    expect(viaA.body.map((c: { version: number; sha256: string; size: number }) => [c.version, c.sha256, c.size])).toEqual(sizes.map((s, v) => [v, shas[v], s]));
    expect(viaB.body).toEqual(viaA.body);

    // A version deleted through one is gone through the other.
    expect((await rb.del(`/storage/artifacts/${artifact}/content?version=1`)).status).toBe(200);
    expect((await ra.get(`/storage/artifacts/${artifact}/content?version=1`)).status).toBe(404);
    expect((await ra.get(`/storage/artifacts/${artifact}/versions`)).body.map((c: { version: number }) => c.version)).toEqual([0, 2]);
  }, 120_000);
});
