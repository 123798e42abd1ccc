import { createHash } from 'node:crypto';
import { AgentStorageClient, AgentStorageError, type FetchLike } from '../../src/client/index.js';
import { AUTH_ENV, createKey } from '../support/auth.js';
import { describe, expect, it } from '../support/server-fixture.js';

/*
 * The client's artifact content methods against a real server (both vitest projects): each one
 * round-trips bytes in every form the client takes, and each refusal arrives as an
 * AgentStorageError with its code — unknown artifact or session (404), too large (413), bytes
 * changed on the way (422), a read-only key (403). Reads are retried, writes are not.
 */

async function failure(call: Promise<unknown>): Promise<AgentStorageError> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(AgentStorageError);
  return error as AgentStorageError;
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

describe('artifact content', () => {
  it('saveContent: a new artifact by name, then new versions of it; every kind of data', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const session = await client.sessions.create({ agentName: 'content-save' });

    const first = await client.artifacts.saveContent({ sessionId: session.id, name: 'notes.txt', data: 'first', metadata: { by: 'test' } });
    expect(first.artifact).toMatchObject({ sessionId: session.id, name: 'notes.txt', type: 'text/plain; charset=utf-8', size: 5, metadata: { by: 'test' } });
    expect(first.artifact.path).toBe(`/storage/artifacts/${first.artifact.id}/content`);
    expect(first.createdArtifact).toBe(true);
    expect(first.content).toEqual({ artifactId: first.artifact.id, version: 0, sha256: sha256('first'), size: 5, contentType: 'text/plain; charset=utf-8', createdAt: expect.any(String) });

    const bytes = new Uint8Array([0, 1, 2, 255]);
    const forms = [bytes, bytes.buffer.slice(0), new Blob([bytes], { type: 'application/x-blob' }), new Blob([bytes]).stream()];
    const saved = [];
    for (const data of forms) saved.push(await client.artifacts.saveContent({ sessionId: session.id, name: 'notes.txt', data, contentType: data instanceof Blob ? undefined : 'application/x-bytes' }));
    expect(saved.map((s) => s.artifact.id)).toEqual(forms.map(() => first.artifact.id));
    expect(saved.map((s) => s.createdArtifact)).toEqual(forms.map(() => false));
    expect(saved.map((s) => s.content.version)).toEqual([1, 2, 3, 4]);
    expect(saved.map((s) => [s.content.size, s.content.sha256, s.content.contentType])).toEqual([
      [4, sha256(bytes), 'application/x-bytes'],
      [4, sha256(bytes), 'application/x-bytes'],
      [4, sha256(bytes), 'application/x-blob'],
      [4, sha256(bytes), 'application/x-bytes'],
    ]);
    // The record's size is the latest version's.
    expect((await client.artifacts.get(first.artifact.id))?.size).toBe(4);

    // Another name is another artifact, with its own versions from 0.
    const other = await client.artifacts.saveContent({ sessionId: session.id, name: 'other.bin', data: bytes, type: 'blob' });
    expect(other.artifact).toMatchObject({ name: 'other.bin', type: 'blob' });
    expect(other.content.version).toBe(0);

    expect(await failure(client.artifacts.saveContent({ sessionId: 'session_missing', name: 'x', data: 'x' }))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('putContent: the next version of an artifact; NOT_FOUND for an unknown one', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const session = await client.sessions.create({ agentName: 'content-put' });
    const artifact = await client.artifacts.create({ sessionId: session.id, name: 'report.pdf', type: 'application/pdf', path: '/tmp/report.pdf', size: 0 });
    const v0 = await client.artifacts.putContent(artifact.id, new Uint8Array([37, 80, 68, 70]), { contentType: 'application/pdf' });
    expect(v0).toEqual({ artifactId: artifact.id, version: 0, sha256: sha256(new Uint8Array([37, 80, 68, 70])), size: 4, contentType: 'application/pdf', createdAt: expect.any(String) });
    const v1 = await client.artifacts.putContent(artifact.id, 'text now');
    expect(v1).toMatchObject({ version: 1, size: 8, contentType: 'text/plain; charset=utf-8' });
    expect(await failure(client.artifacts.putContent('artifact_missing', 'x'))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('loadContent and streamContent: the latest or a given version, checked; null when missing', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const session = await client.sessions.create({ agentName: 'content-load' });
    const { artifact } = await client.artifacts.saveContent({ sessionId: session.id, name: 'a.txt', data: 'version zero', contentType: 'text/plain' });
    await client.artifacts.saveContent({ sessionId: session.id, name: 'a.txt', data: 'version one', contentType: 'text/markdown' });

    const latest = (await client.artifacts.loadContent(artifact.id))!;
    expect(text(latest.bytes)).toBe('version one');
    expect(latest.content).toMatchObject({ artifactId: artifact.id, version: 1, sha256: sha256('version one'), size: 11, contentType: 'text/markdown' });
    expect(Date.parse(latest.content.createdAt)).not.toBeNaN();
    const zero = (await client.artifacts.loadContent(artifact.id, { version: 0 }))!;
    expect([text(zero.bytes), zero.content.version, zero.content.contentType]).toEqual(['version zero', 0, 'text/plain']);

    const streamed = (await client.artifacts.streamContent(artifact.id, { version: 0 }))!;
    expect(streamed.content).toMatchObject({ version: 0, size: 12, sha256: sha256('version zero') });
    expect(text(await readAll(streamed.body))).toBe('version zero');

    const empty = await client.artifacts.create({ sessionId: session.id, name: 'empty', type: 'x', path: '/x', size: 0 });
    expect(await client.artifacts.loadContent(artifact.id, { version: 7 })).toBeNull();
    expect(await client.artifacts.loadContent(empty.id)).toBeNull();
    expect(await client.artifacts.loadContent('artifact_missing')).toBeNull();
    expect(await client.artifacts.streamContent(empty.id)).toBeNull();
  });

  it('contentVersions and deleteContent: one version, then all; the record stays; NOT_FOUND when nothing is left', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const session = await client.sessions.create({ agentName: 'content-versions' });
    const { artifact } = await client.artifacts.saveContent({ sessionId: session.id, name: 'v', data: 'a' });
    for (const data of ['bb', 'ccc']) await client.artifacts.saveContent({ sessionId: session.id, name: 'v', data });

    const versions = await client.artifacts.contentVersions(artifact.id);
    expect(versions.map((v) => [v.version, v.size, v.sha256])).toEqual([
      [0, 1, sha256('a')],
      [1, 2, sha256('bb')],
      [2, 3, sha256('ccc')],
    ]);
    expect(await client.artifacts.deleteContent(artifact.id, { version: 2 })).toEqual([2]);
    // A deleted number is not given again.
    expect((await client.artifacts.saveContent({ sessionId: session.id, name: 'v', data: 'dddd' })).content.version).toBe(3);
    expect((await client.artifacts.contentVersions(artifact.id)).map((v) => v.version)).toEqual([0, 1, 3]);
    expect(await failure(client.artifacts.deleteContent(artifact.id, { version: 2 }))).toMatchObject({ code: 'NOT_FOUND', status: 404 });

    expect(await client.artifacts.deleteContent(artifact.id)).toEqual([0, 1, 3]);
    expect(await client.artifacts.contentVersions(artifact.id)).toEqual([]);
    expect(await client.artifacts.get(artifact.id)).not.toBeNull();
    expect(await failure(client.artifacts.deleteContent(artifact.id))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(client.artifacts.contentVersions('artifact_missing'))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('usage: stored bytes counted once per distinct content, every version in contentBytes', async ({ serve }) => {
    const server = await serve({ MAX_ARTIFACT_BYTES: '1000' });
    const client = new AgentStorageClient({ url: server.url });
    const before = await client.artifacts.usage();
    expect(before).toEqual({ tenant: 'default', storedBytes: 0, contentBytes: 0, blobs: 0, versions: 0, quotaBytes: null, maxArtifactBytes: 1000 });
    const session = await client.sessions.create({ agentName: 'content-usage' });
    await client.artifacts.saveContent({ sessionId: session.id, name: 'same', data: '0123456789' });
    await client.artifacts.saveContent({ sessionId: session.id, name: 'same', data: '0123456789' });
    await client.artifacts.saveContent({ sessionId: session.id, name: 'other', data: 'abc' });
    expect(await client.artifacts.usage()).toMatchObject({ storedBytes: 13, contentBytes: 23, blobs: 2, versions: 3 });
  });

  it('refuses content over MAX_ARTIFACT_BYTES (413), streamed or not; nothing is stored', async ({ serve }) => {
    const server = await serve({ MAX_ARTIFACT_BYTES: '16' });
    const client = new AgentStorageClient({ url: server.url });
    const session = await client.sessions.create({ agentName: 'content-limit' });
    const { artifact } = await client.artifacts.saveContent({ sessionId: session.id, name: 'small', data: new Uint8Array(16) });
    expect(await failure(client.artifacts.putContent(artifact.id, new Uint8Array(17)))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    expect(await failure(client.artifacts.putContent(artifact.id, new Blob([new Uint8Array(17)]).stream()))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await failure(client.artifacts.saveContent({ sessionId: session.id, name: 'large', data: new Uint8Array(100) }))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((await client.artifacts.contentVersions(artifact.id)).map((v) => v.version)).toEqual([0]);
    expect((await client.artifacts.list(session.id)).nodes.map((a) => a.name)).toEqual(['small']);
  });

  it('sends the SHA-256 of bytes in memory: bytes changed on the way are refused (422), not stored', async ({ server }) => {
    // A fetch that corrupts a byte of the body after the client computed its digest.
    const corrupting: FetchLike = (input, init) => {
      const body: unknown = init.body;
      if (body instanceof Uint8Array && body.length > 0) {
        const changed = Uint8Array.from(body);
        changed[0] = changed[0]! ^ 0xff;
        return fetch(input, { ...init, body: changed });
      }
      return fetch(input, init);
    };
    const client = new AgentStorageClient({ url: server.url, fetch: corrupting });
    const session = await client.sessions.create({ agentName: 'content-digest' });
    const refused = await failure(client.artifacts.saveContent({ sessionId: session.id, name: 'x', data: 'precious bytes' }));
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', status: 422 });
    expect(refused.message).toContain('nothing was stored');
    expect((await client.artifacts.list(session.id)).nodes).toEqual([]);

    const { artifact } = await new AgentStorageClient({ url: server.url }).artifacts.saveContent({ sessionId: session.id, name: 'x', data: 'ok' });
    expect(await failure(client.artifacts.putContent(artifact.id, new Uint8Array([1, 2, 3])))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await client.artifacts.contentVersions(artifact.id)).map((v) => v.version)).toEqual([0]);
  });

  it('retries a read whose connection failed, never a write', async ({ server }) => {
    const seen: string[] = [];
    let failNext = true;
    const flaky: FetchLike = (input, init) => {
      seen.push(`${init.method} ${new URL(input).pathname}`);
      if (failNext && new URL(input).pathname.includes('/content')) {
        failNext = false;
        return Promise.reject(new TypeError('fetch failed'));
      }
      return fetch(input, init);
    };
    const client = new AgentStorageClient({ url: server.url, fetch: flaky, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const session = await client.sessions.create({ agentName: 'content-retry' });

    const write = await failure(client.artifacts.saveContent({ sessionId: session.id, name: 'r', data: 'once' }));
    expect(write.code).toBe('NETWORK_ERROR');
    const { artifact } = await client.artifacts.saveContent({ sessionId: session.id, name: 'r', data: 'once' });
    failNext = true;
    expect(text((await client.artifacts.loadContent(artifact.id))!.bytes)).toBe('once');
    const contentCalls = seen.filter((call) => call.includes('/content'));
    expect(contentCalls).toEqual(['POST /storage/artifacts/content', 'POST /storage/artifacts/content', `GET /storage/artifacts/${artifact.id}/content`, `GET /storage/artifacts/${artifact.id}/content`]);
  });

  it('sends the API key: a read-only key reads content and is refused writes (403)', async ({ serve }) => {
    const server = await serve(AUTH_ENV);
    const writer = new AgentStorageClient({ url: server.url, apiKey: await createKey(server.url, 'content-tenant', ['READ', 'WRITE']) });
    const reader = new AgentStorageClient({ url: server.url, apiKey: await createKey(server.url, 'content-tenant', ['READ']) });
    const session = await writer.sessions.create({ agentName: 'content-auth' });
    const { artifact } = await writer.artifacts.saveContent({ sessionId: session.id, name: 'k', data: 'keyed' });
    expect(text((await reader.artifacts.loadContent(artifact.id))!.bytes)).toBe('keyed');
    expect(await failure(reader.artifacts.putContent(artifact.id, 'no'))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(await failure(new AgentStorageClient({ url: server.url }).artifacts.loadContent(artifact.id))).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });
});
