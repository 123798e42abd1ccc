import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/*
 * Browser tests run Debian's chromium (driven by playwright-core), cut off from everything but
 * this machine, as in a network with no CDN.
 */

const CHROMIUM = '/usr/bin/chromium';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Chromium; fails, never skips: a machine without it would otherwise pass without testing anything. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: this test needs Debian's chromium (apt-get install -y chromium; .ci/run installs it)`);
  }
  return chromium.launch({ executablePath: CHROMIUM });
}

/** Refuses every request of `context` that would leave the machine; the list records them. */
export async function keepOnThisMachine(context: BrowserContext): Promise<string[]> {
  const offsite: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (/^(?:https?|wss?):$/.test(url.protocol) && !LOCAL_HOSTS.has(url.hostname)) {
      offsite.push(url.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  return offsite;
}

/** Has every page of `context` record what its Content-Security-Policy blocks, as the page itself sees it. */
export async function recordCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
}

/** What the policy blocked on `page` so far (see recordCspViolations). */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}
