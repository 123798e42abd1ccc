import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { ifNoneMatch } from './etag.js';

/**
 * GraphiQL, served whole by this service: `@graphql-yoga/render-graphiql` inlines its script,
 * styles, fonts, icon and editor workers into one page (~9 MB), so it works where no CDN can be
 * reached (Yoga's own page loads all of that from unpkg.com, and stays blank offline).
 *
 * The page is built on the first request for it, once per process, never at start: the renderer
 * is imported on demand (a chunk of its own in dist/), so a server whose GraphiQL nobody opens
 * neither loads nor holds it. Each encoding (brotli ~1.9 MB, gzip ~2.4 MB) is compressed once, on
 * the first request that accepts it, off the main thread. The page has a weak ETag and
 * `Cache-Control: no-cache`: a browser revalidates it and gets a 304 while the page is unchanged.
 *
 * Content-Security-Policy: nothing from any other origin, nothing the page does not use.
 * - `script-src`: the hash of the page's one inline script. No `unsafe-eval`: the bundle needs none.
 * - `style-src 'unsafe-inline'`: the editor (Monaco) and GraphiQL write `<style>` elements and
 *   `style` attributes at run time, computed in the browser, which no hash fixed here can name
 *   (with the page's style hash alone, Chromium blocks hundreds of them and the editor breaks).
 *   A style cannot run code, and cannot send anything anywhere: no URL outside the page may load.
 * - `worker-src blob:`: the editor's workers are made from inline sources, as blob: URLs.
 * - `font-src data:`, `img-src data:`: the fonts and the icon are inlined as data: URLs.
 * - `connect-src 'self'`: queries go to this service only.
 * - no framing (clickjacking), no form submission, no `<base>`, no plugins (`default-src 'none'`).
 */

const ENDPOINT = '/graphql';

type Encoding = 'br' | 'gzip';

interface Page {
  plain: Buffer<ArrayBuffer>;
  etag: string;
  csp: string;
  /** Compressed on first demand. */
  encoded: Map<Encoding, Promise<Buffer<ArrayBuffer>>>;
}

const sha256 = (bytes: Uint8Array, encoding: 'base64' | 'base64url') => createHash('sha256').update(bytes).digest(encoding);

/** The bytes of the page's one inline script: what its CSP hash is computed over. */
function inlineScript(html: string, bytes: Buffer): Buffer {
  const start = html.indexOf('<script>');
  const end = html.search(/<\/script/i);
  // The hash must cover exactly what the browser runs: refuse a page whose shape is not the one
  // this code knows (after an upgrade of the renderer), rather than serve a policy that blocks it.
  if (start < 0 || end < start || !html.startsWith('</script>', end) || /<\/script/i.test(html.slice(end + 1))) {
    throw new Error('GraphiQL page: expected exactly one inline <script> element');
  }
  // Found again in the bytes (UTF-8 offsets differ from the string's).
  return bytes.subarray(bytes.indexOf('<script>') + '<script>'.length, bytes.indexOf('</script>'));
}

function contentSecurityPolicy(html: string, bytes: Buffer): string {
  return [
    "default-src 'none'",
    `script-src 'sha256-${sha256(inlineScript(html, bytes), 'base64')}'`,
    "style-src 'unsafe-inline'",
    'worker-src blob:',
    'font-src data:',
    'img-src data:',
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

async function preparePage(options: GraphiQLOptions): Promise<Page> {
  // On the main thread, once: mostly the parsing of the renderer's module (a 9 MB script).
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const html = renderGraphiQL(options);
  const plain = Buffer.from(html, 'utf8');
  return {
    plain,
    etag: `W/"${sha256(plain, 'base64url').slice(0, 27)}"`,
    csp: contentSecurityPolicy(html, plain),
    encoded: new Map(),
  };
}

function compress(page: Page, encoding: Encoding): Promise<Buffer<ArrayBuffer>> {
  let body = page.encoded.get(encoding);
  if (!body) {
    body =
      encoding === 'gzip'
        ? promisify(gzip)(page.plain, { level: 9 })
        : // Quality 6: within 3% of quality 9's size in a third of its time (~0.3 s); 11 takes ~13 s.
          promisify(brotliCompress)(page.plain, {
            params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: page.plain.length },
          });
    body.catch(() => page.encoded.delete(encoding));
    page.encoded.set(encoding, body);
  }
  return body;
}

/** Per process: every server in it with the same options serves the same page. */
const pages = new Map<string, Promise<Page>>();

function pageFor(options: GraphiQLOptions): Promise<Page> {
  const key = JSON.stringify(options);
  let page = pages.get(key);
  if (!page) {
    page = preparePage(options);
    // A failure (say, a broken install) is not kept: the next request tries again.
    page.catch(() => pages.delete(key));
    pages.set(key, page);
  }
  return page;
}

/** The encoding to send: the better of brotli and gzip that the client accepts (`q=0` refuses one). */
function chooseEncoding(acceptEncoding: string | null): Encoding | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const allows = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return null;
}

export interface GraphiQL {
  /** Yoga's `graphiql` option. */
  options: GraphiQLOptions;
  /** Yoga's `renderGraphiQL` option: the page, uncompressed (the plugin picks the encoding). */
  render(): Promise<Uint8Array<ArrayBuffer>>;
  /** Gives the page its headers (CSP, caching) and encoding, and answers a revalidation with 304. */
  plugin: Plugin;
}

/** GraphiQL with `options`, fixed for the server's life. */
export function graphiql(options: GraphiQLOptions): GraphiQL {
  let rendered = false;
  return {
    options,
    async render() {
      const page = await pageFor(options);
      rendered = true;
      return page.plain;
    },
    plugin: {
      // Synchronous for every other response: this hook runs on all of them.
      onResponse({ request, response, setResponse, fetchAPI }) {
        // Yoga's GraphiQL plugin answers a browser's GET of the endpoint with the page rendered
        // above, typed `text/html`; nothing else on this server is.
        if (!rendered || request.method !== 'GET' || !response.headers.get('content-type')?.startsWith('text/html')) return;
        if (new URL(request.url).pathname.replace(/\/$/, '') !== ENDPOINT) return;
        return pageFor(options).then(async (page) => {
          const headers = new fetchAPI.Headers(response.headers);
          headers.set('content-type', 'text/html; charset=utf-8');
          headers.set('content-security-policy', page.csp);
          headers.set('cache-control', 'no-cache');
          headers.set('etag', page.etag);
          headers.append('vary', 'accept-encoding');
          headers.set('x-content-type-options', 'nosniff');
          headers.set('referrer-policy', 'no-referrer');
          headers.delete('content-length');
          if (ifNoneMatch(request.headers.get('if-none-match'), page.etag)) {
            setResponse(new fetchAPI.Response(null, { status: 304, headers }));
            return;
          }
          const encoding = chooseEncoding(request.headers.get('accept-encoding'));
          const body = encoding ? await compress(page, encoding) : page.plain;
          if (encoding) headers.set('content-encoding', encoding);
          headers.set('content-length', String(body.length));
          setResponse(new fetchAPI.Response(body, { status: 200, headers }));
        });
      },
    },
  };
}
