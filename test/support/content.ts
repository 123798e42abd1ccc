import { createCipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/*
 * Artifact content as black-box tests move it: bytes of any size made on the fly (never held in
 * memory), streamed up as a chunked PUT and down again through node:http, hashed on the way.
 */

const PIECE = 1024 * 1024;
const ZEROS = Buffer.alloc(PIECE);

/**
 * `size` deterministic pseudo-random bytes, in 1 MiB pieces: the AES-256-CTR keystream of `seed`
 * (fast, incompressible, the same bytes every time for the same seed).
 */
export async function* pseudoRandomBytes(seed: string, size: number): AsyncGenerator<Buffer> {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  for (let sent = 0; sent < size; sent += PIECE) yield cipher.update(ZEROS.subarray(0, Math.min(PIECE, size - sent)));
}

/** The sha256 (hex) of `pseudoRandomBytes(seed, size)`. */
export async function sha256OfPseudoRandom(seed: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of pseudoRandomBytes(seed, size)) hash.update(piece);
  return hash.digest('hex');
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface Sent {
  status: number;
  body: any;
  text: string;
}

/**
 * Streams `source` as the body of `method path` (chunked: no Content-Length), with backpressure: at
 * most a few pieces are in flight. A connection the server cuts comes back as status 0.
 */
export function streamUpload(baseUrl: string, method: string, path: string, source: AsyncIterable<Uint8Array>, headers: Record<string, string> = {}): Promise<Sent> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (sent: Sent) => {
      if (!settled) resolve(sent);
      settled = true;
    };
    const req = request(baseUrl + path, { method, headers: { 'content-type': 'application/octet-stream', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => done({ status: 0, body: undefined, text: String(error) }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        done({ status: res.statusCode ?? 0, body, text });
      });
    });
    req.on('error', (error) => done({ status: 0, body: undefined, text: String(error) }));
    pipeline(Readable.from(source), req).catch((error: unknown) => done({ status: 0, body: undefined, text: String(error) }));
  });
}

export interface Downloaded {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
  sha256: string;
}

/** Streams `GET path` through a hash: the status, the headers, how many bytes came and their sha256. */
export function streamDownload(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<Downloaded> {
  return new Promise((resolve, reject) => {
    const req = request(baseUrl + path, { method: 'GET', headers }, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.byteLength;
        hash.update(chunk);
      });
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, sha256: hash.digest('hex') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A process's resident set size in MB (VmRSS, /proc). */
export function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) / 1024;
}

/** Samples a process's RSS every `intervalMs` until stopped; the peak in MB. */
export function sampleRss(pid: number, intervalMs = 50): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      // the process is gone: the test's own assertions say why
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        peak = Math.max(peak, rssMb(pid));
      } catch {}
      return peak;
    },
  };
}

/** Polls `condition` until it holds or `timeoutMs` passes; whether it held. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return condition();
}
