import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { request, sleep, tempDir } from '../../faults/support.js';
import { startService } from '../../support/process.js';

/**
 * A database whose messages were stored before the search index existed (as one migrated from
 * schema version 8 has them: no search words) is indexed by the running service in the background,
 * while it serves; a message written meanwhile is searchable at once.
 */

const { dir, cleanup } = tempDir('agent-storage-indexer-');
afterAll(cleanup);

describe('the search indexer of a running service', () => {
  it('indexes the messages stored before the index, in the background, and logs it', async () => {
    const filename = join(dir, 'storage.db');
    const first = await startService({ DATABASE_URL: `sqlite:${filename}` });
    const session = (await request(first.url, 'POST', '/storage/sessions', { agent_name: 'old' })).body as { id: string };
    const messages = Array.from({ length: 1200 }, (_, i) => ({ role: 'USER', content: `backlog entry ${i} of the ledger` }));
    for (let i = 0; i < messages.length; i += 400) {
      const reply = await request(first.url, 'POST', '/graphql', {
        query: 'mutation($s: ID!, $m: [NewMessageInput!]!) { addMessages(sessionId: $s, messages: $m) { id } }',
        variables: { s: session.id, m: messages.slice(i, i + 400) },
      });
      expect(reply.body.errors).toBeUndefined();
    }
    expect((await first.stop()).code).toBe(0);

    const db = new Database(filename);
    db.prepare('UPDATE history SET search_text = NULL').run();
    expect((db.prepare('SELECT count(*) AS n FROM history_search_docs').get() as { n: number }).n).toBe(0);
    db.close();

    const second = await startService({ DATABASE_URL: `sqlite:${filename}` });
    try {
      const fresh = await request(second.url, 'POST', '/storage/history', { session_id: session.id, role: 'user', content: 'a brand new ledger line' });
      expect(fresh.status).toBe(200);
      expect((await request(second.url, 'GET', '/storage/search?q=brand')).body.total_count).toBe(1);
      let total = 0;
      for (let waited = 0; total < 1201 && waited < 20_000; waited += 100) {
        total = (await request(second.url, 'GET', '/storage/search?q=ledger')).body.total_count as number;
        if (total < 1201) await sleep(100);
      }
      expect(total).toBe(1201);
      // The pass logs once it has gone over every tenant, after its last batch is searchable.
      const logged = () => second.logs().find((l) => l.msg === 'search index: indexed records stored before it');
      for (let waited = 0; !logged() && waited < 10_000; waited += 50) await sleep(50);
      expect(logged()).toMatchObject({ indexed: 1200, component: 'search' });
    } finally {
      expect((await second.stop()).code).toBe(0);
    }
  }, 60_000);
});
