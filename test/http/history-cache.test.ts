import { describe, expect, it } from '../support/server-fixture.js';

/*
 * Whole-history reads through the history cache, black-box over plain fetch (SQLite, or PostgreSQL
 * + Redis): strong ETags, `If-None-Match` → 304, every change of the history a new tag and the new
 * bytes at once — also on a second replica that reads what the first one wrote — and an expired or
 * deleted session answers as an unknown one even when its history was cached.
 */

const historyOf = (base: string, sessionId: string, headers: Record<string, string> = {}, query = '') =>
  fetch(`${base}/storage/history?session_id=${sessionId}${query}`, { headers });

async function newSession(base: string, fields: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch(`${base}/storage/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent_name: 'etags', ...fields }) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

async function send(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return response;
}

const append = (base: string, sessionId: string, content: string) => send(base, 'POST', '/storage/history', { session_id: sessionId, role: 'user', content });

/** The whole history as the uncached, paged read writes it (`limit` takes the other path). */
const uncached = async (base: string, sessionId: string) => (await historyOf(base, sessionId, {}, '&limit=1000')).text();

describe('whole-history ETags', () => {
  it('answers 304 to the ETag it gave while the history is unchanged, and the new bytes after any change', async ({ server }) => {
    const id = await newSession(server.url);
    const empty = await historyOf(server.url, id);
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe('[]');
    let etag = empty.headers.get('etag')!;
    expect(etag).toMatch(/^"h\.[0-9a-z]+\.0"$/);

    const changes: [string, () => Promise<unknown>][] = [
      ['append', () => append(server.url, id, 'one')],
      ['append', () => append(server.url, id, 'two ünïcode 😀')],
      ['pop', () => send(server.url, 'POST', `/storage/history/pop?session_id=${id}`)],
      ['append', () => append(server.url, id, 'three')],
      ['rewrite', async () => send(server.url, 'POST', '/storage/history/rewrite', { session_id: id, operation_id: 'op-1', expected_last_seq: 3, replace_last: 1, messages: [{ role: 'assistant', content: 'summary' }] })],
      ['upsert', async () => send(server.url, 'POST', '/storage/history', { session_id: id, id: 'msg_upserted_1', role: 'user', content: 'before' })],
      ['upsert', async () => send(server.url, 'POST', '/storage/history', { session_id: id, id: 'msg_upserted_1', role: 'user', content: 'after', on_conflict: 'replace' })],
      ['clear', () => send(server.url, 'DELETE', `/storage/history?session_id=${id}`)],
      ['append', () => append(server.url, id, 'again')],
    ];
    const tags = new Set([etag]);
    for (const [what, change] of changes) {
      // Unchanged: 304, no body, the same tag (also weak-compared, also among other tags).
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const again = await historyOf(server.url, id, { 'if-none-match': header });
        expect(again.status, `${what}: If-None-Match ${header}`).toBe(304);
        expect(await again.text()).toBe('');
        expect(again.headers.get('etag')).toBe(etag);
      }
      await change();
      const changed = await historyOf(server.url, id, { 'if-none-match': etag });
      expect(changed.status, `after ${what}`).toBe(200);
      const text = await changed.text();
      expect(text, `after ${what}`).toBe(await uncached(server.url, id));
      etag = changed.headers.get('etag')!;
      expect(tags.has(etag), `after ${what}: a new tag`).toBe(false);
      tags.add(etag);
      // The same read without a tag: the same bytes and tag (from the cache now).
      const plain = await historyOf(server.url, id);
      expect(await plain.text()).toBe(text);
      expect(plain.headers.get('etag')).toBe(etag);
    }
    expect(JSON.parse(await (await historyOf(server.url, id)).text()).map((m: { content: string }) => m.content)).toEqual(['again']);
  });

  it('gives no ETag to paged reads, and a tag that is not ours changes nothing', async ({ server }) => {
    const id = await newSession(server.url);
    await append(server.url, id, 'one');
    for (const query of ['&limit=10', '&offset=0', '&after_seq=0', '&max_tokens=100']) {
      const paged = await historyOf(server.url, id, { 'if-none-match': '*' }, query);
      expect(paged.status, query).toBe(200);
      expect(paged.headers.get('etag'), query).toBeNull();
    }
    for (const header of ['"h.zz.1"', '"nonsense"', 'W/"h.1.x"', '']) {
      const response = await historyOf(server.url, id, { 'if-none-match': header });
      expect(response.status, header).toBe(200);
      expect(await response.text()).toBe(await uncached(server.url, id));
    }
  });

  it('answers an expired or deleted session as an unknown one, though its history was cached', async ({ server }) => {
    const expiring = await newSession(server.url, { ttl_seconds: 60 });
    const deleted = await newSession(server.url);
    for (const id of [expiring, deleted]) await append(server.url, id, 'cached');
    const tags = new Map<string, string>();
    for (const id of [expiring, deleted]) {
      const read = await historyOf(server.url, id);
      expect(JSON.parse(await read.text())).toHaveLength(1);
      tags.set(id, read.headers.get('etag')!);
    }
    server.clock.advance(61_000);
    await send(server.url, 'DELETE', `/storage/sessions/${deleted}`);
    for (const id of [expiring, deleted]) {
      for (const headers of [{}, { 'if-none-match': tags.get(id)! }] as Record<string, string>[]) {
        const gone = await historyOf(server.url, id, headers);
        expect(gone.status).toBe(200);
        expect(await gone.text()).toBe('[]');
        expect(gone.headers.get('etag')).toBeNull();
      }
      expect((await fetch(`${server.url}/storage/sessions/${id}`)).status).toBe(404);
    }
  });

  it('a long history past the page ceiling is paged as before, without a tag', async ({ serve }) => {
    const small = await serve({ MAX_PAGE_SIZE: '3' });
    const id = await newSession(small.url);
    for (const n of [1, 2, 3]) await append(small.url, id, `m${n}`);
    const whole = await historyOf(small.url, id);
    expect(whole.headers.get('etag')).not.toBeNull();
    expect(whole.headers.get('link')).toBeNull();
    await append(small.url, id, 'm4');
    const cut = await historyOf(small.url, id);
    expect(cut.headers.get('etag')).toBeNull();
    expect(cut.headers.get('link')).toContain('offset=3');
    expect(JSON.parse(await cut.text()).map((m: { content: string }) => m.content)).toEqual(['m1', 'm2', 'm3']);
  });

  it('works the same with the cache turned off (HISTORY_CACHE_BYTES=0)', async ({ serve }) => {
    const off = await serve({ HISTORY_CACHE_BYTES: '0' });
    const id = await newSession(off.url);
    await append(off.url, id, 'one');
    const first = await historyOf(off.url, id);
    const etag = first.headers.get('etag')!;
    expect((await historyOf(off.url, id, { 'if-none-match': etag })).status).toBe(304);
    await append(off.url, id, 'two');
    const second = await historyOf(off.url, id, { 'if-none-match': etag });
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(await uncached(off.url, id));
  });
});

describe('the history cache across replicas', () => {
  it('a replica never serves what it cached once another replica changed the history; tags agree between replicas', async ({ server, replica }) => {
    const id = await newSession(server.url);
    const writes: (() => Promise<unknown>)[] = [
      () => append(server.url, id, 'a'),
      () => append(server.url, id, 'b'),
      () => send(server.url, 'POST', `/storage/history/pop?session_id=${id}`),
      () => append(server.url, id, 'c'),
      () => send(server.url, 'POST', '/storage/history/rewrite', { session_id: id, operation_id: 'r1', expected_last_seq: 3, replace_last: 2, messages: [{ role: 'assistant', content: 'merged' }] }),
      () => send(server.url, 'DELETE', `/storage/history?session_id=${id}`),
      () => append(server.url, id, 'd'),
    ];
    for (const [i, write] of writes.entries()) {
      // The replica reads (and caches) before each write goes through the server.
      const before = await historyOf(replica.url, id);
      const tag = before.headers.get('etag')!;
      await before.text();
      await write();
      const after = await historyOf(replica.url, id, { 'if-none-match': tag });
      expect(after.status, `write ${i}`).toBe(200);
      const text = await after.text();
      expect(text, `write ${i}`).toBe(await uncached(server.url, id));
      // The server's tag for the same history is the replica's, so a client may revalidate with either.
      const fromServer = await historyOf(server.url, id, { 'if-none-match': after.headers.get('etag')! });
      expect(fromServer.status, `write ${i}`).toBe(304);
    }
    await send(server.url, 'DELETE', `/storage/sessions/${id}`);
    expect(await (await historyOf(replica.url, id)).text()).toBe('[]');
  });
});

describe('session ETags', () => {
  it('answers 304 while the session is unchanged, its new body after an update, 404 once it is gone', async ({ server }) => {
    const id = await newSession(server.url, { metadata: { v: 1 } });
    const url = `${server.url}/storage/sessions/${id}`;
    const first = await fetch(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const body = await first.text();
    for (const header of [etag, `W/${etag}`, '*']) {
      const again = await fetch(url, { headers: { 'if-none-match': header } });
      expect(again.status, header).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
    }
    server.clock.advance(1000);
    await send(server.url, 'PUT', `/storage/sessions/${id}`, { metadata: { v: 2 } });
    const changed = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    const text = await changed.text();
    expect(text).not.toBe(body);
    expect(JSON.parse(text).metadata).toEqual({ v: 2 });
    expect(changed.headers.get('etag')).not.toBe(etag);
    await send(server.url, 'DELETE', `/storage/sessions/${id}`);
    expect((await fetch(url, { headers: { 'if-none-match': changed.headers.get('etag')! } })).status).toBe(404);
  });
});
