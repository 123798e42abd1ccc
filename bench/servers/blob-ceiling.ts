import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/*
 * Baseline of the content benchmark: what bare node:http on this machine can take in and send out
 * for one big body, doing the least a content-addressed store must do and nothing else — no
 * routing, no database, no quota, no Yoga:
 *
 *   PUT /blob   the body hashed (sha256) and written to a temporary file in BLOB_DIR, 1 MiB per
 *               write; the file fsynced, renamed to its final name and the directory fsynced
 *               (as the service's filesystem store does before its 201); answers {"sha256": …}
 *   GET /blob   the last file put, streamed with its length (1 MiB reads)
 *
 * Self-contained (the orchestrator transpiles it and runs it with plain node). Ready when /health
 * answers 200.
 */

const dir = process.env.BLOB_DIR!;
const MiB = 1024 * 1024;
const stored = join(dir, 'blob.bin');

async function put(body: AsyncIterable<Buffer>): Promise<string> {
  const temporary = join(dir, 'blob.tmp');
  const file = await open(temporary, 'w');
  const hash = createHash('sha256');
  try {
    // Pieces gathered up to 1 MiB per write: few system calls, as the service's store writes.
    let pieces: Buffer[] = [];
    let gathered = 0;
    for await (const chunk of body) {
      hash.update(chunk);
      pieces.push(chunk);
      gathered += chunk.byteLength;
      if (gathered >= MiB) {
        await file.writev(pieces);
        pieces = [];
        gathered = 0;
      }
    }
    if (pieces.length) await file.writev(pieces);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, stored);
  const directory = await open(dir, 'r');
  await directory.sync();
  await directory.close();
  return hash.digest('hex');
}

const server = createServer((req, res) => {
  const fail = (error: unknown) => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(error));
  };
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy"}');
  } else if (req.url === '/blob' && req.method === 'PUT') {
    put(req).then((sha256) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sha256 })), fail);
  } else if (req.url === '/blob' && req.method === 'GET') {
    stat(stored).then(({ size }) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
      return pipeline(createReadStream(stored, { highWaterMark: MiB }), res);
    }, fail).catch(() => res.destroy());
  } else {
    res.writeHead(404).end();
  }
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
