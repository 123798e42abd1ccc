import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  contentUrl,
  describeOnContentStores,
  getContent,
  newArtifact,
  newSession,
  putChunked,
  putContent,
  saveNamed,
  send,
  sha256,
  usageOf,
} from '../../support/content-rest.js';

/**
 * `PUT/GET/HEAD /storage/artifacts/{id}/content`, its versions and the save by name, through HTTP
 * with plain fetch, on each content store: what a client gets back — bytes, headers, statuses —
 * compared with what it sent.
 */

const MiB = 1024 * 1024;

describeOnContentStores('artifact content over REST', (it, store) => {
  it('round trip: PUT then GET and HEAD give the bytes, their type, length, ETag, name and version', async ({ server, api }) => {
    const { id } = await newArtifact(api, { name: 'Überblick – 2026 “final”.pdf' });
    const bytes = randomBytes(4096);
    const put = await putContent(server, id, bytes, { 'content-type': 'application/pdf' });
    expect(put.status, put.bytes.toString()).toBe(201);
    expect(Object.keys(put.body)).toEqual(['artifact_id', 'version', 'sha256', 'size', 'content_type', 'created_at']);
    expect(put.body).toMatchObject({ artifact_id: id, version: 0, sha256: sha256(bytes), size: 4096, content_type: 'application/pdf' });
    expect(put.headers.get('etag')).toBe(`"${sha256(bytes)}"`);

    const got = await getContent(server, id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-length')).toBe('4096');
    expect(got.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    expect(got.headers.get('accept-ranges')).toBe('bytes');
    expect(got.headers.get('artifact-version')).toBe('0');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Date(got.headers.get('last-modified')!).toISOString()).toBe(new Date(put.body.created_at).toISOString().replace(/\.\d{3}Z$/, '.000Z'));
    // The non-ASCII name: an ASCII fallback, and the exact name in RFC 5987 `filename*`.
    const disposition = got.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toBe('Überblick – 2026 “final”.pdf');

    const head = await getContent(server, id, '', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.bytes.byteLength).toBe(0);
    for (const name of ['content-type', 'content-length', 'etag', 'artifact-version', 'content-disposition', 'accept-ranges']) {
      expect(head.headers.get(name), name).toBe(got.headers.get(name));
    }
  });

  it('keeps the Content-Type as sent (parameters too), application/octet-stream without one; refuses one that is not a media type', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    expect((await putContent(server, id, 'héllo', { 'content-type': 'text/plain; charset=utf-8' })).status).toBe(201);
    const text = await getContent(server, id);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.bytes.toString('utf8')).toBe('héllo');

    // fetch labels a Uint8Array body with no type at all.
    const untyped = await putContent(server, id, new Uint8Array([1, 2, 3]));
    expect(untyped.status).toBe(201);
    expect(untyped.body.content_type).toBe('application/octet-stream');
    expect((await getContent(server, id)).headers.get('content-type')).toBe('application/octet-stream');

    const bad = await putContent(server, id, 'x', { 'content-type': 'not a type' });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['header', 'content-type']);
  });

  it('an empty body is content too: version of 0 bytes, downloads empty', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const put = await putContent(server, id, new Uint8Array(0));
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ size: 0, sha256: sha256(new Uint8Array(0)) });
    const got = await getContent(server, id);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-length')).toBe('0');
    expect(got.bytes.byteLength).toBe(0);
    // Nothing to range over: any range is unsatisfiable.
    const ranged = await getContent(server, id, '', { range: 'bytes=0-0' });
    expect(ranged.status).toBe(416);
    expect(ranged.headers.get('content-range')).toBe('bytes */0');
  });

  it('a chunked upload (no Content-Length) is the same as one with a length', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const bytes = randomBytes(MiB + 12345);
    const put = await putChunked(server, id, bytes, { 'content-type': 'application/x-tar' });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ size: bytes.byteLength, sha256: sha256(bytes), content_type: 'application/x-tar' });
    expect((await getContent(server, id)).bytes.equals(bytes)).toBe(true);
  });

  it('If-None-Match: 304 for the ETag, its weak form, * and a list that holds it; 200 otherwise', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const bytes = randomBytes(100);
    await putContent(server, id, bytes);
    const etag = `"${sha256(bytes)}"`;
    const other = `"${'0'.repeat(64)}"`;
    for (const header of [etag, `W/${etag}`, '*', `${other}, ${etag}`, `${other},W/${etag}`]) {
      const res = await getContent(server, id, '', { 'if-none-match': header });
      expect(res.status, header).toBe(304);
      expect(res.bytes.byteLength, header).toBe(0);
      expect(res.headers.get('etag'), header).toBe(etag);
      expect(res.headers.get('artifact-version'), header).toBe('0');
    }
    for (const header of [other, `"${sha256(bytes).slice(1)}"`, sha256(bytes)]) {
      const res = await getContent(server, id, '', { 'if-none-match': header });
      expect(res.status, header).toBe(200);
      expect(res.bytes.equals(bytes), header).toBe(true);
    }
    // A new version changes "the latest": the old tag no longer matches it, but still matches its own version.
    await putContent(server, id, randomBytes(100));
    expect((await getContent(server, id, '', { 'if-none-match': etag })).status).toBe(200);
    expect((await getContent(server, id, '?version=0', { 'if-none-match': etag })).status).toBe(304);
  });

  it('Range: first, middle, suffix, open, clipped past the end; 416 when unsatisfiable; several ranges and a stale If-Range give the whole', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const bytes = randomBytes(1000);
    await putContent(server, id, bytes);
    const etag = `"${sha256(bytes)}"`;
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=500-749', 500, 749],
      ['bytes=-10', 990, 999],
      ['bytes=100-', 100, 999],
      ['bytes=990-5000', 990, 999],
      ['bytes=999-999', 999, 999],
      ['bytes=-5000', 0, 999],
    ];
    for (const [range, start, end] of cases) {
      const res = await getContent(server, id, '', { range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/1000`);
      expect(res.headers.get('content-length'), range).toBe(String(end - start + 1));
      expect(res.bytes.equals(bytes.subarray(start, end + 1)), range).toBe(true);
      expect(res.headers.get('etag'), range).toBe(etag);
    }
    const head = await getContent(server, id, '', { range: 'bytes=0-99' }, 'HEAD');
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe('bytes 0-99/1000');
    expect(head.bytes.byteLength).toBe(0);

    for (const range of ['bytes=1000-', 'bytes=1000-2000', 'bytes=5000-6000']) {
      const res = await getContent(server, id, '', { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range'), range).toBe('bytes */1000');
      expect(res.body.detail, range).toMatch(/1000 bytes/);
    }

    // Several ranges are answered with the whole content; overlapping or adjacent ones are one range.
    for (const range of ['bytes=0-9,20-29', 'bytes=-1,0-0', 'bytes=0-0,2-2,4-4']) {
      const res = await getContent(server, id, '', { range });
      expect(res.status, range).toBe(200);
      expect(res.headers.get('content-range'), range).toBeNull();
      expect(res.bytes.equals(bytes), range).toBe(true);
    }
    const merged = await getContent(server, id, '', { range: 'bytes=0-9,10-19,5-14' });
    expect(merged.status).toBe(206);
    expect(merged.headers.get('content-range')).toBe('bytes 0-19/1000');
    expect(merged.bytes.equals(bytes.subarray(0, 20))).toBe(true);
    // A range of another unit, or one that does not parse, is ignored.
    for (const range of ['items=0-9', 'bytes=abc', 'bytes 0-9']) {
      const res = await getContent(server, id, '', { range });
      expect(res.status, range).toBe(200);
      expect(res.bytes.equals(bytes), range).toBe(true);
    }
    // If-Range: the range holds only for the version it names.
    const current = await getContent(server, id, '', { range: 'bytes=0-9', 'if-range': etag });
    expect(current.status).toBe(206);
    expect(current.bytes.equals(bytes.subarray(0, 10))).toBe(true);
    for (const ifRange of [`"${'a'.repeat(64)}"`, `W/${etag}`, new Date(Date.now() + 3600_000).toUTCString()]) {
      const stale = await getContent(server, id, '', { range: 'bytes=0-9', 'if-range': ifRange });
      expect(stale.status, ifRange).toBe(200);
      expect(stale.bytes.equals(bytes), ifRange).toBe(true);
    }
  });

  it('ranges of content across 1 MiB chunk boundaries are the source bytes (property: random sizes and ranges)', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    // Sizes around the chunk size and its multiples, where a range read starts or ends in another chunk.
    const sizeArb = fc.oneof(
      fc.constantFrom(MiB - 1, MiB, MiB + 1, 2 * MiB, 2 * MiB + 1, 3 * MiB - 1),
      fc.integer({ min: 1, max: 3 * MiB + 17 }),
    );
    const rangeArb = (size: number) =>
      fc.oneof(
        fc.tuple(fc.nat(size - 1), fc.nat(size - 1)).map(([a, b]) => ({ header: `bytes=${Math.min(a, b)}-${Math.max(a, b)}`, start: Math.min(a, b), end: Math.max(a, b) })),
        // Both ends near a chunk boundary.
        fc
          .tuple(fc.nat(Math.floor((size - 1) / MiB)), fc.integer({ min: -3, max: 3 }), fc.nat(2 * MiB))
          .map(([k, d, len]) => {
            const start = Math.min(size - 1, Math.max(0, k * MiB + d));
            return { header: `bytes=${start}-${start + len}`, start, end: Math.min(size - 1, start + len) };
          }),
        fc.integer({ min: 1, max: size + 10 }).map((n) => ({ header: `bytes=-${n}`, start: Math.max(0, size - n), end: size - 1 })),
        fc.nat(size - 1).map((a) => ({ header: `bytes=${a}-`, start: a, end: size - 1 })),
      );
    let version = 0;
    await fc.assert(
      fc.asyncProperty(
        sizeArb.chain((size) => fc.tuple(fc.constant(size), fc.array(rangeArb(size), { minLength: 1, maxLength: 6 }))),
        async ([size, ranges]) => {
          const bytes = randomBytes(size);
          expect((await putContent(server, id, bytes)).status).toBe(201);
          const query = `?version=${version++}`;
          for (const { header, start, end } of ranges) {
            const res = await getContent(server, id, query, { range: header });
            expect(res.status, header).toBe(206);
            expect(res.headers.get('content-range'), header).toBe(`bytes ${start}-${end}/${size}`);
            expect(res.bytes.byteLength, header).toBe(end - start + 1);
            expect(res.bytes.equals(bytes.subarray(start, end + 1)), header).toBe(true);
          }
          expect(sha256((await getContent(server, id, query)).bytes)).toBe(sha256(bytes));
        },
      ),
      { numRuns: store.blobs === 'database' ? 12 : 6 },
    );
  });

  it('Content-SHA256, Digest and Content-Digest that match: 201', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const bytes = randomBytes(3000);
    const hex = sha256(bytes);
    const b64 = Buffer.from(hex, 'hex').toString('base64');
    const good: Record<string, string>[] = [
      { 'content-sha256': hex },
      { 'content-sha256': hex.toUpperCase() },
      { digest: `sha-256=${b64}` },
      { digest: `md5=abc, SHA-256=${b64}` },
      { 'content-digest': `sha-256=:${b64}:` },
      { 'repr-digest': `sha-512=:AAAA:, sha-256=:${b64}:` },
      { 'content-sha256': hex, digest: `sha-256=${b64}`, 'content-digest': `sha-256=:${b64}:` },
    ];
    for (const headers of good) {
      const res = await putContent(server, id, bytes, headers);
      expect(res.status, JSON.stringify(headers)).toBe(201);
      expect(res.body.sha256).toBe(hex);
    }
    // Chunked too: the hash is checked once the last byte is in.
    expect((await putChunked(server, id, bytes, { 'content-sha256': hex })).status).toBe(201);
  });

  it('a digest that does not match: 422 naming the header, and nothing stored (versions, usage, blobs unchanged)', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const kept = randomBytes(2000);
    await putContent(server, id, kept);
    const before = await usageOf(api);
    const versionsBefore = (await api.get(`/storage/artifacts/${id}/versions`)).body;

    const bytes = randomBytes(MiB + 10);
    const wrong = sha256(Buffer.from('something else'));
    const wrongB64 = Buffer.from(wrong, 'hex').toString('base64');
    for (const [header, value] of [
      ['content-sha256', wrong],
      ['digest', `sha-256=${wrongB64}`],
      ['content-digest', `sha-256=:${wrongB64}:`],
      ['repr-digest', `sha-256=:${wrongB64}:`],
    ] as const) {
      for (const upload of [putContent, putChunked]) {
        const res = await upload(server, id, bytes, { [header]: value });
        expect(res.status, header).toBe(422);
        expect(res.body.detail, header).toEqual([{ loc: ['header', header], msg: expect.stringContaining(sha256(bytes)), type: 'value_error' }]);
        expect(res.body.detail[0].msg).toContain('nothing was stored');
      }
    }
    expect((await api.get(`/storage/artifacts/${id}/versions`)).body).toEqual(versionsBefore);
    expect(await usageOf(api)).toEqual(before);
    const latest = await getContent(server, id);
    expect(latest.headers.get('artifact-version')).toBe('0');
    expect(latest.bytes.equals(kept)).toBe(true);
    // The refused upload's version number was not taken either.
    expect((await putContent(server, id, bytes)).body.version).toBe(1);
  });

  it('a malformed digest header: 422 before anything is stored', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const before = await usageOf(api);
    const hex = sha256(Buffer.from('abc'));
    const b64 = Buffer.from(hex, 'hex').toString('base64');
    const cases: [string, string][] = [
      ['content-sha256', 'xyz'],
      ['content-sha256', hex.slice(0, 63)],
      ['content-sha256', `${hex}0`],
      ['content-sha256', ''],
      ['digest', 'sha-256=not base64!'],
      ['digest', `sha-256=${Buffer.alloc(16).toString('base64')}`],
      ['content-digest', `sha-256=${b64}`],
      ['content-digest', 'sha-256=:@@:'],
      ['repr-digest', `sha-256=:${Buffer.alloc(31).toString('base64')}:`],
    ];
    for (const [header, value] of cases) {
      const res = await putContent(server, id, 'abc', { [header]: value });
      expect(res.status, `${header}: ${value}`).toBe(422);
      expect(res.body.detail[0].loc, `${header}: ${value}`).toEqual(['header', header]);
    }
    // Two headers that disagree with each other.
    const other = Buffer.from(sha256(Buffer.from('abd')), 'hex').toString('base64');
    const disagree = await putContent(server, id, 'abc', { 'content-sha256': hex, digest: `sha-256=${other}` });
    expect(disagree.status).toBe(422);
    expect(disagree.body.detail[0].msg).toMatch(/disagrees/);
    expect(await usageOf(api)).toEqual(before);
    expect((await api.get(`/storage/artifacts/${id}/versions`)).body).toEqual([]);
  });

  it('versions 0, 1, 2…: ?version=N, the list, the artifact size following the latest', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const contents = [randomBytes(10), randomBytes(20), randomBytes(30)];
    for (const [n, bytes] of contents.entries()) {
      const res = await putContent(server, id, bytes, { 'content-type': `application/x-v${n}` });
      expect(res.body.version).toBe(n);
      expect(res.headers.get('location')).toBe(`/storage/artifacts/${id}/content?version=${n}`);
      expect((await api.get(`/storage/artifacts/${id}`)).body.size).toBe(bytes.byteLength);
    }
    for (const [n, bytes] of contents.entries()) {
      const res = await getContent(server, id, `?version=${n}`);
      expect(res.bytes.equals(bytes)).toBe(true);
      expect(res.headers.get('artifact-version')).toBe(String(n));
      expect(res.headers.get('content-type')).toBe(`application/x-v${n}`);
      // A version never changes: cacheable for good; "the latest" must be revalidated.
      expect(res.headers.get('cache-control')).toMatch(/immutable/);
    }
    const latest = await getContent(server, id);
    expect(latest.headers.get('artifact-version')).toBe('2');
    expect(latest.headers.get('cache-control')).toBe('private, no-cache');
    const list = await api.get(`/storage/artifacts/${id}/versions`);
    expect(list.status).toBe(200);
    expect(list.body.map((v: any) => [v.version, v.size, v.sha256, v.content_type])).toEqual(contents.map((b, n) => [n, b.byteLength, sha256(b), `application/x-v${n}`]));
    expect(Object.keys(list.body[0])).toEqual(['artifact_id', 'version', 'sha256', 'size', 'content_type', 'created_at']);
  });

  it('deleting versions: one (others stay, latest moves, size follows), numbers never reused, then all', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const contents = [randomBytes(11), randomBytes(22), randomBytes(33)];
    for (const bytes of contents) await putContent(server, id, bytes);

    const middle = await api.del(`/storage/artifacts/${id}/content?version=1`);
    expect(middle.status).toBe(200);
    expect(middle.body).toEqual({ status: 'deleted', artifact_id: id, versions: [1] });
    expect((await api.get(`/storage/artifacts/${id}/versions`)).body.map((v: any) => v.version)).toEqual([0, 2]);
    expect((await getContent(server, id, '?version=1')).body).toEqual({ detail: 'Artifact version not found' });

    const last = await api.del(`/storage/artifacts/${id}/content?version=2`);
    expect(last.body.versions).toEqual([2]);
    const latest = await getContent(server, id);
    expect(latest.headers.get('artifact-version')).toBe('0');
    expect(latest.bytes.equals(contents[0]!)).toBe(true);
    expect((await api.get(`/storage/artifacts/${id}`)).body.size).toBe(11);

    // The deleted latest's number stays taken.
    const next = await putContent(server, id, randomBytes(44));
    expect(next.body.version).toBe(3);
    expect((await api.get(`/storage/artifacts/${id}/versions`)).body.map((v: any) => v.version)).toEqual([0, 3]);
    expect((await api.get(`/storage/artifacts/${id}`)).body.size).toBe(44);

    const all = await api.del(`/storage/artifacts/${id}/content`);
    expect(all.body).toEqual({ status: 'deleted', artifact_id: id, versions: [0, 3] });
    expect((await api.get(`/storage/artifacts/${id}/versions`)).body).toEqual([]);
    // The record stays, with the size it had.
    const record = await api.get(`/storage/artifacts/${id}`);
    expect(record.status).toBe(200);
    expect(record.body.size).toBe(44);
    expect((await getContent(server, id)).body).toEqual({ detail: 'Artifact content not found' });
    expect((await api.del(`/storage/artifacts/${id}/content`)).status).toBe(404);
    expect((await api.del(`/storage/artifacts/${id}/content?version=0`)).body).toEqual({ detail: 'Artifact version not found' });
    expect((await putContent(server, id, 'again')).body.version).toBe(4);
  });

  it('404s: unknown artifact, no content yet, unknown version; bad version numbers 422', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const unknown = 'artifact_unknown';
    for (const res of [
      await getContent(server, unknown),
      await getContent(server, unknown, '?version=0'),
      await getContent(server, unknown, '', {}, 'HEAD'),
      await putContent(server, unknown, 'x'),
      await api.get(`/storage/artifacts/${unknown}/versions`),
      await api.del(`/storage/artifacts/${unknown}/content`),
      await api.del(`/storage/artifacts/${unknown}/content?version=0`),
    ]) {
      expect(res.status).toBe(404);
      if (res.body) expect(res.body).toEqual({ detail: 'Artifact not found' });
    }
    expect((await getContent(server, id)).body).toEqual({ detail: 'Artifact content not found' });
    expect((await api.get(`/storage/artifacts/${id}/versions`)).body).toEqual([]);
    await putContent(server, id, 'x');
    expect((await getContent(server, id, '?version=1')).body).toEqual({ detail: 'Artifact version not found' });
    expect((await getContent(server, id, '?version=2147483647')).body).toEqual({ detail: 'Artifact version not found' });
    expect((await api.del(`/storage/artifacts/${id}/content?version=2147483647`)).body).toEqual({ detail: 'Artifact version not found' });
    // Past a 32-bit version: refused as such on every database (PostgreSQL could not even compare it).
    for (const query of ['?version=2147483648', `?version=${Number.MAX_SAFE_INTEGER}`, '?version=99999999999999999999']) {
      for (const res of [await getContent(server, id, query), await api.del(`/storage/artifacts/${id}/content${query}`)]) {
        expect(res.status, query).toBe(422);
        expect(res.body.detail, query).toEqual([{ loc: ['query', 'version'], msg: 'must be at most 2147483647', type: 'value_error' }]);
      }
      expect((await getContent(server, id, query, {}, 'HEAD')).status, query).toBe(422);
    }
    for (const query of ['?version=-1', '?version=abc', '?version=1.5']) {
      const res = await getContent(server, id, query);
      expect(res.status, query).toBe(422);
      expect(res.body.detail[0].loc, query).toEqual(['query', 'version']);
    }
  });

  it('POST save by name: creates the artifact with version 0, then versions the same artifact', async ({ server, api }) => {
    const sessionId = await newSession(api);
    const first = randomBytes(500);
    const created = await saveNamed(server, { session_id: sessionId, name: 'notes.md', metadata: '{"by":"agent"}' }, first, { 'content-type': 'text/markdown' });
    expect(created.status, created.bytes.toString()).toBe(201);
    expect(created.body.created_artifact).toBe(true);
    const artifact = created.body.artifact;
    expect(artifact).toMatchObject({ session_id: sessionId, name: 'notes.md', type: 'text/markdown', size: 500, metadata: { by: 'agent' } });
    expect(artifact.path).toBe(`/storage/artifacts/${artifact.id}/content`);
    expect(created.body.content).toMatchObject({ artifact_id: artifact.id, version: 0, size: 500, sha256: sha256(first), content_type: 'text/markdown' });
    expect(created.headers.get('etag')).toBe(`"${sha256(first)}"`);
    expect((await api.get(`/storage/artifacts/${artifact.id}`)).body).toEqual(artifact);

    const second = randomBytes(700);
    const versioned = await saveNamed(server, { session_id: sessionId, name: 'notes.md', type: 'ignored-for-existing' }, second, { 'content-type': 'text/plain' });
    expect(versioned.status).toBe(201);
    expect(versioned.body.created_artifact).toBe(false);
    expect(versioned.body.artifact.id).toBe(artifact.id);
    expect(versioned.body.artifact.size).toBe(700);
    expect(versioned.body.content).toMatchObject({ version: 1, size: 700, content_type: 'text/plain' });
    expect((await getContent(server, artifact.id)).bytes.equals(second)).toBe(true);
    expect((await api.get(`/storage/artifacts/${artifact.id}`)).body.size).toBe(700);

    // Another name, or the same name in another session: another artifact.
    // (A Uint8Array body: fetch labels a string text/plain.)
    const other = await saveNamed(server, { session_id: sessionId, name: 'Notes.md' }, new Uint8Array([1]));
    expect(other.body.created_artifact).toBe(true);
    expect(other.body.artifact.type).toBe('application/octet-stream');
    const elsewhere = await saveNamed(server, { session_id: await newSession(api), name: 'notes.md', type: 'doc', path: '/x/notes.md' }, 'y');
    expect(elsewhere.body.created_artifact).toBe(true);
    expect(elsewhere.body.artifact).toMatchObject({ type: 'doc', path: '/x/notes.md' });
    expect((await api.get(`/storage/artifacts?session_id=${sessionId}`)).body.map((a: any) => a.name)).toEqual(['notes.md', 'Notes.md']);
  });

  it('POST save by name versions an artifact record of that name made without content (version 0)', async ({ server, api }) => {
    const { id, sessionId } = await newArtifact(api, { name: 'plan.md' });
    const saved = await saveNamed(server, { session_id: sessionId, name: 'plan.md' }, new Uint8Array([1, 2, 3]));
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ created_artifact: false, artifact: { id, size: 3 }, content: { artifact_id: id, version: 0 } });
  });

  it('the content of an expired session’s artifact answers like an unknown artifact', async ({ server, api }) => {
    const sessionId = (await api.post('/storage/sessions', { agent_name: 'short-lived', ttl_seconds: 60 })).body.id;
    const { id } = await newArtifact(api, { sessionId, name: 'brief.txt' });
    expect((await putContent(server, id, 'soon gone')).status).toBe(201);
    server.clock.advance(61_000);
    expect((await getContent(server, id)).body).toEqual({ detail: 'Artifact not found' });
    expect((await getContent(server, id, '?version=0')).status).toBe(404);
    expect((await api.get(`/storage/artifacts/${id}/versions`)).status).toBe(404);
    expect((await putContent(server, id, 'more')).status).toBe(404);
    expect((await api.del(`/storage/artifacts/${id}/content`)).status).toBe(404);
    expect((await saveNamed(server, { session_id: sessionId, name: 'brief.txt' }, 'more')).body).toEqual({ detail: 'Session not found' });
  });

  it('POST save by name: unknown session 404, bad query 422, digest mismatch 422 (no artifact made)', async ({ server, api }) => {
    const sessionId = await newSession(api);
    const unknown = await saveNamed(server, { session_id: 'session_unknown', name: 'a' }, 'x');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: 'Session not found' });
    for (const params of [{ session_id: sessionId }, { name: 'a' } as Record<string, string>, { session_id: sessionId, name: 'a', metadata: '[1]' }, { session_id: sessionId, name: 'a', metadata: '{' }]) {
      const res = await saveNamed(server, params, 'x');
      expect(res.status, JSON.stringify(params)).toBe(422);
      expect(res.body.detail[0].loc[0]).toBe('query');
    }
    const mismatch = await saveNamed(server, { session_id: sessionId, name: 'a' }, 'x', { 'content-sha256': sha256(Buffer.from('y')) });
    expect(mismatch.status).toBe(422);
    expect((await api.get(`/storage/artifacts?session_id=${sessionId}`)).body).toEqual([]);
  });

  it('ten concurrent first saves of one new name make one artifact with versions 0..9', async ({ server, api }) => {
    const sessionId = await newSession(api);
    const bodies = Array.from({ length: 10 }, () => randomBytes(50_000));
    const results = await Promise.all(bodies.map((bytes) => saveNamed(server, { session_id: sessionId, name: 'race.bin' }, bytes)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(results.map((r) => r.body.artifact.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.body.created_artifact)).toHaveLength(1);
    expect(results.map((r) => r.body.content.version).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const [id] = ids;
    const listed = (await api.get(`/storage/artifacts/${id}/versions`)).body;
    expect(listed.map((v: any) => v.version)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Each version holds the bytes of the save that got its number.
    for (const r of results) {
      const got = await getContent(server, id!, `?version=${r.body.content.version}`);
      expect(sha256(got.bytes)).toBe(r.body.content.sha256);
    }
    expect((await api.get(`/storage/artifacts?session_id=${sessionId}`)).body).toHaveLength(1);
  });

  it('saves by name (new artifacts and new versions) and PUTs of new bytes, across sessions, all at once, all succeed (no deadlock)', async ({ server, api }) => {
    // Each write takes the tenant's usage row and its event counter: in the same order, or they deadlock (PostgreSQL).
    const sessions = await Promise.all(Array.from({ length: 6 }, () => newSession(api)));
    const artifacts = await Promise.all(sessions.map((sessionId) => newArtifact(api, { sessionId })));
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        sessions.flatMap((sessionId, i) => [
          saveNamed(server, { session_id: sessionId, name: `new-${round}` }, randomBytes(20_000)),
          saveNamed(server, { session_id: sessionId, name: 'kept' }, randomBytes(20_000)),
          putContent(server, artifacts[(i + 1) % artifacts.length]!.id, randomBytes(20_000)),
        ]),
      );
      expect(results.map((r) => r.status)).toEqual(Array(results.length).fill(201));
    }
    for (const { id, sessionId } of artifacts) {
      expect((await api.get(`/storage/artifacts/${id}/versions`)).body.map((v: any) => v.version)).toEqual([0, 1, 2]);
      expect((await api.get(`/storage/artifacts?session_id=${sessionId}`)).body.map((a: any) => a.name).sort()).toEqual(['kept', 'new-0', 'new-1', 'new-2', 'report.pdf']);
    }
  });

  it('concurrent PUTs to one artifact take distinct version numbers', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const results = await Promise.all(Array.from({ length: 8 }, () => putContent(server, id, randomBytes(20_000))));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(results.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('the download URL names the artifact id percent-encoded, and the bytes stream as sent', async ({ server, api }) => {
    const { id } = await newArtifact(api);
    const bytes = Buffer.from([0, 255, 13, 10, 0x1f, 0x8b, 0x3c, 0x68]);
    await putContent(server, id, bytes, { 'content-type': 'text/html' });
    const res = await send(contentUrl(server, id));
    // Served as what it was labelled, but never as a page of this origin.
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(res.bytes.equals(bytes)).toBe(true);
  });
});
