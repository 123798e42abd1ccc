import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { ifNoneMatch } from '../http/etag.js';
import { json } from '../rest/http.js';

/**
 * The web console (docs/console.md) at `/console`: a static page that talks to this service's own
 * API with the key typed into it. The page and its assets need no key — they hold no data, and every
 * request they make carries the key — so this plugin answers them before authentication runs.
 *
 * Where the files come from:
 * - the built service (dist/main.js and its chunks): `dist/console/`, written by `npm run build`;
 * - the sources (tsx; a fresh clone whose dist/ is missing or stale, see bin/start.mjs): built in
 *   memory with esbuild (scripts/console.mjs) on the first request for the console, once per
 *   process — always from the sources it runs, so never stale, and nothing is written anywhere.
 *
 * Headers: assets have content-hashed names, so they are cached for a year as immutable; the page
 * itself is `no-cache` (revalidated by ETag), so a new build is picked up at once. Every answer has
 * a strict Content-Security-Policy (scripts and styles only from here, no inline ones; requests
 * only to this origin; images also from blob: URLs, which previews of image artifacts use) and
 * `X-Content-Type-Options: nosniff`. Any other path under /console/ that is not an asset is a
 * route of the page (it routes by path): it gets index.html.
 */

const PREFIX = '/console';

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

interface Asset {
  plain: Uint8Array;
  gzip: Uint8Array;
  type: string;
  etag: string;
}

type Files = Map<string, Uint8Array>;

/** The files of `dir` (recursively), by their path below it with `/` separators. */
function readTree(dir: string): Files {
  const files: Files = new Map();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = `${entry.parentPath}/${entry.name}`;
    files.set(relative(dir, path).split('\\').join('/'), readFileSync(path));
  }
  return files;
}

/** The prebuilt files beside the bundle that runs (dist/console/), else null (running from the sources). */
function prebuiltDir(): string | null {
  const dir = fileURLToPath(new URL('./console/', import.meta.url));
  return existsSync(`${dir}index.html`) ? dir : null;
}

async function loadFiles(): Promise<Files> {
  const dir = prebuiltDir();
  if (dir) return readTree(dir);
  // Not a literal: the bundler must not follow it (the built service never gets here, and esbuild
  // is a development dependency, present in a clone after `npm ci`).
  const script = new URL('../../scripts/console.mjs', import.meta.url).href;
  const { buildConsole } = (await import(script)) as { buildConsole(): Promise<Files> };
  return buildConsole();
}

function prepare(files: Files): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [name, plain] of files) {
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (!type) continue; // nothing else is served (source maps, licences)
    const etag = `"${createHash('sha256').update(plain).digest('base64url').slice(0, 27)}"`;
    assets.set(name, { plain, gzip: gzipSync(plain, { level: 9 }), type, etag });
  }
  if (!assets.has('index.html')) throw new Error('the console build has no index.html');
  return assets;
}

/** The console's routes, as a Yoga plugin; place it before authentication. */
export function consolePlugin({ logger }: { logger: Logger }): Plugin {
  let loading: Promise<Map<string, Asset>> | null = null;
  const assets = () => {
    if (!loading) {
      loading = loadFiles().then(prepare);
      // A failed build (a broken install) is not kept: the next request tries again.
      loading.catch((error: unknown) => {
        logger.error({ err: error }, 'the console could not be built');
        loading = null;
      });
    }
    return loading;
  };

  async function serve(request: Request, pathname: string): Promise<Response> {
    const security = { 'content-security-policy': CONSOLE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
    let files: Map<string, Asset>;
    try {
      files = await assets();
    } catch {
      return json(503, { detail: 'The console is not available: its build failed (see the server log)' }, { ...security, 'retry-after': '5' });
    }
    const name = pathname.slice(PREFIX.length + 1);
    const isAsset = name.startsWith('assets/');
    const asset = isAsset ? files.get(name) : files.get('index.html')!;
    if (!asset) return json(404, { detail: 'Not Found' }, security);
    const headers = new Headers(security);
    headers.set('content-type', asset.type);
    headers.set('cache-control', isAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
    headers.set('etag', asset.etag);
    headers.set('vary', 'accept-encoding');
    if (ifNoneMatch(request.headers.get('if-none-match'), asset.etag)) return new Response(null, { status: 304, headers });
    const gzip = /\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\s*(?:,|$))/i.test(request.headers.get('accept-encoding') ?? '');
    const body = gzip ? asset.gzip : asset.plain;
    if (gzip) headers.set('content-encoding', 'gzip');
    headers.set('content-length', String(body.length));
    return new Response(request.method === 'HEAD' ? null : Buffer.from(body), { status: 200, headers });
  }

  return {
    onRequest({ request, url, endResponse }) {
      const { pathname } = url;
      if (pathname !== PREFIX && !pathname.startsWith(`${PREFIX}/`)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(json(405, { detail: 'Method Not Allowed' }, { allow: 'GET, HEAD' }));
        return;
      }
      // `/console` itself: the page's relative routes start below `/console/`.
      if (pathname === PREFIX) {
        endResponse(new Response(null, { status: 308, headers: { location: `${PREFIX}/${url.search}`, 'x-content-type-options': 'nosniff' } }));
        return;
      }
      return serve(request, pathname).then(endResponse);
    },
  };
}
