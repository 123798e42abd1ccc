import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { type Bundle, buildBundle } from '../support/build.js';
import { type Service, startService } from '../support/process.js';

/*
 * `agent-storage/client` where its users' front ends run it: the published bundle (dist/client,
 * as `npm run build` makes it) imported by a page in Debian's chromium that may reach nothing but
 * this machine, against the built service with API keys on. The page is served from the service's
 * origin (routed by the browser, so no CORS settings are needed), as a console or an app behind
 * the same host would be.
 */

const CHROMIUM = '/usr/bin/chromium';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

let bundle: Bundle;
let service: Service;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: this test needs Debian's chromium (apt-get install -y chromium; .ci/run installs it)`);
  }
  bundle = buildBundle();
  service = await startService({ ...AUTH_ENV, DATABASE_URL: `sqlite:${join(bundle.dir, 'storage.db')}` }, 30_000, [join(bundle.dist, 'main.js')]);
  browser = await chromium.launch({ executablePath: CHROMIUM });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  bundle?.cleanup();
});

it('runs in a browser: typed calls with a key, errors with their codes, the change feed live', async () => {
  const key = await createKey(service.url, 'browser-tenant', ['READ', 'WRITE']);
  const context = await browser.newContext();
  const origin = new URL(service.url);
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (!LOCAL_HOSTS.has(url.hostname)) return route.abort('blockedbyclient');
    // The page and the published bundle, under the service's origin; everything else goes to the service.
    if (url.host === origin.host && url.pathname === '/__page') {
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>client</title>' });
    }
    if (url.host === origin.host && url.pathname.startsWith('/__dist/')) {
      const file = normalize(join(bundle.dist, url.pathname.slice('/__dist/'.length)));
      if (!file.startsWith(bundle.dist)) return route.abort();
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync(file, 'utf8') });
    }
    return route.continue();
  });
  const page = await context.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(String(error)));
  await page.goto(`${service.url}/__page`);
  // As an app would load it: an ES module importing the package's entry point.
  await page.addScriptTag({ type: 'module', content: "import * as client from '/__dist/client/index.js'; window.agentStorageClient = client;" });
  await page.waitForFunction(() => 'agentStorageClient' in window);

  const result = await page.evaluate(async ({ key }) => {
    const { AgentStorageClient, AgentStorageError } = (window as unknown as { agentStorageClient: typeof import('../../src/client/index.js') }).agentStorageClient;
    const client = new AgentStorageClient({ url: location.origin, apiKey: key });
    const session = await client.sessions.create({ agentName: 'in-the-browser' });
    await client.history.append(session.id, { role: 'USER', content: 'héllo from a page', idempotencyKey: 'turn-1' });
    // The same key again: the first message, not a second one.
    await client.history.append(session.id, { role: 'USER', content: 'héllo from a page', idempotencyKey: 'turn-1' });
    const history = await client.history.list(session.id);
    // The change feed: the write it must deliver is made once the stream is live.
    let connected!: () => void;
    const live = new Promise<void>((resolve) => (connected = resolve));
    const events = client.sessionEvents(session.id, { onConnect: () => connected() });
    const first = events.next();
    await live;
    await client.history.append(session.id, { role: 'ASSISTANT', content: 'live' });
    const { value: event } = await first;
    if (!event) throw new Error('the change feed ended before its first event');
    await events.return(undefined);
    let refusal: { name: string; code: string; isClass: boolean } | null = null;
    try {
      await new AgentStorageClient({ url: location.origin, apiKey: 'not-a-key' }).sessions.get(session.id);
    } catch (error) {
      refusal = { name: (error as Error).name, code: (error as { code: string }).code, isClass: error instanceof AgentStorageError };
    }
    return {
      contents: history.nodes.map((m: { content: string }) => m.content),
      event: { type: event.__typename, content: 'message' in event ? event.message.content : null },
      refusal,
    };
  }, { key });

  expect(result.contents).toEqual(['héllo from a page']);
  expect(result.event).toEqual({ type: 'MessageAdded', content: 'live' });
  expect(result.refusal).toEqual({ name: 'AgentStorageError', code: 'UNAUTHENTICATED', isClass: true });
  expect(failures).toEqual([]);
  await context.close();
});
