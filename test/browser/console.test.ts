import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { cspViolations, keepOnThisMachine, launchChromium, recordCspViolations } from '../support/browser.js';
import { type Bundle, buildBundle } from '../support/build.js';
import { testSchema, type TestSchema } from '../support/postgres.js';
import { type Service, startService } from '../support/process.js';

/*
 * The web console as a person uses it: the built service (as `npm start` runs it) with API keys,
 * on the backend TEST_BACKEND names (SQLite, or PostgreSQL in the postgres+redis project), opened
 * in Debian's chromium that may reach nothing but this machine. Sign in (a wrong key first), filter
 * the sessions, open one, watch a message written by another client arrive live, read the state's
 * history and a diff, preview and download an artifact, chart metrics, follow a thread's
 * checkpoints, sign out; at 1280×800 and at a phone's 390×844, with an accessibility pass (axe) of
 * every page. Screenshots of each page: test-results/console/ (docs/development.md).
 */

/** How long to wait for the page to do something (the machine may be busy), never a measure. */
const WAIT_MS = 20_000;
const BACKEND = process.env.TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
const SHOTS = resolve(import.meta.dirname, '..', '..', 'test-results', 'console');

let bundle: Bundle;
let schema: TestSchema | undefined;
let service: Service;
let browser: Browser;
let key: string;
let api: ReturnType<typeof keyed>;

/** What the test writes before the browser opens, through REST as an agent would. */
const seeded = { alpha: '', alphaFork: '', beta: '', firstMessage: '' };
/** A 1×1 PNG. */
const PIXEL_PNG = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  bundle = buildBundle();
  schema = BACKEND === 'postgres' ? testSchema() : undefined;
  service = await startService(
    { ...AUTH_ENV, DATABASE_URL: schema ? schema.url : `sqlite:${join(bundle.dir, 'storage.db')}` },
    30_000,
    [join(bundle.dist, 'main.js')],
  );
  browser = await launchChromium();
  key = await createKey(service.url, 'console', ['READ', 'WRITE']);
  api = keyed(service.url, key);
  await seed();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await schema?.drop();
  bundle?.cleanup();
});

async function ok(response: Promise<{ status: number; body: any; text: string }>, status = 200): Promise<any> {
  const res = await response;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res.body;
}

async function seed(): Promise<void> {
  seeded.alpha = (await ok(api.post('/storage/sessions', { agent_name: 'alpha-agent', user_id: 'ada', metadata: { topic: 'weather' } }))).id;
  seeded.beta = (await ok(api.post('/storage/sessions', { agent_name: 'beta-agent', user_id: 'bob' }))).id;
  await ok(api.post('/storage/sessions', { agent_name: 'alpha-agent', user_id: 'cy', status: 'ended' }));
  const first = await ok(api.post('/storage/history', { session_id: seeded.alpha, role: 'user', content: 'What is the weather in Lisbon?' }));
  seeded.firstMessage = first.id;
  await ok(api.post('/storage/history', { session_id: seeded.alpha, role: 'assistant', content: 'Let me look it up.' }));
  seeded.alphaFork = (await ok(api.post(`/storage/sessions/${seeded.alpha}/fork`, { up_to_message_id: first.id, agent_name: 'alpha-agent' }))).id;
  // Two versions of the state: the history shows both and their difference.
  await ok(api.put(`/storage/state/${seeded.alpha}`, { data: { step: 1, plan: ['search'], city: 'Lisbon' } }));
  await ok(api.put(`/storage/state/${seeded.alpha}`, { data: { step: 2, plan: ['search', 'answer'], city: 'Lisbon', done: true } }));
  // Artifacts with content, each saved as one step: JSON, a PNG, and an SVG carrying a script.
  const save = async (name: string, type: string, body: string | Uint8Array<ArrayBuffer>) => {
    const saved = await fetch(`${service.url}/storage/artifacts/content?session_id=${seeded.alpha}&name=${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': type },
      body,
    });
    if (saved.status !== 201) throw new Error(`artifact content: ${saved.status} ${await saved.text()}`);
  };
  await save('forecast.json', 'application/json', JSON.stringify({ city: 'Lisbon', forecast: 'sunny', high: 24 }));
  await save('pixel.png', 'image/png', PIXEL_PNG);
  await save('drawing.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>window.pwned = 1</script></svg>');
  for (const [value, model] of [
    [120, 'small'],
    [340, 'large'],
    [200, 'small'],
  ] as const) {
    await ok(api.post('/storage/metrics', { entity_type: 'agent', entity_name: 'alpha-agent', metric_name: 'latency_ms', value, session_id: seeded.alpha, labels: { model } }));
  }
  // A LangGraph thread of two checkpoints.
  for (const [id, parentId, step] of [
    ['cp-1', null, 0],
    ['cp-2', 'cp-1', 1],
  ] as const) {
    const res = await api.gql('mutation ($input: PutCheckpointInput!) { putCheckpoint(input: $input) { id } }', {
      input: { threadId: 'thread-lisbon', id, parentId, type: 'json', data: 'e30=', metadata: { step, source: 'loop' }, channelVersions: { messages: step + 1 } },
    });
    if (res.body?.data?.putCheckpoint?.id !== id) throw new Error(`putCheckpoint: ${res.text}`);
  }
}

interface Watched {
  page: Page;
  offsite: string[];
  errors: string[];
  cspViolations(): Promise<string[]>;
}

/** A context that may reach nothing but this machine, and a page whose errors are recorded. */
async function openContext(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; watched: Watched }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const offsite = await keepOnThisMachine(context);
  const errors: string[] = [];
  await recordCspViolations(context);
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text().slice(0, 300)));
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { context, watched: { page, offsite, errors, cspViolations: () => cspViolations(page) } };
}

/** No serious or critical accessibility violations on the page as it is now. */
async function accessible(page: Page, name: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    name,
  ).toEqual([]);
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${BACKEND}-${name}.png`), fullPage: true });

const sessionStorageKeys = (page: Page) => page.evaluate(() => Object.keys(sessionStorage));

describe(`the console in a browser (${BACKEND})`, () => {
  let context: BrowserContext;
  let w: Watched;
  beforeAll(async () => {
    ({ context, watched: w } = await openContext({ width: 1280, height: 800 }));
  });
  afterAll(() => context?.close());

  it('refuses a wrong key, and one that may not read, keeping nothing; then signs in with the right one', async () => {
    const { page } = w;
    await page.goto(`${service.url}/console/`);
    await page.getByLabel('API key').waitFor();
    await accessible(page, 'sign-in');
    await shot(page, 'sign-in');

    await page.getByLabel('API key').fill('as_wrong-key-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/refused this key/);
    expect(await sessionStorageKeys(page)).toEqual([]);
    // A good key that may not read is no use here either.
    await page.getByLabel('API key').fill(await createKey(service.url, 'console', ['WRITE']));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/lacks the "read" scope/);
    expect(await sessionStorageKeys(page)).toEqual([]);

    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([key]);
    // The key stays in the tab: a reload signs in by itself.
    await page.reload();
    await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
  });

  it('lists sessions with counts, and filters them by agent, status and text', async () => {
    const { page } = w;
    await page.getByText('4 sessions').waitFor();
    await accessible(page, 'sessions');
    await shot(page, 'sessions');

    await page.getByLabel('Agent').fill('alpha-agent');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('3 sessions').waitFor();
    expect(page.url()).toContain('agent=alpha-agent');
    await page.getByLabel('Status').selectOption('ENDED');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('1 sessions').waitFor();

    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Text in messages').fill('Lisbon');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // The original and its fork (whose history holds a copy of the message).
    await page.getByText('2 matching messages').waitFor();
    expect(await page.locator('table.sessions tbody tr').count()).toBe(2);
    await shot(page, 'search');
  });

  it('filters sessions by the time of their creation, kept in the address', async () => {
    const { page } = w;
    await page.getByRole('link', { name: 'Clear' }).click();
    await page.getByText('4 sessions').waitFor();
    // The browser's local time of an instant, to the minute (as the fields take it) or the millisecond (as the address may).
    const local = (iso: string, length: number) =>
      page.evaluate(([at, n]) => new Date(Date.parse(at) - new Date(at).getTimezoneOffset() * 60_000).toISOString().slice(0, n), [iso, length] as const);
    const nextMinute = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000).toISOString();

    // The fields: every session was created before the next minute, none from it on.
    await page.getByLabel('Until').fill(await local(nextMinute, 16));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('4 sessions').waitFor();
    expect(new URL(page.url()).searchParams.get('until')).toBe(await local(nextMinute, 16));
    await page.getByLabel('Until').fill('');
    await page.getByLabel('From').fill(await local(nextMinute, 16));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('0 sessions').waitFor();
    await page.getByText('Nothing matches.').waitFor();

    // The address, to the millisecond: the fork is the newest session; from its creation on only
    // it, until then (not at it) the three before it.
    const fork = await ok(api.get(`/storage/sessions/${seeded.alphaFork}`));
    const older = (await ok(api.get('/storage/sessions'))).filter((s: { id: string }) => s.id !== seeded.alphaFork);
    expect(older.every((s: { created_at: string }) => s.created_at < fork.created_at)).toBe(true);
    const at = encodeURIComponent(await local(fork.created_at, 23));
    await page.goto(`${service.url}/console/?since=${at}`);
    await page.getByText('1 sessions').waitFor();
    await page.locator('table.sessions').getByRole('link', { name: seeded.alphaFork }).waitFor();
    await page.goto(`${service.url}/console/?until=${at}`);
    await page.getByText('3 sessions').waitFor();
    expect(await page.locator('table.sessions').getByRole('link', { name: seeded.alphaFork }).count()).toBe(0);
    await accessible(page, 'sessions by time');
    await shot(page, 'sessions-by-time');
  });

  it('opens a session: messages, the fork tree, and a message another client appends appears live', async () => {
    const { page } = w;
    await page.getByRole('link', { name: 'Clear' }).click();
    await page.getByRole('link', { name: seeded.alpha, exact: true }).click();
    await page.getByRole('heading', { name: `Session ${seeded.alpha}` }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.getByText('What is the weather in Lisbon?').waitFor();
    await page.getByText('Let me look it up.').waitFor();
    // Its fork, one jump away.
    await page.locator('.forks').getByRole('link', { name: seeded.alphaFork }).waitFor();

    await ok(api.post('/storage/history', { session_id: seeded.alpha, role: 'assistant', content: 'Sunny, 24 degrees.' }));
    await page.getByText('Sunny, 24 degrees.').waitFor();
    expect(await page.locator('ol.messages > li').count()).toBe(3);
    await accessible(page, 'conversation');
    await shot(page, 'conversation');

    // The fork links back to its parent.
    await page.locator('.forks').getByRole('link', { name: seeded.alphaFork }).click();
    await page.getByRole('heading', { name: `Session ${seeded.alphaFork}` }).waitFor();
    await page.locator('.forks').getByRole('link', { name: seeded.alpha }).click();
    await page.getByRole('heading', { name: `Session ${seeded.alpha}` }).waitFor();
  });

  it("shows the state's history and the difference between two versions", async () => {
    const { page } = w;
    await page.getByRole('link', { name: 'State', exact: true }).click();
    await page.getByText('Current: version 2').waitFor();
    const versions = page.getByRole('list', { name: 'State versions' });
    await versions.getByRole('button', { name: 'version 2' }).waitFor();
    expect(await versions.getByRole('button').allInnerTexts()).toEqual(['version 1', 'version 2']);
    // Version 2 against version 1: what changed, by JSON Pointer.
    const rows = page.locator('table.diff tbody tr');
    await expect.poll(() => rows.allInnerTexts()).toEqual([
      expect.stringMatching(/^\/step\s+changed\s+1\s+2$/),
      expect.stringMatching(/^\/plan\/1\s+added\s+"answer"$/),
      expect.stringMatching(/^\/done\s+added\s+true$/),
    ]);
    await accessible(page, 'state');
    await shot(page, 'state');
    // A write made now joins the history live.
    await ok(api.put(`/storage/state/${seeded.alpha}`, { data: { step: 3 } }));
    await versions.getByRole('button', { name: 'version 3' }).waitFor();
  });

  it('previews artifacts (JSON as a tree, an image from a blob: URL, SVG only as text) and downloads their bytes', async () => {
    const { page } = w;
    await page.getByRole('link', { name: 'Artifacts', exact: true }).click();
    const artifact = (name: string) => page.locator('li.artifact', { has: page.getByText(name, { exact: true }) });
    await artifact('forecast.json').getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('list', { name: 'forecast.json as JSON' }).getByText('"sunny"').waitFor();

    await artifact('pixel.png').getByRole('button', { name: 'Preview' }).click();
    const image = page.getByRole('img', { name: /pixel\.png/ });
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    expect(await image.getAttribute('src')).toMatch(/^blob:/);

    // An SVG is a document that can run scripts: its source is shown, never the drawing.
    await artifact('drawing.svg').getByRole('button', { name: 'Preview' }).click();
    await artifact('drawing.svg').locator('pre').getByText('<script>window.pwned = 1</script>', { exact: false }).waitFor();
    expect(await artifact('drawing.svg').locator('img, svg, iframe, object, embed').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await accessible(page, 'artifacts');
    await shot(page, 'artifacts');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download forecast.json' }).click()]);
    expect(download.suggestedFilename()).toBe('forecast.json');
    expect(JSON.parse(readFileSync(await download.path(), 'utf8'))).toEqual({ city: 'Lisbon', forecast: 'sunny', high: 24 });
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download pixel.png' }).click()]);
    expect(new Uint8Array(readFileSync(await png.path()))).toEqual(PIXEL_PNG);
  });

  it("charts the session's metrics with their aggregates", async () => {
    const { page } = w;
    await page.getByRole('link', { name: 'Metrics', exact: true }).last().click();
    await page.locator('.chart canvas').first().waitFor();
    const table = page.getByRole('table', { name: /Aggregates/ });
    await expect.poll(() => table.locator('tbody tr').first().innerText()).toMatch(/^all\s+3\s+660\s+220\s+120\s+340$/);
    await page.getByLabel('Group by').selectOption('session');
    await table.getByText(`session_id=${seeded.alpha}`).waitFor();
    await accessible(page, 'session-metrics');
    await shot(page, 'metrics');
  });

  it("follows a LangGraph thread's checkpoints as a timeline", async () => {
    const { page } = w;
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Threads' }).click();
    await page.getByRole('link', { name: 'thread-lisbon' }).click();
    const timeline = page.getByRole('list', { name: 'Checkpoints, newest first' });
    await timeline.getByText('cp-2', { exact: true }).waitFor();
    expect(await timeline.locator(':scope > li strong').allInnerTexts()).toEqual(['cp-2', 'cp-1']);
    await timeline.getByText('step 1').waitFor();
    await accessible(page, 'thread');
    await shot(page, 'thread');
  });

  it('signs out: the key is gone from the tab, and nothing loads without one', async () => {
    const { page } = w;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await sessionStorageKeys(page)).toEqual([]);
    await page.goto(`${service.url}/console/sessions/${seeded.alpha}`);
    await page.getByLabel('API key').waitFor();
    expect(await page.getByText('What is the weather').count()).toBe(0);
  });

  it('loaded nothing from elsewhere, broke no policy and logged no error but the refused keys', async () => {
    expect(w.offsite).toEqual([]);
    expect(await w.cspViolations()).toEqual([]);
    // The refused keys' probes (401, 403) and the signed-out page's (401): the only errors.
    expect(w.errors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
  });
});

describe(`the console at a phone's width (${BACKEND})`, () => {
  it('fits 390×844 without scrolling sideways, signs in by keyboard, and stays accessible', async () => {
    const { context, watched } = await openContext({ width: 390, height: 844 });
    try {
      const { page } = watched;
      await page.goto(`${service.url}/console/`);
      // With the keyboard alone: the key field has the focus, Enter signs in.
      await page.getByLabel('API key').waitFor();
      await page.keyboard.type(key);
      await page.keyboard.press('Enter');
      await page.getByText('4 sessions').waitFor();
      const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      expect(await fits()).toBe(true);
      await accessible(page, 'phone sessions');
      await shot(page, 'phone-sessions');
      await page.goto(`${service.url}/console/sessions/${seeded.alpha}`);
      await page.getByText('What is the weather in Lisbon?').waitFor();
      expect(await fits()).toBe(true);
      await accessible(page, 'phone conversation');
      await shot(page, 'phone-conversation');
      expect(watched.offsite).toEqual([]);
      expect(await watched.cspViolations()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the console with PERSISTED_OPERATIONS=only', () => {
  it('lists, filters and follows a session live, sending its operations by hash; query text stays refused', async () => {
    // A service that takes one operation of its operator's manifest, and the console's (without keys: on this machine only).
    const own = 'query Own { __typename }';
    const manifest = join(bundle.dir, 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ [createHash('sha256').update(own).digest('hex')]: own }));
    const only = await startService(
      { AUTH_MODE: 'none', PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: manifest, DATABASE_URL: `sqlite:${join(bundle.dir, 'only.db')}` },
      30_000,
      [join(bundle.dist, 'main.js')],
    );
    const { context, watched } = await openContext({ width: 1280, height: 800 });
    try {
      const open = keyed(only.url, null);
      const session = await ok(open.post('/storage/sessions', { agent_name: 'persisted-agent' }));
      await ok(open.post('/storage/sessions', { agent_name: 'other-agent' }));
      const text = await open.gql('{ sessions(first: 1) { totalCount } }');
      expect([text.status, text.body.errors[0].extensions.code]).toEqual([403, 'PERSISTED_QUERY_ONLY']);

      const sent: string[] = [];
      watched.page.on('request', (request) => request.url().endsWith('/graphql') && sent.push(request.postData() ?? ''));
      const { page } = watched;
      await page.goto(`${only.url}/console/?agent=persisted-agent`);
      await page.getByText('1 sessions').waitFor();
      await page.getByRole('link', { name: session.id }).click();
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      await ok(open.post('/storage/history', { session_id: session.id, role: 'user', content: 'Sent while watching' }));
      await page.getByText('Sent while watching').waitFor();
      await shot(page, 'persisted-only');

      expect(sent.length).toBeGreaterThanOrEqual(3);
      for (const body of sent.map((text) => JSON.parse(text))) {
        expect(body.query).toBeUndefined();
        expect(body.extensions).toEqual({ persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
      }
      expect(watched.errors).toEqual([]);
      expect(await watched.cspViolations()).toEqual([]);
    } finally {
      await context.close();
      await only.stop();
    }
  }, 90_000);
});
