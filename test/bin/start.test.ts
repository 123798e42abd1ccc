import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * `npm start` (bin/start.mjs) runs dist/ only when it is current, else the sources through tsx.
 * Checked on a copy of the launcher in a scratch project whose main modules just say which one ran.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'agent-storage-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

mkdirSync(join(dir, 'bin'));
mkdirSync(join(dir, 'src', 'domain'), { recursive: true });
copyFileSync(join(ROOT, 'bin', 'start.mjs'), join(dir, 'bin', 'start.mjs'));
symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
writeFileSync(join(dir, 'tsconfig.json'), '{}');
mkdirSync(join(dir, 'scripts'));
writeFileSync(join(dir, 'scripts', 'build.mjs'), '');
writeFileSync(join(dir, 'scripts', 'console.mjs'), '');
// TypeScript-only syntax: it runs only through tsx.
writeFileSync(join(dir, 'src', 'main.ts'), "const ran: string = 'source';\nprocess.stdout.write(ran);\n");
writeFileSync(join(dir, 'src', 'domain', 'rule.ts'), 'export {};\n');

const start = () => execFileSync(process.execPath, [join(dir, 'bin', 'start.mjs')], { cwd: dir, encoding: 'utf8' });
const at = (path: string, seconds: number) => utimesSync(join(dir, path), seconds, seconds);
const T = Math.floor(Date.now() / 1000);

function everythingAt(seconds: number) {
  for (const path of ['package.json', 'tsconfig.json', 'scripts/build.mjs', 'scripts/console.mjs', 'src/main.ts', 'src/domain/rule.ts', 'src/domain', 'src']) at(path, seconds);
}

describe('npm start (bin/start.mjs)', () => {
  it('runs the sources when nothing is built (a fresh clone)', () => {
    expect(start()).toBe('source');
  });

  it('runs dist/ when it was built after every source change, and the sources again once one changes', () => {
    everythingAt(T - 100);
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'main.js'), "process.stdout.write('dist');\n");
    at('dist/main.js', T - 50);
    expect(start()).toBe('dist');

    at('src/domain/rule.ts', T - 10); // a source edited after the build
    expect(start()).toBe('source');
    at('src/domain/rule.ts', T - 100);
    at('scripts/build.mjs', T - 10); // so is the build's configuration
    expect(start()).toBe('source');
    at('scripts/build.mjs', T - 100);
    at('scripts/console.mjs', T - 10); // and the console's build
    expect(start()).toBe('source');
    at('scripts/console.mjs', T - 100);
    at('src/domain', T - 10); // a source deleted or renamed after the build
    expect(start()).toBe('source');
    at('src/domain', T - 100);
    expect(start()).toBe('dist');
  });
});
