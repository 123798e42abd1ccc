import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { expect } from 'vitest';
import { client } from '../../support/http.js';
import {
  blobFiles,
  blobRows,
  chunkOwners,
  type ContentStoreKind,
  contentUrl,
  describeOnContentStores,
  eventually,
  getContent,
  newArtifact,
  putChunked,
  putContent,
  sha256,
  sqlRows,
  usageOf,
} from '../../support/content-rest.js';
import type { TestServer } from '../../support/server.js';

/**
 * The limits of an upload: MAX_ARTIFACT_BYTES (413), declared or counted as the bytes arrive, and the
 * tenant's STORAGE_QUOTA_BYTES (507), counted as they arrive and again when the blob is committed. A
 * refused upload leaves nothing: no version, no usage, no staged bytes.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

interface RawResponse {
  status: number;
  body: any;
}

/**
 * A PUT through node:http, its body written piece by piece (chunked unless `headers` declare a
 * length), as a client streaming a big file sends it. With `end: false` the request is never
 * ended: an answer proves the server gave it without waiting for the rest of the body.
 */
function rawPut(url: string, headers: Record<string, string>, pieces: Buffer[], { end = true } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: 'PUT', headers });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('no response within 10 s (was the server waiting for the end of the body?)'));
    }, 10_000);
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode!, body });
        req.destroy();
      });
      res.on('error', reject);
    });
    // Once answered, the server may close before the rest of the body: not a failure of the upload.
    req.on('error', (error) => {
      if (!answered) {
        clearTimeout(timer);
        reject(error);
      }
    });
    req.flushHeaders();
    void (async () => {
      for (const piece of pieces) {
        if (answered || req.destroyed) return;
        await new Promise<void>((done) => req.write(piece, () => done()));
      }
      if (end && !answered && !req.destroyed) req.end();
    })();
  });
}

const pieces = (bytes: Buffer, size = 64 * KiB) => Array.from({ length: Math.ceil(bytes.byteLength / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

/** Nothing of an upload left staged: no file in the blob folder's tmp/, no `upload:` chunk rows, no upload in progress. */
async function expectNothingStaged(server: TestServer, store: ContentStoreKind): Promise<void> {
  if (store.blobs === 'filesystem') {
    const tmp = `${(server.config.database as { filename: string }).filename}-blobs/tmp`;
    // (No folder at all when no upload was ever staged.)
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
  } else {
    expect([...(await chunkOwners(server)).keys()].filter((o) => o.startsWith('upload:'))).toEqual([]);
    expect(await sqlRows(server, 'uploads', 'SELECT id FROM blob_uploads')).toEqual([]);
  }
}

/** Whether an upload is being staged: a file in tmp/, or an upload in progress (its chunk rows come a few at a time). */
async function somethingStaged(server: TestServer, store: ContentStoreKind): Promise<boolean> {
  if (store.blobs === 'filesystem') {
    const tmp = `${(server.config.database as { filename: string }).filename}-blobs/tmp`;
    return existsSync(tmp) && readdirSync(tmp).length > 0;
  }
  return (await sqlRows(server, 'uploads', 'SELECT id FROM blob_uploads')).length > 0;
}

describeOnContentStores('artifact content limits', (it, store) => {
  it('MAX_ARTIFACT_BYTES: a declared Content-Length over it is refused (413) before a byte of the body is read', async ({ serve }) => {
    const server = await serve({ MAX_ARTIFACT_BYTES: String(MiB) });
    const api = client(server.url);
    const { id } = await newArtifact(api);
    const before = await usageOf(api);
    expect(before.max_artifact_bytes).toBe(MiB);

    // Headers only: the answer comes while the client has sent none of the body.
    const res = await rawPut(contentUrl(server, id), { 'content-length': String(MiB + 1), 'content-type': 'application/octet-stream' }, [], { end: false });
    expect(res.status).toBe(413);
    expect(res.body.detail).toMatch(/1048576/);

    // The same through fetch, with the whole body sent.
    const fetched = await putContent(server, id, randomBytes(MiB + 1));
    expect(fetched.status).toBe(413);
    // A huge declared length, beyond any integer the store could take.
    expect((await rawPut(contentUrl(server, id), { 'content-length': String(2 ** 53) }, [], { end: false })).status).toBe(413);

    expect(await usageOf(api)).toEqual(before);
    expect((await api.get(`/storage/artifacts/${id}/versions`)).body).toEqual([]);
    await expectNothingStaged(server, store);

    // Exactly the limit is accepted, declared or not.
    const exact = randomBytes(MiB);
    expect((await putContent(server, id, exact)).status).toBe(201);
    expect((await putChunked(server, id, exact)).status).toBe(201);
  });

  it('MAX_ARTIFACT_BYTES: a chunked body that goes past it is cut off (413) as it arrives, nothing kept', async ({ serve }) => {
    const server = await serve({ MAX_ARTIFACT_BYTES: String(MiB) });
    const api = client(server.url);
    const { id } = await newArtifact(api);
    const before = await usageOf(api);
    const bytes = randomBytes(4 * MiB);

    // node:http sends a body without a declared length chunked. The request is never ended: the
    // server answers without waiting for the rest.
    const raw = await rawPut(contentUrl(server, id), { 'content-type': 'application/octet-stream' }, pieces(bytes), { end: false });
    expect(raw.status).toBe(413);
    // And when the client does end it.
    expect((await rawPut(contentUrl(server, id), {}, pieces(bytes))).status).toBe(413);

    const fetched = await putChunked(server, id, bytes.subarray(0, MiB + 1));
    expect(fetched.status).toBe(413);
    expect(fetched.body.detail).toMatch(/1048576/);

    expect(await usageOf(api)).toEqual(before);
    expect((await api.get(`/storage/artifacts/${id}/versions`)).body).toEqual([]);
    await expectNothingStaged(server, store);
    // The server is fine afterwards.
    const small = randomBytes(1000);
    expect((await putChunked(server, id, small)).status).toBe(201);
    expect((await getContent(server, id)).bytes.equals(small)).toBe(true);
  });

  it('MAX_BODY_BYTES (JSON bodies) does not limit content uploads', async ({ serve }) => {
    const server = await serve({ MAX_BODY_BYTES: '2048' });
    const { id } = await newArtifact(client(server.url));
    const bytes = randomBytes(100 * KiB);
    expect((await putContent(server, id, bytes)).status).toBe(201);
    expect((await putChunked(server, id, bytes)).status).toBe(201);
  });

  it('STORAGE_QUOTA_BYTES: an upload that would pass it is cut off mid-stream (507 saying why), nothing stored, usage unchanged', async ({ serve }) => {
    const server = await serve({ STORAGE_QUOTA_BYTES: String(2 * MiB) });
    const api = client(server.url);
    const { id } = await newArtifact(api);
    const first = randomBytes(1.5 * MiB);
    expect((await putContent(server, id, first)).status).toBe(201);
    const before = await usageOf(api);
    expect(before).toMatchObject({ stored_bytes: 1.5 * MiB, quota_bytes: 2 * MiB, blobs: 1, versions: 1 });
    const blobsBefore = await blobRows(server);

    const second = randomBytes(3 * MiB);
    const raw = await rawPut(contentUrl(server, id), {}, pieces(second), { end: false });
    expect(raw.status).toBe(507);
    expect(raw.body.detail).toMatch(/quota/i);
    expect(raw.body.detail).toContain(String(2 * MiB));
    for (const upload of [putContent, putChunked]) {
      const res = await upload(server, id, second.subarray(0, MiB));
      expect(res.status).toBe(507);
      expect(res.body.detail).toMatch(/Storage quota exceeded/);
    }

    expect(await usageOf(api)).toEqual(before);
    expect(await blobRows(server)).toEqual(blobsBefore);
    expect((await api.get(`/storage/artifacts/${id}/versions`)).body.map((v: any) => v.version)).toEqual([0]);
    await expectNothingStaged(server, store);
    // The refused uploads took no version number.
    expect((await putContent(server, id, randomBytes(10))).body.version).toBe(1);
  });

  it('STORAGE_QUOTA_BYTES: reached by the last byte exactly is accepted; one byte more is not (no Retry-After), unless announced as stored bytes; deleting frees room', async ({ serve }) => {
    const quota = MiB + 3;
    const server = await serve({ STORAGE_QUOTA_BYTES: String(quota) });
    const api = client(server.url);
    const { id } = await newArtifact(api);
    const a = randomBytes(MiB);
    expect((await putContent(server, id, a)).status).toBe(201);
    expect((await putChunked(server, id, randomBytes(4))).status).toBe(507);
    const last = randomBytes(3);
    expect((await putChunked(server, id, last)).status).toBe(201);
    expect(await usageOf(api)).toMatchObject({ stored_bytes: quota, content_bytes: quota, quota_bytes: quota });
    const over = await putContent(server, id, randomBytes(1));
    expect(over.status).toBe(507);
    // Waiting does not make room under a quota: no Retry-After.
    expect(over.headers.get('retry-after')).toBeNull();

    // Bytes already stored cost nothing: at the quota they are refused unless announced by their sha256.
    expect((await putContent(server, id, a)).status).toBe(507);
    const announced = await putChunked(server, id, a, { 'content-sha256': sha256(a) });
    expect(announced.status).toBe(201);
    expect(await usageOf(api)).toMatchObject({ stored_bytes: quota, content_bytes: quota + MiB });
    // An announcement that the bytes do not keep is a mismatch (422), not room.
    const lie = await putChunked(server, id, randomBytes(MiB), { 'content-sha256': sha256(a) });
    expect(lie.status).toBe(422);
    expect((await usageOf(api)).stored_bytes).toBe(quota);
    await expectNothingStaged(server, store);

    // Deleting the big version gives its bytes back at once (its other version of the same bytes first).
    expect((await api.del(`/storage/artifacts/${id}/content?version=0`)).status).toBe(200);
    expect((await usageOf(api)).stored_bytes).toBe(quota);
    expect((await api.del(`/storage/artifacts/${id}/content?version=2`)).status).toBe(200);
    expect((await usageOf(api)).stored_bytes).toBe(3);
    expect((await putContent(server, id, randomBytes(MiB))).status).toBe(201);
  });

  it('STORAGE_QUOTA_BYTES: concurrent uploads cannot both fit in the last free bytes', async ({ serve }) => {
    const server = await serve({ STORAGE_QUOTA_BYTES: String(MiB) });
    const api = client(server.url);
    const artifacts = await Promise.all(Array.from({ length: 4 }, () => newArtifact(api)));
    const bodies = artifacts.map(() => randomBytes(600 * KiB));
    const results = await Promise.all(artifacts.map(({ id }, i) => putContent(server, id, bodies[i]!)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 507)).toHaveLength(3);
    const winner = results.findIndex((r) => r.status === 201);
    expect(await usageOf(api)).toMatchObject({ stored_bytes: 600 * KiB, blobs: 1, versions: 1 });
    expect(await blobRows(server)).toEqual([sha256(bodies[winner]!)]);
    if (store.blobs === 'filesystem') expect(blobFiles(server)).toContain(sha256(bodies[winner]!));
    else expect([...(await chunkOwners(server)).keys()].filter((o) => o.startsWith('upload:'))).toEqual([]);
    // A refused upload's file was already in place when its commit failed: the sweep removes it.
    await server.storage.backend.stores.blobs.sweep(0);
    if (store.blobs === 'filesystem') expect(blobFiles(server)).toEqual([sha256(bodies[winner]!)]);
    else expect([...(await chunkOwners(server)).keys()]).toEqual([sha256(bodies[winner]!)]);
    await expectNothingStaged(server, store);
  });

  it('an upload the client cuts off leaves nothing: no version, no usage, nothing staged', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const before = await usageOf(api);
    const bytes = randomBytes(4 * MiB);
    // Declares 4 MiB, sends 2.5 MiB; once the server is staging them, the connection is gone.
    const req = request(contentUrl(server, id), { method: 'PUT', headers: { 'content-length': String(bytes.byteLength) } });
    let answered = false;
    req.on('response', () => (answered = true));
    req.on('error', () => {});
    req.write(bytes.subarray(0, 2.5 * MiB));
    await eventually(async () => expect(await somethingStaged(server, store)).toBe(true));
    req.destroy();
    // The server notices the cut asynchronously: wait until the staged bytes are gone.
    await eventually(() => expectNothingStaged(server, store));
    expect(answered).toBe(false);
    expect(await usageOf(api)).toEqual(before);
    expect((await api.get(`/storage/artifacts/${id}/versions`)).body).toEqual([]);
    // And the next upload is fine.
    expect((await putContent(server, id, bytes)).status).toBe(201);
    expect(sha256((await getContent(server, id)).bytes)).toBe(sha256(bytes));
  });
});
