import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import {
  blobFiles,
  blobRows,
  chunkOwners,
  type ContentStoreKind,
  describeOnContentStores,
  getContent,
  newArtifact,
  newSession,
  putContent,
  saveNamed,
  sha256,
  sqlRows,
  usageOf,
} from '../../support/content-rest.js';
import type { TestServer } from '../../support/server.js';
import { openSse } from '../../support/sse.js';

/**
 * What happens to stored bytes over an artifact's life, on each content store: the same bytes are
 * stored once however many versions name them; deleting content, an artifact or a session gives the
 * bytes back (at once, or by the sweep after a cascade); a fork shares its source's content; and
 * every save and delete is in the session's change feed.
 */

const MiB = 1024 * 1024;

/** Where a blob's bytes are: its file (filesystem store) or how many chunk rows it has (database store). */
async function bytesOf(server: TestServer, store: ContentStoreKind, sha: string): Promise<'file' | number | 'none'> {
  if (store.blobs === 'filesystem') return blobFiles(server).includes(sha) ? 'file' : 'none';
  return (await chunkOwners(server)).get(sha) ?? 'none';
}

/** Every blob row has its bytes, and (database store) no chunk rows are left that no blob owns. */
async function expectConsistent(server: TestServer, store: ContentStoreKind): Promise<void> {
  const rows = await blobRows(server);
  const sizes = new Map((await sqlRows(server, 'blob_sizes', 'SELECT sha256, size, chunk_size FROM blobs')).map((r) => [String(r.sha256), [Number(r.size), Number(r.chunk_size)] as const]));
  if (store.blobs === 'filesystem') {
    for (const sha of rows) expect(blobFiles(server)).toContain(sha);
  } else {
    const owners = await chunkOwners(server);
    for (const sha of rows) {
      const [size, chunk] = sizes.get(sha)!;
      expect(owners.get(sha) ?? 0, sha).toBe(Math.ceil(size / chunk));
    }
    expect([...owners.keys()].sort()).toEqual(rows.filter((sha) => sizes.get(sha)![0] > 0));
  }
  const [usage] = await sqlRows(server, 'usage_row', 'SELECT bytes, blobs FROM blob_usage');
  expect(Number(usage!.bytes)).toBe([...sizes.values()].reduce((sum, [size]) => sum + size, 0));
  expect(Number(usage!.blobs)).toBe(rows.length);
}

describeOnContentStores('artifact content over its life', (it, store) => {
  // The figure (10 MiB under 50 names) on the default store; on the chunk-row stores,
  // whose dedup is the same code, 10 names of a few chunks each: CI's time goes elsewhere.
  const { size, copies } = store.blobs === 'filesystem' ? { size: 10 * MiB, copies: 50 } : { size: 2 * MiB + 3, copies: 10 };
  const chunks = Math.ceil(size / MiB);
  it(`dedup: the same ${size} bytes under ${copies} names are stored once (one blob, stored_bytes counted once)`, async ({ server, api }) => {
    const before = await usageOf(api);
    const sessionId = await newSession(api);
    const bytes = randomBytes(size);
    const sha = sha256(bytes);
    // Five at a time: dedup must hold when uploads of the same bytes overlap too.
    for (let batch = 0; batch < copies / 5; batch++) {
      const saved = await Promise.all(
        Array.from({ length: 5 }, (_, i) => saveNamed(server, { session_id: sessionId, name: `copy-${batch * 5 + i}.bin` }, bytes, { 'content-sha256': sha })),
      );
      for (const res of saved) {
        expect(res.status).toBe(201);
        expect(res.body.content.sha256).toBe(sha);
      }
    }
    const usage = await usageOf(api);
    expect(usage.stored_bytes - before.stored_bytes).toBe(size);
    expect(usage.content_bytes - before.content_bytes).toBe(copies * size);
    expect(usage.blobs - before.blobs).toBe(1);
    expect(usage.versions - before.versions).toBe(copies);
    if (store.blobs === 'filesystem') expect(blobFiles(server).filter((f) => f === sha)).toHaveLength(1);
    else expect(await bytesOf(server, store, sha)).toBe(chunks);
    await expectConsistent(server, store);
    const artifacts = (await api.get(`/storage/artifacts?session_id=${sessionId}`)).body;
    expect(artifacts).toHaveLength(copies);
    for (const artifact of [artifacts[0], artifacts[copies - 1]]) expect(sha256((await getContent(server, artifact.id)).bytes)).toBe(sha);

    // Deleting the session's artifacts (all of them) frees the blob.
    await api.del(`/storage/sessions/${sessionId}`);
    await server.storage.backend.stores.blobs.sweep(0);
    expect(await usageOf(api)).toEqual(before);
    expect(await bytesOf(server, store, sha)).toBe('none');
  }, 300_000); // up to 500 MiB through HTTP

  it('deleting an artifact deletes its content and the blobs nothing else names, at once (usage drops)', async ({ server, api }) => {
    const sessionId = await newSession(api);
    const a = await newArtifact(api, { sessionId });
    const b = await newArtifact(api, { sessionId });
    const only = randomBytes(MiB + 5);
    const shared = randomBytes(3000);
    await putContent(server, a.id, only);
    await putContent(server, a.id, shared);
    await putContent(server, b.id, shared);
    const before = await usageOf(api);

    const deleted = await api.del(`/storage/artifacts/${a.id}`);
    expect(deleted.status).toBe(200);
    expect((await getContent(server, a.id)).body).toEqual({ detail: 'Artifact not found' });
    expect((await api.get(`/storage/artifacts/${a.id}/versions`)).status).toBe(404);
    const after = await usageOf(api);
    expect(after.stored_bytes).toBe(before.stored_bytes - only.byteLength);
    expect(after.content_bytes).toBe(before.content_bytes - only.byteLength - shared.byteLength);
    expect(after.blobs).toBe(before.blobs - 1);
    expect(after.versions).toBe(before.versions - 2);
    expect(await blobRows(server)).not.toContain(sha256(only));
    // Chunk rows go with the row; a file waits for the sweep (a transaction never unlinks).
    if (store.blobs === 'database') expect(await bytesOf(server, store, sha256(only))).toBe('none');
    // The shared bytes stay for b.
    expect((await getContent(server, b.id)).bytes.equals(shared)).toBe(true);

    const swept = await server.storage.backend.stores.blobs.sweep(0);
    expect(swept.blobs).toBe(0);
    expect(await bytesOf(server, store, sha256(only))).toBe('none');
    expect(await bytesOf(server, store, sha256(shared))).not.toBe('none');
    await expectConsistent(server, store);
  });

  it('deleting versions gives back the bytes no other version names, at once', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const x = randomBytes(2 * MiB + 1);
    const y = randomBytes(100);
    await putContent(server, id, x);
    await putContent(server, id, y);
    await putContent(server, id, x);
    const before = await usageOf(api);
    await api.del(`/storage/artifacts/${id}/content?version=0`);
    // Version 2 still names x.
    expect((await usageOf(api)).stored_bytes).toBe(before.stored_bytes);
    await api.del(`/storage/artifacts/${id}/content?version=2`);
    expect((await usageOf(api)).stored_bytes).toBe(before.stored_bytes - x.byteLength);
    expect(await blobRows(server)).not.toContain(sha256(x));
    await api.del(`/storage/artifacts/${id}/content`);
    expect((await usageOf(api)).stored_bytes).toBe(before.stored_bytes - x.byteLength - y.byteLength);
    await server.storage.backend.stores.blobs.sweep(0);
    expect(await bytesOf(server, store, sha256(x))).toBe('none');
    await expectConsistent(server, store);
  });

  it('deleting a session cascades to its content; the sweep then removes the blobs nothing names', async ({ server, api }) => {
    const doomed = await newSession(api);
    const kept = await newSession(api);
    const own = randomBytes(MiB + 100);
    const shared = randomBytes(5000);
    const a = await newArtifact(api, { sessionId: doomed });
    await putContent(server, a.id, own);
    await putContent(server, a.id, shared);
    const b = await newArtifact(api, { sessionId: kept });
    await putContent(server, b.id, shared);
    const before = await usageOf(api);

    expect((await api.del(`/storage/sessions/${doomed}`)).status).toBe(200);
    expect((await getContent(server, a.id)).status).toBe(404);
    const cascaded = await usageOf(api);
    // The versions went with the session; the blob rows wait for the sweep.
    expect(cascaded.content_bytes).toBe(before.content_bytes - own.byteLength - shared.byteLength);
    expect(cascaded.versions).toBe(before.versions - 2);
    expect(cascaded.stored_bytes).toBe(before.stored_bytes);

    const swept = await server.storage.backend.stores.blobs.sweep(0);
    expect(swept.blobs).toBe(1);
    const after = await usageOf(api);
    expect(after.stored_bytes).toBe(before.stored_bytes - own.byteLength);
    expect(after.blobs).toBe(before.blobs - 1);
    expect(await blobRows(server)).not.toContain(sha256(own));
    expect(await bytesOf(server, store, sha256(own))).toBe('none');
    expect((await getContent(server, b.id)).bytes.equals(shared)).toBe(true);
    // A second sweep finds nothing more.
    expect(await server.storage.backend.stores.blobs.sweep(0)).toEqual({ blobs: 0, leftovers: 0 });
    await expectConsistent(server, store);
  });

  it('a fork shares its source’s content (same sha256, stored once); deleting the source keeps the fork’s', async ({ server, api }) => {
    const source = await newSession(api);
    const message = await api.post('/storage/history', { session_id: source, role: 'user', content: 'make a report' });
    const { id } = await newArtifact(api, { sessionId: source, name: 'report.pdf' });
    const v0 = randomBytes(MiB + 1);
    const v1 = randomBytes(1234);
    await putContent(server, id, v0, { 'content-type': 'application/pdf' });
    await putContent(server, id, v1, { 'content-type': 'application/pdf' });
    const before = await usageOf(api);

    const fork = await api.post(`/storage/sessions/${source}/fork`, { up_to_message_id: message.body.id });
    expect(fork.status, fork.text).toBe(200);
    const [copy] = (await api.get(`/storage/artifacts?session_id=${fork.body.id}`)).body;
    expect(copy.id).not.toBe(id);
    const versions = (await api.get(`/storage/artifacts/${copy.id}/versions`)).body;
    expect(versions.map((v: any) => [v.version, v.sha256, v.size, v.content_type])).toEqual([
      [0, sha256(v0), v0.byteLength, 'application/pdf'],
      [1, sha256(v1), v1.byteLength, 'application/pdf'],
    ]);
    const usage = await usageOf(api);
    expect(usage.stored_bytes).toBe(before.stored_bytes);
    expect(usage.blobs).toBe(before.blobs);
    expect(usage.content_bytes).toBe(before.content_bytes + v0.byteLength + v1.byteLength);

    // The copy's versions continue its source's numbering, independently of it.
    expect((await putContent(server, copy.id, 'fork only')).body.version).toBe(2);
    expect((await putContent(server, id, 'source only')).body.version).toBe(2);

    expect((await api.del(`/storage/sessions/${source}`)).status).toBe(200);
    await server.storage.backend.stores.blobs.sweep(0);
    expect((await getContent(server, copy.id, '?version=0')).bytes.equals(v0)).toBe(true);
    expect((await getContent(server, copy.id, '?version=1')).bytes.equals(v1)).toBe(true);
    expect(await bytesOf(server, store, sha256(v0))).not.toBe('none');
    expect((await usageOf(api)).stored_bytes).toBe(before.stored_bytes + Buffer.byteLength('fork only'));
    await expectConsistent(server, store);
  });

  it('the change feed (SSE) has ArtifactContentSaved and ArtifactContentDeleted in the REST wire format', async ({ server, api }) => {
    const sessionId = await newSession(api, 'feed-agent');
    const stream = await openSse(`${server.url}/storage/sessions/${sessionId}/events`);
    try {
      const { id } = await newArtifact(api, { sessionId });
      const put0 = await putContent(server, id, 'zero', { 'content-type': 'text/plain' });
      const put1 = await putContent(server, id, 'one');
      await api.del(`/storage/artifacts/${id}/content?version=0`);
      const named = await saveNamed(server, { session_id: sessionId, name: 'named.txt' }, 'named');
      // A refused upload is no event.
      expect((await putContent(server, id, 'x', { 'content-sha256': '0'.repeat(64) })).status).toBe(422);
      await api.del(`/storage/artifacts/${id}/content`);
      await api.del(`/storage/artifacts/${named.body.artifact.id}`);

      const events = (await stream.take(8)).map((m) => ({ event: m.event, data: JSON.parse(m.data) }));
      expect(events.map((e) => e.event)).toEqual([
        'ArtifactCreated',
        'ArtifactContentSaved',
        'ArtifactContentSaved',
        'ArtifactContentDeleted',
        'ArtifactCreated',
        'ArtifactContentSaved',
        'ArtifactContentDeleted',
        'ArtifactDeleted',
      ]);
      for (const e of events) expect(e.data).toMatchObject({ type: e.event, session_id: sessionId, agent_name: 'feed-agent' });
      expect(events[1]!.data.content).toEqual(put0.body);
      expect(events[2]!.data.content).toEqual(put1.body);
      expect(events[3]!.data).toMatchObject({ artifact_id: id, versions: [0] });
      expect(events[4]!.data.artifact).toEqual(named.body.artifact);
      expect(events[5]!.data.content).toEqual(named.body.content);
      expect(events[6]!.data).toMatchObject({ artifact_id: id, versions: [1] });
    } finally {
      stream.close();
    }
  });
});
