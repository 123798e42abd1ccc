import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../src/console/serve.js';
import { launchChromium } from '../support/browser.js';
import { type Service, startService } from '../support/process.js';

/*
 * The console as a fresh clone serves it: the service run from its sources (tsx, as `npm start`
 * does when dist/ is missing or stale), which builds the console's assets in memory on the first
 * request. Also: without authentication (AUTH_MODE=none) the page asks for no key. The built
 * service, with keys, in a browser: test/browser/console.test.ts.
 */

let dir: string;
let service: Service;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agent-storage-console-'));
  service = await startService({ AUTH_MODE: 'none', DATABASE_URL: `sqlite:${join(dir, 'storage.db')}` }, 60_000);
}, 90_000);

afterAll(async () => {
  await service?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the console served from the sources', () => {
  it('builds its page and hashed assets on demand, with the headers the page needs', async () => {
    const page = await fetch(`${service.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="\/console\/(assets\/console-[A-Z0-9]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.map((a) => a.split('.').pop()).sort()).toEqual(['css', 'js']);
    // No inline script or style: the CSP allows none.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/i);

    for (const asset of assets) {
      const res = await fetch(`${service.url}/console/${asset}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      const etag = res.headers.get('etag')!;
      expect((await fetch(`${service.url}/console/${asset}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    }
  });

  it('answers every route of the page with the page, an unknown asset with 404, and only GET and HEAD', async () => {
    const index = await (await fetch(`${service.url}/console/`)).text();
    for (const path of ['/console/sessions/s1', '/console/sessions/s1/state', '/console/metrics', '/console/threads/t%2F1']) {
      const res = await fetch(service.url + path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe(index);
    }
    const bare = await fetch(`${service.url}/console?x=1`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/console/?x=1');
    const missing = await fetch(`${service.url}/console/assets/console-NOPE.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Not Found' });
    const post = await fetch(`${service.url}/console/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${service.url}/console/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('asks for no key when the service checks none', async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${service.url}/console/`);
      await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
      expect(await page.getByLabel('API key').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
      await page.getByText('0 sessions').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await browser?.close();
    }
  });
});
