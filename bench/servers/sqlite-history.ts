import { createServer } from 'node:http';
import Database from 'better-sqlite3';

/*
 * Baseline: the honest limit of a REST history read — bare node:http over raw better-sqlite3 on the
 * service's own database file (after the service has stopped), nothing else: no routing, no
 * validation, no Yoga. Two ways of making the same JSON as `GET /storage/history?session_id=`:
 *
 *   /history?session_id=       SELECT the rows, build the wire objects, JSON.stringify (the classic way)
 *   /history-json?session_id=  SQLite writes the JSON (json_group_array) and hands over the bytes
 *   /history-bytes?session_id= the bytes of /history-json, made once and sent again from memory: no
 *                              reading at all, only what sending a response of this size costs (the
 *                              ceiling of any server, a response cache included)
 *
 * Self-contained (the orchestrator transpiles it and runs it with plain node). Ready when /health
 * answers 200.
 */

const db = new Database(process.env.DATABASE_FILE!, { readonly: true, fileMustExist: true });
const rows = db.prepare('SELECT * FROM history WHERE session_id = ? ORDER BY seq');
const asJson = db.prepare(
  `SELECT CAST(json_group_array(json_object('id', id, 'session_id', session_id, 'seq', seq, 'role', role, 'content', content,
   'timestamp', timestamp, 'metadata', json(metadata)) ORDER BY seq) AS BLOB) AS json FROM history WHERE session_id = ?`,
);

const made = new Map<string, Buffer>();

type Row = { id: string; session_id: string; seq: number; role: string; content: string; timestamp: string; metadata: string };

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const sessionId = url.searchParams.get('session_id') ?? '';
  let body: string | Buffer;
  if (url.pathname === '/history') {
    body = JSON.stringify(
      (rows.all(sessionId) as Row[]).map((r) => ({
        id: r.id, session_id: r.session_id, seq: r.seq, role: r.role, content: r.content, timestamp: r.timestamp, metadata: JSON.parse(r.metadata),
      })),
    );
  } else if (url.pathname === '/history-json') {
    body = (asJson.get(sessionId) as { json: Buffer }).json;
  } else if (url.pathname === '/history-bytes') {
    body = made.get(sessionId) ?? (asJson.get(sessionId) as { json: Buffer }).json;
    made.set(sessionId, body);
  } else if (url.pathname === '/health') {
    body = '{"status":"healthy"}';
  } else {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
