import { createHash } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { describe, expect, it, type TestServer } from '../support/server-fixture.js';
import { AUTH_ENV, createKey } from '../support/auth.js';
import { openSse } from '../support/sse.js';
import { type GraphQLClient, type GraphQLResult, graphqlClient } from './client.js';
import {
  ArtifactContentDocument,
  CreateArtifactDocument,
  CreateSessionDocument,
  DeleteArtifactContentDocument,
  SaveArtifactDocument,
  SaveArtifactReadingVersionsDocument,
  UploadArtifactContentDocument,
  UsageDocument,
} from './gql/graphql.js';

/**
 * Artifact content over GraphQL: uploads by the GraphQL multipart request spec, sent with plain
 * `fetch` and `FormData` as any client would (an `operations` part, a `map` part, a file part),
 * the content fields, downloads from `url`, usage, deletes, errors and the change feed.
 */

const CSRF = { 'x-graphql-yoga-csrf': '1' };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Bytes that are not UTF-8 (a lone 0xff, a NUL), so that nothing on the way may read them as text. */
const binary = (n: number, seed = 0): Uint8Array<ArrayBuffer> => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256);

interface Part {
  bytes: Uint8Array<ArrayBuffer>;
  type?: string;
  filename?: string;
}

/**
 * A multipart request: the operation with `file` set to null in `operations`, the `map` saying
 * which part fills it, then the file part.
 */
async function upload<R, V>(
  url: string,
  document: TypedDocumentNode<R, V>,
  variables: Omit<V, 'file'>,
  file: Part,
  headers: Record<string, string> = CSRF,
  { chunked = false } = {},
): Promise<GraphQLResult<R>> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: print(document), variables: { ...variables, file: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.filename ?? 'upload.bin');
  let init: RequestInit = { method: 'POST', headers, body: form };
  if (chunked) {
    // The same multipart body as a stream: sent without a Content-Length.
    const encoded = new Response(form);
    init = { method: 'POST', headers: { ...headers, 'content-type': encoded.headers.get('content-type')! }, body: encoded.body, duplex: 'half' } as RequestInit;
  }
  const response = await fetch(`${url}/graphql`, init);
  const body = (await response.json()) as Omit<GraphQLResult<R>, 'status'>;
  return { status: response.status, ...body };
}

async function uploaded<R, V>(url: string, document: TypedDocumentNode<R, V>, variables: Omit<V, 'file'>, file: Part): Promise<R> {
  const result = await upload(url, document, variables, file);
  if (result.errors?.length || result.data == null) throw new Error(`expected data, got ${result.status} ${JSON.stringify(result.errors)}`);
  return result.data;
}

async function newArtifact(gql: GraphQLClient, name = 'out.bin'): Promise<{ sessionId: string; artifactId: string }> {
  const sessionId = (await gql.data(CreateSessionDocument, { input: { agentName: 'uploader' } })).createSession.id;
  const artifactId = (await gql.data(CreateArtifactDocument, { input: { sessionId, name, type: 'application/octet-stream', path: `/out/${name}`, size: 0 } })).createArtifact.id;
  return { sessionId, artifactId };
}

async function download(url: string): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
  const response = await fetch(url);
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
}

describe('uploadArtifactContent', () => {
  it('stores versions 0, 1, … of the bytes; content, versions and the artifact size follow; url downloads the same bytes', async ({ server, gql }) => {
    const { artifactId } = await newArtifact(gql);
    const first = binary(5000);
    const saved = (await uploaded(server.url, UploadArtifactContentDocument, { artifactId }, { bytes: first, type: 'image/png' })).uploadArtifactContent;
    expect(saved).toMatchObject({ artifactId, version: 0, sha256: sha256(first), size: 5000, contentType: 'image/png' });
    expect(saved.url).toBe(`${server.url}/storage/artifacts/${artifactId}/content?version=0`);

    server.clock.advance(1000);
    const second = binary(70_000, 7);
    const next = (await uploaded(server.url, UploadArtifactContentDocument, { artifactId }, { bytes: second })).uploadArtifactContent;
    expect(next).toMatchObject({ version: 1, sha256: sha256(second), size: 70_000, contentType: 'application/octet-stream' });
    expect(Date.parse(next.createdAt) - Date.parse(saved.createdAt)).toBe(1000);

    const artifact = (await gql.data(ArtifactContentDocument, { id: artifactId, version: 0 })).artifact!;
    expect(artifact.size).toBe(70_000);
    expect(artifact.content).toEqual(next);
    expect(artifact.pinned).toEqual({ version: 0, sha256: sha256(first) });
    expect(artifact.versions).toEqual([saved, next]);
    expect((await gql.data(ArtifactContentDocument, { id: artifactId, version: 7 })).artifact!.pinned).toBeNull();

    for (const [content, bytes] of [[saved, first], [next, second]] as const) {
      const got = await download(content.url);
      expect(got.status).toBe(200);
      expect(got.headers.get('etag')).toBe(`"${content.sha256}"`);
      expect(got.headers.get('content-type')).toBe(content.contentType);
      expect(Buffer.from(got.bytes).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('reads a multipart body sent without a Content-Length (chunked) as well', async ({ server, gql }) => {
    const { artifactId } = await newArtifact(gql);
    const bytes = binary(100_000, 5);
    const result = await upload(server.url, UploadArtifactContentDocument, { artifactId }, { bytes }, CSRF, { chunked: true });
    expect(result.errors).toBeUndefined();
    expect(result.data!.uploadArtifactContent).toMatchObject({ version: 0, size: 100_000, sha256: sha256(bytes) });
  });

  it('takes contentType and a matching sha256 (any case); an empty file is a version too', async ({ server, gql }) => {
    const { artifactId } = await newArtifact(gql);
    const bytes = new TextEncoder().encode('# Report\n\nüber alles\n');
    const saved = (
      await uploaded(server.url, UploadArtifactContentDocument, { artifactId, contentType: 'text/markdown; charset=utf-8', sha256: sha256(bytes).toUpperCase() }, { bytes, type: 'text/plain' })
    ).uploadArtifactContent;
    expect(saved).toMatchObject({ contentType: 'text/markdown; charset=utf-8', sha256: sha256(bytes), size: bytes.length });
    const empty = (await uploaded(server.url, UploadArtifactContentDocument, { artifactId }, { bytes: new Uint8Array() })).uploadArtifactContent;
    expect(empty).toMatchObject({ version: 1, size: 0, sha256: sha256(new Uint8Array()) });
    const got = await download(empty.url);
    expect([got.status, got.bytes.length]).toEqual([200, 0]);
  });

  it('is refused without a CSRF header (a cross-site form could send it): 403, nothing stored', async ({ server, gql }) => {
    const { artifactId } = await newArtifact(gql);
    const refused = await upload(server.url, UploadArtifactContentDocument, { artifactId }, { bytes: binary(10) }, {});
    expect(refused.status).toBe(403);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CSRF_PREVENTED');
    expect((await gql.data(ArtifactContentDocument, { id: artifactId })).artifact!.versions).toEqual([]);
    for (const header of ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'x-apollo-operation-name']) {
      const ok = await upload(server.url, UploadArtifactContentDocument, { artifactId }, { bytes: binary(10) }, { [header]: '1' });
      expect(ok.errors, header).toBeUndefined();
    }
  });

  it('answers each refusal with its code, and stores nothing', async ({ server, gql }) => {
    const { artifactId } = await newArtifact(gql);
    const bytes = binary(100);
    const codeOf = async (variables: { artifactId: string; sha256?: string; contentType?: string }) => {
      const result = await upload(server.url, UploadArtifactContentDocument, variables, { bytes });
      expect(result.data ?? null).toBeNull();
      return { code: result.errors?.[0]?.extensions?.code, message: result.errors?.[0]?.message };
    };
    expect(await codeOf({ artifactId: 'artifact_nope' })).toEqual({ code: 'NOT_FOUND', message: 'Artifact not found' });
    const mismatch = await codeOf({ artifactId, sha256: sha256(binary(100, 1)) });
    expect(mismatch.code).toBe('BAD_USER_INPUT');
    expect(mismatch.message).toMatch(new RegExp(`^sha256: the content's sha256 is ${sha256(bytes)}, not`));
    expect((await codeOf({ artifactId, sha256: 'abc' })).code).toBe('BAD_USER_INPUT');
    expect((await codeOf({ artifactId, contentType: 'not a type' })).code).toBe('BAD_USER_INPUT');
    expect((await gql.data(ArtifactContentDocument, { id: artifactId })).artifact!.versions).toEqual([]);

    // A File is no JSON value: given as a variable of a JSON request, it is refused before anything runs.
    const asJson = await gql.raw(print(UploadArtifactContentDocument), { artifactId, file: 'aGVsbG8=' });
    expect(asJson.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(asJson.errors?.[0]?.message).toMatch(/multipart request/);
    // Nor can a document spell one (a wrong literal fails validation, as any other does).
    const literal = await gql.raw(`mutation { uploadArtifactContent(artifactId: "${artifactId}", file: "x") { version } }`);
    expect(literal.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(literal.errors?.[0]?.message).toMatch(/multipart request/);
  });

  it('a malformed multipart request is a 400 BAD_REQUEST; a map that fills the file with text is BAD_USER_INPUT', async ({ server, gql }) => {
    const { artifactId } = await newArtifact(gql);
    const operations = JSON.stringify({ query: print(UploadArtifactContentDocument), variables: { artifactId, file: null } });
    const send = async (parts: [string, string | Blob][], init: RequestInit = {}) => {
      const form = new FormData();
      for (const [name, value] of parts) form.append(name, value);
      const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: CSRF, body: form, ...init });
      const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
      return { status: response.status, code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message };
    };
    expect(await send([['map', '{}']])).toEqual({ status: 400, code: 'BAD_REQUEST', message: 'Missing multipart form field "operations"' });
    expect(await send([['operations', '{not json']])).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(await send([['operations', operations], ['map', '{not json']])).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    const cut = await send([], { headers: { ...CSRF, 'content-type': 'multipart/form-data; boundary=X' }, body: '--X\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{' });
    expect(cut).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    // The spec's parts, but the one the map names is a text field, or missing.
    const text = await send([['operations', operations], ['map', '{"0":["variables.file"]}'], ['0', 'not a file']]);
    expect(text).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/multipart request/) });
    expect(await send([['operations', operations], ['map', '{"0":["variables.file"]}']])).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await gql.data(ArtifactContentDocument, { id: artifactId })).artifact!.versions).toEqual([]);
  });

  it('PAYLOAD_TOO_LARGE over MAX_ARTIFACT_BYTES, INSUFFICIENT_STORAGE over the quota, 413 over MAX_BODY_BYTES', async ({ serve }) => {
    const small = await serve({ MAX_ARTIFACT_BYTES: '1000', STORAGE_QUOTA_BYTES: '1500', MAX_BODY_BYTES: '4096' });
    const { artifactId } = await newArtifact(graphqlClient(small.url));
    const codeOf = async (n: number) => (await upload(small.url, UploadArtifactContentDocument, { artifactId }, { bytes: binary(n) })).errors?.[0]?.extensions?.code;
    expect(await codeOf(1001)).toBe('PAYLOAD_TOO_LARGE');
    expect(await codeOf(1000)).toBeUndefined();
    const overQuota = await upload(small.url, UploadArtifactContentDocument, { artifactId }, { bytes: binary(600, 1) });
    // Waiting does not help against a quota: no retryAfter.
    expect(overQuota.errors?.[0]?.extensions).toEqual({ code: 'INSUFFICIENT_STORAGE' });
    // Bytes already stored, announced by their sha256, take no more room: within the quota.
    const again = await upload(small.url, UploadArtifactContentDocument, { artifactId, sha256: sha256(binary(1000)) }, { bytes: binary(1000) });
    expect(again.data?.uploadArtifactContent.version).toBe(1);

    // MAX_BODY_BYTES holds for the whole request, declared or counted as it arrives.
    for (const chunked of [false, true]) {
      const body = await upload(small.url, UploadArtifactContentDocument, { artifactId }, { bytes: binary(5000) }, CSRF, { chunked });
      expect(body.status).toBe(413);
      expect(body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    }
    const { versions } = (await graphqlClient(small.url).data(ArtifactContentDocument, { id: artifactId })).artifact!;
    expect(versions.map((v) => v.size)).toEqual([1000, 1000]);
  });
});

describe('saveArtifact', () => {
  it('creates the artifact named N with version 0, then adds versions to it; defaults from the upload', async ({ server, gql }) => {
    const sessionId = (await gql.data(CreateSessionDocument, { input: { agentName: 'adk' } })).createSession.id;
    const v0 = binary(300);
    const first = (await uploaded(server.url, SaveArtifactDocument, { sessionId, name: 'chart.png' }, { bytes: v0, type: 'image/png', filename: 'chart.png' })).saveArtifact;
    expect(first.createdArtifact).toBe(true);
    expect(first.artifact).toMatchObject({ sessionId, name: 'chart.png', type: 'image/png', size: 300, metadata: {} });
    expect(first.artifact.path).toBe(`/storage/artifacts/${first.artifact.id}/content`);
    expect(first.content).toMatchObject({ artifactId: first.artifact.id, version: 0, sha256: sha256(v0), contentType: 'image/png' });

    const v1 = binary(400, 3);
    const second = (await uploaded(server.url, SaveArtifactDocument, { sessionId, name: 'chart.png', sha256: sha256(v1) }, { bytes: v1, type: 'image/png' })).saveArtifact;
    expect(second.createdArtifact).toBe(false);
    expect(second.artifact.id).toBe(first.artifact.id);
    expect(second.content).toMatchObject({ version: 1, size: 400 });
    const got = await download(second.content.url);
    expect(Buffer.from(got.bytes).equals(Buffer.from(v1))).toBe(true);

    const other = (
      await uploaded(server.url, SaveArtifactDocument, { sessionId, name: 'notes', type: 'notes', path: '/x/notes', metadata: { k: [1] } }, { bytes: binary(3) })
    ).saveArtifact;
    expect(other.createdArtifact).toBe(true);
    expect(other.artifact).toMatchObject({ name: 'notes', type: 'notes', path: '/x/notes', metadata: { k: [1] } });
  });

  it('NOT_FOUND for an unknown session; BAD_USER_INPUT for bad fields', async ({ server }) => {
    const unknown = await upload(server.url, SaveArtifactDocument, { sessionId: 'session_nope', name: 'a' }, { bytes: binary(3) });
    expect(unknown.errors?.[0]).toMatchObject({ message: 'Session not found', extensions: { code: 'NOT_FOUND' } });
    const empty = await upload(server.url, SaveArtifactDocument, { sessionId: 'session_nope', name: '' }, { bytes: binary(3) });
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('deleteArtifactContent', () => {
  it('deletes a version, or all; NOT_FOUND for what is not there; numbers are not reused', async ({ server, gql }) => {
    const { artifactId } = await newArtifact(gql);
    for (let i = 0; i < 3; i++) await uploaded(server.url, UploadArtifactContentDocument, { artifactId }, { bytes: binary(10 + i) });
    expect((await gql.data(DeleteArtifactContentDocument, { artifactId, version: 2 })).deleteArtifactContent).toEqual([2]);
    const [again] = await gql.errors(DeleteArtifactContentDocument, { artifactId, version: 2 });
    expect(again).toMatchObject({ message: 'Artifact version not found', extensions: { code: 'NOT_FOUND' } });
    expect((await gql.data(ArtifactContentDocument, { id: artifactId })).artifact!.content?.version).toBe(1);

    const next = (await uploaded(server.url, UploadArtifactContentDocument, { artifactId }, { bytes: binary(1) })).uploadArtifactContent;
    expect(next.version).toBe(3);
    expect((await gql.data(DeleteArtifactContentDocument, { artifactId })).deleteArtifactContent).toEqual([0, 1, 3]);
    const artifact = (await gql.data(ArtifactContentDocument, { id: artifactId })).artifact!;
    expect([artifact.content, artifact.versions]).toEqual([null, []]);
    expect((await download(next.url)).status).toBe(404);

    const [none] = await gql.errors(DeleteArtifactContentDocument, { artifactId });
    expect(none).toMatchObject({ message: 'Artifact content not found', extensions: { code: 'NOT_FOUND' } });
    const [unknown] = await gql.errors(DeleteArtifactContentDocument, { artifactId: 'artifact_nope' });
    expect(unknown).toMatchObject({ message: 'Artifact not found', extensions: { code: 'NOT_FOUND' } });
    const [negative] = await gql.errors(DeleteArtifactContentDocument, { artifactId, version: -1 });
    expect(negative!.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('usage', () => {
  it("counts the tenant's content: distinct bytes once, every version's size, the limits", async ({ serve }) => {
    // Its own server: the numbers are of this test's uploads only. A quota above 2^31 comes back whole.
    const own: TestServer = await serve({ STORAGE_QUOTA_BYTES: String(10 * 1024 ** 3), MAX_ARTIFACT_BYTES: String(5 * 1024 ** 3) });
    const gql = graphqlClient(own.url);
    expect((await gql.data(UsageDocument)).usage).toEqual({
      tenant: 'default',
      storedBytes: 0,
      contentBytes: 0,
      blobs: 0,
      versions: 0,
      quotaBytes: 10 * 1024 ** 3,
      maxArtifactBytes: 5 * 1024 ** 3,
    });
    const { artifactId } = await newArtifact(gql);
    const other = await newArtifact(gql, 'other');
    await uploaded(own.url, UploadArtifactContentDocument, { artifactId }, { bytes: binary(1000) });
    await uploaded(own.url, UploadArtifactContentDocument, { artifactId }, { bytes: binary(2000) });
    // The same bytes as an earlier version, in another artifact: stored once.
    await uploaded(own.url, UploadArtifactContentDocument, { artifactId: other.artifactId }, { bytes: binary(1000) });
    expect((await gql.data(UsageDocument)).usage).toMatchObject({ storedBytes: 3000, contentBytes: 4000, blobs: 2, versions: 3 });
  });
});

describe('the change feed', () => {
  it('a subscription receives ArtifactContentSaved and ArtifactContentDeleted over SSE', async ({ server, gql }) => {
    const { sessionId, artifactId } = await newArtifact(gql);
    const query = `subscription($sessionId: ID!) { sessionEvents(sessionId: $sessionId) {
      __typename sessionId
      ... on ArtifactContentSaved { content { artifactId version sha256 size url } }
      ... on ArtifactContentDeleted { artifactId versions }
    } }`;
    const stream = await openSse(`${server.url}/graphql`, { 'content-type': 'application/json' }, { method: 'POST', body: JSON.stringify({ query, variables: { sessionId } }) });
    expect(stream.status).toBe(200);
    try {
      const bytes = binary(64);
      await uploaded(server.url, UploadArtifactContentDocument, { artifactId }, { bytes });
      await gql.data(DeleteArtifactContentDocument, { artifactId, version: 0 });
      const [saved, deleted] = (await stream.take(2)).map((m) => JSON.parse(m.data).data.sessionEvents);
      expect(saved).toEqual({
        __typename: 'ArtifactContentSaved',
        sessionId,
        content: { artifactId, version: 0, sha256: sha256(bytes), size: 64, url: `${server.url}/storage/artifacts/${artifactId}/content?version=0` },
      });
      expect(deleted).toEqual({ __typename: 'ArtifactContentDeleted', sessionId, artifactId, versions: [0] });
    } finally {
      stream.close();
    }
  });
});

describe('scopes', () => {
  it('a write-only key uploads and sees what it wrote, but reads no other version through the result', async ({ serve }) => {
    const own = await serve(AUTH_ENV);
    const writer = { ...CSRF, authorization: `Bearer ${await createKey(own.url, 'acme', ['WRITE'])}` };
    const reader = { authorization: `Bearer ${await createKey(own.url, 'acme', ['READ'])}` };
    const sessionId = (await (await fetch(`${own.url}/storage/sessions`, { method: 'POST', headers: { ...writer, 'content-type': 'application/json' }, body: '{"agent_name":"vault"}' })).json()).id;

    const saved = await upload(own.url, SaveArtifactDocument, { sessionId, name: 'secret' }, { bytes: binary(10) }, writer);
    expect(saved.data?.saveArtifact).toMatchObject({ createdArtifact: true, content: { version: 0 } });
    const refused = await upload(own.url, SaveArtifactReadingVersionsDocument, { sessionId, name: 'secret' }, { bytes: binary(20) }, writer);
    expect(refused.status).toBe(403);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/Artifact\.versions needs it/) });

    const usage = await fetch(`${own.url}/graphql`, { method: 'POST', headers: { ...writer, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ usage { blobs } }' }) });
    expect(usage.status).toBe(403);
    const read = await fetch(`${own.url}/graphql`, { method: 'POST', headers: { ...reader, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ usage { tenant blobs versions } }' }) });
    // The refused save stored nothing.
    expect((await read.json()).data.usage).toEqual({ tenant: 'acme', blobs: 1, versions: 1 });
  });
});
