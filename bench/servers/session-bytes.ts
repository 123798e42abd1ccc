import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/*
 * Baseline: the ceiling of a REST session read — bare node:http answering
 * `GET /storage/sessions/{id}` with the very bytes the service answered for that session (fetched
 * from it once, written to SESSIONS_FILE as { contentType, bodies: { id: body } }), from memory, with
 * the headers of any JSON response (content-type, content-length) and nothing else: no routing, no
 * database, no serialising.
 *
 * Self-contained (the orchestrator transpiles it and runs it with plain node). Ready when /health
 * answers 200.
 */

const PREFIX = '/storage/sessions/';
const { contentType, bodies } = JSON.parse(readFileSync(process.env.SESSIONS_FILE!, 'utf8')) as { contentType: string; bodies: Record<string, string> };
const responses = new Map(Object.entries(bodies).map(([id, body]) => [id, Buffer.from(body)]));

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  const body = url.startsWith(PREFIX) ? responses.get(url.slice(PREFIX.length)) : url === '/health' ? Buffer.from('{"status":"healthy"}') : undefined;
  if (body === undefined) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': contentType, 'content-length': body.length }).end(body);
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
