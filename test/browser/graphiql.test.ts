import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { cspViolations, keepOnThisMachine, launchChromium, recordCspViolations } from '../support/browser.js';
import { type Bundle, buildBundle } from '../support/build.js';
import { type Service, startService } from '../support/process.js';

/*
 * GraphiQL as a user meets it: the built service (as `npm start` runs it) with API keys and
 * GraphiQL turned on in production, opened in a real browser (Debian's chromium, driven by
 * playwright-core) that may not reach anything but this machine — as in a network with no CDN.
 * The page must load, a query and a subscription typed into its editor must run with the key typed
 * into its headers pane (and pass CSRF prevention), and the result pane must show their data; under
 * its Content-Security-Policy, with nothing blocked.
 */

/** How long to wait for the page to do something (generous: the machine may be busy), never a measure. */
const WAIT_MS = 20_000;

let bundle: Bundle;
let service: Service;
let browser: Browser;

beforeAll(async () => {
  bundle = buildBundle();
  service = await startService(
    { ...AUTH_ENV, DATABASE_URL: `sqlite:${join(bundle.dir, 'storage.db')}`, GRAPHIQL: 'true', GRAPHQL_INTROSPECTION: 'true' },
    30_000,
    [join(bundle.dist, 'main.js')],
  );
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  bundle?.cleanup();
});

const getPage = (headers: Record<string, string>) => fetch(`${service.url}/graphql`, { headers: { accept: 'text/html', ...headers } });

describe('GraphiQL over HTTP', () => {
  it('is one self-contained page, served without a key, under a CSP that allows no other origin', async () => {
    const res = await getPage({ 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    const html = await res.text();
    // The title is filled in (Yoga's own page showed "Loading __TITLE__..." while it waited for its CDN).
    expect(html).toContain('<title>Agent storage</title>');
    expect(html).not.toContain('__TITLE__');
    // No element loads anything from another origin.
    expect(html).not.toMatch(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']?(?:https?:)?\/\//i);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');

    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    // The one inline script by its hash, and nothing else.
    expect(directives.get('script-src')).toEqual([expect.stringMatching(/^'sha256-[A-Za-z0-9+/]{43}='$/)]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    // No host, scheme or wildcard anywhere; data: and blob: only for what is inlined.
    expect(csp).not.toMatch(/https?:|wss?:|\*|\.|unsafe-eval/);
  });

  it('is sent compressed, and revalidated with its ETag', async () => {
    const brotli = await getPage({ 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.headers.get('content-encoding')).toBe('br');
    const gzipped = await getPage({ 'accept-encoding': 'br;q=0, gzip' });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    const plain = await getPage({ 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const size = (r: Response) => Number(r.headers.get('content-length'));
    // The whole page is ~9 MB; gzip sends under a third of it, brotli under a quarter.
    expect(size(plain)).toBeGreaterThan(5_000_000);
    expect(size(gzipped)).toBeLessThan(size(plain) / 3);
    expect(size(brotli)).toBeLessThan(size(plain) / 4);
    const bodies = await Promise.all([brotli, gzipped, plain].map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);

    const etag = brotli.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    expect(brotli.headers.get('cache-control')).toBe('no-cache');
    expect(brotli.headers.get('vary')).toMatch(/accept-encoding/i);
    const revalidated = await getPage({ 'accept-encoding': 'br', 'if-none-match': etag! });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
  });
});

/** The text a Monaco editor shows (it renders spaces as no-break spaces). */
async function editorText(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).innerText()).replace(/\u00a0/g, ' ');
}

/** Types into the Monaco editor under `selector`, replacing what it holds, key by key as a user would. */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(`${selector} .monaco-editor .view-lines`).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
  // Brackets and quotes the editor closes by itself are typed over, not doubled.
  await expect.poll(() => editorText(page, `${selector} .monaco-editor .view-lines`), { timeout: WAIT_MS }).toBe(text);
}

describe('GraphiQL in a browser that reaches nothing but this machine', () => {
  let context: BrowserContext;
  let offsite: string[] = [];
  const failed: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Every request that would leave the machine is refused, and recorded.
    offsite = await keepOnThisMachine(context);
    context.on('requestfailed', (request) => void failed.push(`${request.url().slice(0, 120)}: ${request.failure()?.errorText}`));
    // What the CSP blocked, as the page itself sees it (workers report to the console below).
    await recordCspViolations(context);
  });
  afterAll(() => context?.close());

  it('loads, runs a typed query and a subscription with the key typed into the headers pane, and shows their data', async () => {
    const key = await createKey(service.url, 'browser', ['READ', 'WRITE']);
    const api = keyed(service.url, key);
    const created = await api.post('/storage/sessions', { agent_name: 'graphiql-browser' });
    expect(created.status).toBe(200);
    const sessionId = created.body.id as string;

    const tab = await context.newPage();
    tab.setDefaultTimeout(WAIT_MS);
    const onConsole = (message: { type(): string; text(): string }) => {
      if (message.type() === 'error') consoleErrors.push(message.text().slice(0, 300));
    };
    tab.on('console', onConsole);
    tab.on('worker', (worker) => worker.on('console', onConsole));
    tab.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));

    const response = await tab.goto(`${service.url}/graphql`);
    expect(response?.status()).toBe(200);
    expect(await tab.title()).toBe('Agent storage');
    await tab
      .locator('.graphiql-query-editor .monaco-editor')
      .waitFor()
      .catch((error: Error) => {
        throw new Error(`GraphiQL's editor did not appear (requests refused for leaving the machine: ${offsite.join(', ') || 'none'}): ${error.message}`);
      });
    // Sent compressed: the browser received far less than the page's ~9 MB.
    expect((await response!.request().sizes()).responseBodySize).toBeLessThan(3_000_000);

    // Without a key, GraphiQL's first request (the schema) is refused, and it says why.
    await expect.poll(() => editorText(tab, '.graphiql-response'), { timeout: WAIT_MS }).toContain('UNAUTHENTICATED');

    await tab.locator('button[data-name="headers"]').click();
    await typeInto(tab, '.graphiql-editor-tool .graphiql-editor:visible', `{"Authorization": "Bearer ${key}"}`);
    await typeInto(tab, '.graphiql-query-editor', '{ sessions { totalCount nodes { agentName } } }');
    await tab.keyboard.press('Control+Enter');

    await expect.poll(() => editorText(tab, '.graphiql-response'), { timeout: WAIT_MS }).toContain('"agentName": "graphiql-browser"');
    expect(await editorText(tab, '.graphiql-response')).toContain('"totalCount": 1');

    // A subscription: GraphiQL sends it as a GET for an event stream, which CSRF prevention lets
    // through only with its header. (The variable is named as the argument: other spellings are
    // the subscription tests' business.)
    await tab.locator('button[data-name="variables"]').click();
    await typeInto(tab, '.graphiql-editor-tool .graphiql-editor:visible', `{"sessionId": "${sessionId}"}`);
    await typeInto(tab, '.graphiql-query-editor', 'subscription ($sessionId: ID!) { sessionEvents(sessionId: $sessionId) { __typename } }');
    await tab.keyboard.press('Control+Enter');
    // Updated until an event shows: the stream may not be open yet when the first update is made.
    let updates = 0;
    await expect
      .poll(
        async () => {
          expect((await api.put(`/storage/sessions/${sessionId}`, { metadata: { updates: ++updates } })).status).toBe(200);
          return editorText(tab, '.graphiql-response');
        },
        { timeout: WAIT_MS, interval: 250 },
      )
      .toContain('"__typename": "SessionUpdated"');

    // For a person to look at (one file, replaced by each run).
    const screenshot = join(tmpdir(), 'agent-storage-graphiql.png');
    await tab.screenshot({ path: screenshot });
    console.info(`GraphiQL screenshot: ${screenshot}`);

    expect(offsite).toEqual([]);
    // The refused schema request (401) is the only error logged: no CSP report, no uncaught error.
    expect(consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(await cspViolations(tab)).toEqual([]);
    expect(failed).toEqual([]);
  }, 90_000);
});
