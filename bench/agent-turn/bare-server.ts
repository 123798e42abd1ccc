import { createServer } from 'node:http';
import Database from 'better-sqlite3';

/*
 * Floor of the agent-turn benchmark: the two HTTP round trips of a turn answered by bare node:http
 * from memory — no database, no validation, no GraphQL, no durability. What any storage service
 * reached over HTTP pays at least, on this machine, with this client.
 *
 *   GET  /conversations/{id}/items?limit=N   the newest N items, in order, as a JSON array
 *   POST /conversations/{id}/items           appends the items of a JSON array body
 *
 * Each item is kept as its JSON text, so a read only joins strings. With DURABLE_FILE set, the
 * durable floor: a POST also inserts its items into that SQLite file (WAL, synchronous=FULL, one
 * transaction) before it answers — what saving them so that they survive a crash costs at least,
 * on this disk; reads still come from memory. Self-contained (the orchestrator transpiles it and
 * runs it with plain node). Ready when /health answers 200.
 */

const conversations = new Map<string, string[]>();
const save = durableSaver(process.env.DURABLE_FILE);

function durableSaver(file: string | undefined): ((conversation: string, items: string[]) => void) | null {
  if (!file) return null;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS items (conversation TEXT NOT NULL, item TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO items (conversation, item) VALUES (?, ?)');
  return db.transaction((conversation: string, items: string[]) => {
    for (const item of items) insert.run(conversation, item);
  });
}
const ITEMS = /^\/conversations\/([^/]+)\/items$/;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const send = (status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  if (url.pathname === '/health') return send(200, '{"status":"healthy"}');
  const match = ITEMS.exec(url.pathname);
  if (!match) return send(404, '{"error":"not found"}');
  const id = match[1]!;
  if (req.method === 'GET') {
    const items = conversations.get(id) ?? [];
    const limit = Number(url.searchParams.get('limit') ?? items.length);
    return send(200, `[${items.slice(Math.max(0, items.length - limit)).join(',')}]`);
  }
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let items: unknown;
      try {
        items = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, '{"error":"invalid JSON"}');
      }
      if (!Array.isArray(items)) return send(400, '{"error":"expected an array"}');
      const texts = items.map((item) => JSON.stringify(item));
      save?.(id, texts);
      const stored = conversations.get(id) ?? [];
      stored.push(...texts);
      conversations.set(id, stored);
      send(201, `{"added":${items.length}}`);
    });
    return;
  }
  send(405, '{"error":"method not allowed"}');
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
