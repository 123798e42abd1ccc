import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { ADMIN_KEY, AUTH_ENV, createKey, keyed } from '../../support/auth.js';
import { contentUrl, describeOnContentStores, saveNamed, send, sha256, type Usage } from '../../support/content-rest.js';

/**
 * Who may touch artifact content, on each content store: a tenant's content is invisible to another
 * tenant's keys (by id, by session, and in usage); reading needs `read`, every upload and delete
 * `write`; a save by name from another web origin is refused.
 */

const MiB = 1024 * 1024;

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describeOnContentStores(
  'artifact content and keys',
  (it) => {
    /** A session and an artifact of the key's tenant. */
    async function artifactOf(url: string, key: string): Promise<{ sessionId: string; id: string }> {
      const api = keyed(url, key);
      const sessionId = (await api.post('/storage/sessions', { agent_name: 'a' })).body.id;
      const id = (await api.post('/storage/artifacts', { session_id: sessionId, name: 'f.bin', type: 'file', path: '/f', size: 0 })).body.id;
      return { sessionId, id };
    }

    const usage = async (url: string, key: string): Promise<Usage> => (await keyed(url, key).get('/storage/usage')).body;

    it('one tenant’s content is not readable, writable or deletable with another tenant’s key; usage is per tenant', async ({ server }) => {
      const acme = await createKey(server.url, 'acme', ['READ', 'WRITE']);
      const beta = await createKey(server.url, 'beta', ['READ', 'WRITE']);
      const mine = await artifactOf(server.url, acme);
      const bytes = randomBytes(MiB + 7);
      expect((await send(contentUrl(server, mine.id), { method: 'PUT', body: bytes, headers: bearer(acme) })).status).toBe(201);

      const other = bearer(beta);
      const refused = [
        await send(contentUrl(server, mine.id), { headers: other }),
        await send(contentUrl(server, mine.id, '?version=0'), { headers: other }),
        await send(contentUrl(server, mine.id), { method: 'HEAD', headers: other }),
        await send(contentUrl(server, mine.id), { method: 'PUT', body: 'overwrite', headers: other }),
        await send(contentUrl(server, mine.id), { method: 'DELETE', headers: other }),
        await send(contentUrl(server, mine.id, '?version=0'), { method: 'DELETE', headers: other }),
        await send(`${server.url}/storage/artifacts/${mine.id}/versions`, { headers: other }),
      ];
      for (const res of refused) {
        expect(res.status).toBe(404);
        if (res.body) expect(res.body).toEqual({ detail: 'Artifact not found' });
      }
      const named = await saveNamed(server, { session_id: mine.sessionId, name: 'f.bin' }, 'intruder', other);
      expect(named.status).toBe(404);
      expect(named.body).toEqual({ detail: 'Session not found' });

      expect(await usage(server.url, acme)).toMatchObject({ tenant: 'acme', stored_bytes: bytes.byteLength, content_bytes: bytes.byteLength, blobs: 1, versions: 1 });
      expect(await usage(server.url, beta)).toMatchObject({ tenant: 'beta', stored_bytes: 0, content_bytes: 0, blobs: 0, versions: 0 });

      // The same bytes in the other tenant: stored (and counted) again, in its own database.
      const theirs = await artifactOf(server.url, beta);
      expect((await send(contentUrl(server, theirs.id), { method: 'PUT', body: bytes, headers: other })).status).toBe(201);
      expect((await usage(server.url, beta)).stored_bytes).toBe(bytes.byteLength);
      expect((await send(contentUrl(server, theirs.id), { method: 'DELETE', headers: other })).status).toBe(200);
      expect((await usage(server.url, beta)).stored_bytes).toBe(0);
      // Acme's content is untouched by all of that.
      const got = await send(contentUrl(server, mine.id), { headers: bearer(acme) });
      expect(got.status).toBe(200);
      expect(sha256(got.bytes)).toBe(sha256(bytes));
      expect((await usage(server.url, acme)).stored_bytes).toBe(bytes.byteLength);
    });

    it('a read-only key reads content but cannot PUT, POST or DELETE it (403); a write-only key cannot read it', async ({ server }) => {
      const writer = await createKey(server.url, 'gamma', ['READ', 'WRITE']);
      const reader = await createKey(server.url, 'gamma', ['READ']);
      const writeOnly = await createKey(server.url, 'gamma', ['WRITE']);
      const { sessionId, id } = await artifactOf(server.url, writer);
      const bytes = randomBytes(5000);
      expect((await send(contentUrl(server, id), { method: 'PUT', body: bytes, headers: bearer(writer) })).status).toBe(201);
      const before = await usage(server.url, writer);

      for (const res of [
        await send(contentUrl(server, id), { method: 'PUT', body: 'x', headers: bearer(reader) }),
        await saveNamed(server, { session_id: sessionId, name: 'f.bin' }, 'x', bearer(reader)),
        await send(contentUrl(server, id), { method: 'DELETE', headers: bearer(reader) }),
        await send(contentUrl(server, id, '?version=0'), { method: 'DELETE', headers: bearer(reader) }),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.detail).toMatch(/write/);
      }
      expect(await usage(server.url, writer)).toEqual(before);

      const read = await send(contentUrl(server, id), { headers: bearer(reader) });
      expect(read.status).toBe(200);
      expect(read.bytes.equals(bytes)).toBe(true);
      expect((await send(contentUrl(server, id), { method: 'HEAD', headers: bearer(reader) })).status).toBe(200);
      expect((await send(`${server.url}/storage/artifacts/${id}/versions`, { headers: bearer(reader) })).status).toBe(200);
      expect((await send(`${server.url}/storage/usage`, { headers: bearer(reader) })).status).toBe(200);

      for (const res of [
        await send(contentUrl(server, id), { headers: bearer(writeOnly) }),
        await send(`${server.url}/storage/artifacts/${id}/versions`, { headers: bearer(writeOnly) }),
      ]) {
        expect(res.status).toBe(403);
      }
      // No key at all: 401.
      expect((await send(contentUrl(server, id))).status).toBe(401);
      expect((await send(contentUrl(server, id), { method: 'PUT', body: 'x' })).status).toBe(401);
    });

    it('a save by name from a foreign web Origin is refused (403, nothing made); same origin and no Origin are fine', async ({ server }) => {
      const key = await createKey(server.url, 'delta', ['READ', 'WRITE']);
      const { sessionId } = await artifactOf(server.url, key);
      const api = keyed(server.url, key);
      const foreign = await saveNamed(server, { session_id: sessionId, name: 'csrf.txt' }, 'x', { ...bearer(key), origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
      expect(foreign.body.detail).toMatch(/evil\.example/);
      expect((await api.get(`/storage/artifacts?session_id=${sessionId}`)).body.map((a: any) => a.name)).toEqual(['f.bin']);

      const same = await saveNamed(server, { session_id: sessionId, name: 'ok.txt' }, 'x', { ...bearer(key), origin: new URL(server.url).origin });
      expect(same.status).toBe(201);
      expect((await saveNamed(server, { session_id: sessionId, name: 'ok.txt' }, 'x', bearer(key))).status).toBe(201);
    });

    it('STORAGE_QUOTA_BYTES is per tenant: one tenant at its quota does not stop another', async ({ serve }) => {
      const server = await serve({ ...AUTH_ENV, STORAGE_QUOTA_BYTES: String(MiB) });
      const acme = await createKey(server.url, 'acme', ['READ', 'WRITE'], ADMIN_KEY);
      const beta = await createKey(server.url, 'beta', ['READ', 'WRITE'], ADMIN_KEY);
      const a = await artifactOf(server.url, acme);
      const b = await artifactOf(server.url, beta);
      expect((await send(contentUrl(server, a.id), { method: 'PUT', body: randomBytes(MiB), headers: bearer(acme) })).status).toBe(201);
      expect((await send(contentUrl(server, a.id), { method: 'PUT', body: randomBytes(1), headers: bearer(acme) })).status).toBe(507);
      expect((await send(contentUrl(server, b.id), { method: 'PUT', body: randomBytes(MiB), headers: bearer(beta) })).status).toBe(201);
      expect(await usage(server.url, beta)).toMatchObject({ tenant: 'beta', stored_bytes: MiB, quota_bytes: MiB });
    });
  },
  AUTH_ENV,
);
