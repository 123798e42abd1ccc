import { Response } from '@whatwg-node/fetch';
import { create as contentDisposition } from 'content-disposition';
import rangeParser from 'range-parser';
import { z } from 'zod';
import { PayloadTooLargeError, ValidationError } from '../../domain/errors.js';
import { createArtifactInput, isMediaType } from '../../domain/inputs.js';
import { jsonObject } from '../../domain/json.js';
import { artifactContentRecord } from '../../domain/records.js';
import { wireCodec } from '../../domain/wire.js';
import { callerOf } from '../../http/auth.js';
import { HttpError, json, parseWire, queryObject } from '../../rest/http.js';
import { queryInt, requireParam, type RestRequest, type Route, type RouteDeps } from '../../rest/routes.js';
import type { ByteRange } from '../blobs/bytes.js';
import { artifactWire } from './rest.js';
import type { ContentToServe } from './content-store.js';
import type { Upload } from './service.js';

/** A content version on the REST wire: `{artifact_id, version, sha256, size, content_type, created_at}`. */
export const artifactContentWire = wireCodec(artifactContentRecord);

// Versions are 32-bit integers (PostgreSQL's `integer` column, GraphQL's Int): a larger number is
// refused as such, not sent to a database that cannot compare it.
const versionQuery = z.object({ version: queryInt(0, 2 ** 31 - 1).optional() });

/** `POST /storage/artifacts/content`'s query: the artifact's fields but its size (the content's). */
const saveQuery = createArtifactInput.pick({ sessionId: true, name: true }).extend({
  type: createArtifactInput.shape.type.optional(),
  path: createArtifactInput.shape.path.optional(),
  metadata: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(jsonObject)
    .optional(),
});

const issue = (header: string, msg: string) => new HttpError(422, [{ loc: ['header', header], msg, type: 'value_error' }]);

/**
 * The sha256 the client says its bytes have, from any of the headers that can carry it:
 * `Content-SHA256` (hex), `Digest: sha-256=<base64>` (RFC 3230), `Content-Digest` / `Repr-Digest:
 * sha-256=:<base64>:` (RFC 9530). Other algorithms are ignored; two that disagree are refused.
 */
export function expectedSha256(headers: Headers): { sha256: string; header: string } | undefined {
  const found: { sha256: string; header: string }[] = [];
  const hex = headers.get('content-sha256');
  if (hex !== null) {
    if (!/^[0-9a-fA-F]{64}$/.test(hex.trim())) throw issue('content-sha256', 'must be 64 hexadecimal digits (the sha256 of the body)');
    found.push({ sha256: hex.trim().toLowerCase(), header: 'content-sha256' });
  }
  const fromBase64 = (header: string, b64: string) => {
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length !== 32 || bytes.toString('base64').replace(/=+$/, '') !== b64.replace(/=+$/, '')) throw issue(header, 'sha-256 must be the base64 of 32 bytes');
    found.push({ sha256: bytes.toString('hex'), header });
  };
  const digest = headers.get('digest');
  if (digest !== null) {
    for (const part of digest.split(',')) {
      const m = /^\s*sha-256=(.*?)\s*$/i.exec(part);
      if (m) fromBase64('digest', m[1]!);
    }
  }
  for (const header of ['content-digest', 'repr-digest']) {
    const value = headers.get(header);
    if (value === null) continue;
    for (const part of value.split(',')) {
      const m = /^\s*sha-256\s*=\s*(.*?)\s*$/i.exec(part);
      if (!m) continue;
      const b64 = /^:([A-Za-z0-9+/=]*):$/.exec(m[1]!);
      if (!b64) throw issue(header, 'sha-256 must be a byte sequence, :<base64>:');
      fromBase64(header, b64[1]!);
    }
  }
  if (found.some((f) => f.sha256 !== found[0]!.sha256)) throw issue(found[1]!.header, `disagrees with ${found[0]!.header}`);
  return found[0];
}

/** The request's body as it arrives; a body cut off by the client is a 400 (not an error of ours). */
async function* bodyOf(request: Request): AsyncGenerator<Uint8Array> {
  if (!request.body) return;
  const reader = request.body.getReader();
  for (;;) {
    let next;
    try {
      next = await reader.read();
    } catch {
      throw new HttpError(400, 'The request body ended before it was complete (the connection was closed)');
    }
    if (next.done) return;
    yield next.value;
  }
}

function uploadOf(req: RestRequest, maxBytes: number): Upload {
  const declared = req.request.headers.get('content-length');
  // Refused before a byte is read; a body without a length is counted as it arrives.
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw new PayloadTooLargeError(maxBytes);
  const contentType = (req.request.headers.get('content-type') ?? 'application/octet-stream').trim();
  if (!isMediaType(contentType)) throw issue('content-type', 'must be a media type such as image/png or text/plain; charset=utf-8 (at most 255 characters)');
  const expected = expectedSha256(req.request.headers);
  return { body: bodyOf(req.request), contentType, maxBytes, expectedSha256: expected?.sha256, expectedFrom: expected ? ['header', expected.header] : undefined };
}

/**
 * Saves an upload; a digest mismatch is reported at the header the expected hash came from
 * (`["header", "content-sha256"]`), where the generic mapping would place it in a body.
 */
async function saving<T>(upload: Upload, save: (upload: Upload) => Promise<T>): Promise<T> {
  try {
    return await save(upload);
  } catch (error) {
    if (error instanceof ValidationError && error.issues.every((i) => i.path[0] === 'header')) {
      throw new HttpError(422, error.issues.map((i) => ({ loc: i.path, msg: i.message, type: 'value_error' })));
    }
    throw error;
  }
}

/**
 * A browser page of another site can POST a form or text/plain cross-site without a CORS
 * preflight: a POST upload from a foreign `Origin` not listed in CORS_ORIGINS is refused (API
 * clients send no Origin). PUT needs a preflight, which CORS already answers.
 */
function refuseCrossSite(request: Request, corsOrigins: readonly string[]): void {
  const origin = request.headers.get('origin');
  if (origin === null || corsOrigins.includes('*') || corsOrigins.includes(origin)) return;
  if (origin === new URL(request.url).origin) return;
  throw new HttpError(403, `Uploads from the web origin ${origin.slice(0, 200)} are not allowed (CORS_ORIGINS)`);
}

const etagOf = (sha256: string) => `"${sha256}"`;

/** Whether `If-None-Match` names this entity tag (compared weakly, as RFC 9110 says for this header). */
function noneMatch(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** The range to send: null for the whole content, or 'unsatisfiable'. Several ranges are answered whole (RFC 9110 allows it). */
function rangeOf(request: Request, size: number, etag: string): ByteRange | null | 'unsatisfiable' {
  const header = request.headers.get('range');
  if (header === null) return null;
  // If-Range: the range holds only for this version of the content.
  const ifRange = request.headers.get('if-range');
  if (ifRange !== null && ifRange.trim() !== etag) return null;
  // range-parser finds a suffix longer than the content unsatisfiable; RFC 9110 (14.1.2) says it
  // means the whole content.
  const clamped = header.replace(/([=,]\s*)-(\d+)(?=\s*(?:,|$))/g, (spec, lead: string, n: string) => (Number(n) > size ? `${lead}-${size}` : spec));
  const ranges = rangeParser(size, clamped, { combine: true });
  if (ranges === -1) return 'unsatisfiable';
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return null;
  return { start: ranges[0]!.start, end: ranges[0]!.end };
}

function download(req: RestRequest, content: ContentToServe, explicitVersion: boolean, withBody: boolean): Response {
  const etag = etagOf(content.sha256);
  const headers: Record<string, string> = {
    etag,
    'accept-ranges': 'bytes',
    'artifact-version': String(content.version),
    'last-modified': new Date(content.createdAt).toUTCString(),
    // A version never changes; "the latest" may.
    'cache-control': explicitVersion ? 'private, max-age=31536000, immutable' : 'private, no-cache',
  };
  if (noneMatch(req.request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  Object.assign(headers, {
    'content-type': content.contentType,
    'content-disposition': contentDisposition(content.name),
    // Uploaded bytes are never run as a page of this origin.
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  });
  const range = rangeOf(req.request, content.size, etag);
  if (range === 'unsatisfiable') {
    return new Response(JSON.stringify({ detail: `Range not satisfiable: the content has ${content.size} bytes` }), {
      status: 416,
      headers: { ...headers, 'content-type': 'application/json', 'content-range': `bytes */${content.size}` },
    });
  }
  const length = range ? range.end - range.start + 1 : content.size;
  headers['content-length'] = String(length);
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${content.size}`;
  const status = range ? 206 : 200;
  if (!withBody || length === 0) return new Response(withBody ? '' : null, { status, headers });
  return new Response(req.storage.artifacts.open(content, range) as unknown as BodyInit, { status, headers });
}

export function artifactContentRoutes({ config }: RouteDeps): Route[] {
  const maxBytes = config.blobs.maxArtifactBytes;
  const serve = (withBody: boolean) => async (req: RestRequest) => {
    const { version } = parseWire(versionQuery, queryObject(req.query), 'query');
    const content = await req.storage.artifacts.content(requireParam(req.params, 'id'), version ?? null);
    return download(req, content, version !== undefined, withBody);
  };
  return [
    {
      method: 'PUT',
      path: '/storage/artifacts/:id/content',
      handler: async (req) => {
        const id = requireParam(req.params, 'id');
        const content = await saving(uploadOf(req, maxBytes), (upload) => req.storage.artifacts.saveContent(id, upload));
        return json(201, artifactContentWire.toWire(content), { etag: etagOf(content.sha256), location: `/storage/artifacts/${encodeURIComponent(content.artifactId)}/content?version=${content.version}` });
      },
    },
    {
      method: 'POST',
      path: '/storage/artifacts/content',
      handler: async (req) => {
        refuseCrossSite(req.request, config.corsOrigins);
        const input = parseWire(saveQuery, queryObject(req.query), 'query');
        const { artifact, content, createdArtifact } = await saving(uploadOf(req, maxBytes), (upload) => req.storage.artifacts.saveNamed(input, upload));
        return json(201, { artifact: artifactWire.toWire(artifact), content: artifactContentWire.toWire(content), created_artifact: createdArtifact }, { etag: etagOf(content.sha256) });
      },
    },
    { method: 'GET', path: '/storage/artifacts/:id/content', handler: serve(true) },
    { method: 'HEAD', path: '/storage/artifacts/:id/content', handler: serve(false) },
    {
      method: 'GET',
      path: '/storage/artifacts/:id/versions',
      handler: async (req) => json(200, (await req.storage.artifacts.versions(requireParam(req.params, 'id'))).map(artifactContentWire.toWire)),
    },
    {
      method: 'DELETE',
      path: '/storage/artifacts/:id/content',
      handler: async (req) => {
        const id = requireParam(req.params, 'id');
        const { version } = parseWire(versionQuery, queryObject(req.query), 'query');
        const versions = await req.storage.artifacts.deleteContent(id, version ?? null);
        return json(200, { status: 'deleted', artifact_id: id, versions });
      },
    },
    {
      method: 'GET',
      path: '/storage/usage',
      handler: async (req) => {
        const usage = await req.storage.artifacts.usage();
        return json(200, {
          tenant: callerOf(req.request).principal.tenant,
          stored_bytes: usage.storedBytes,
          content_bytes: usage.contentBytes,
          blobs: usage.blobs,
          versions: usage.versions,
          quota_bytes: usage.quotaBytes,
          max_artifact_bytes: maxBytes,
        });
      },
    },
  ];
}
