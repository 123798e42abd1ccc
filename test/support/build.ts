import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface Bundle {
  /** The scratch folder: `dist/`, a copy of package.json, node_modules linked; files may be added. */
  dir: string;
  /** The built `main.js` (the service) and `cli.js` are in here. */
  dist: string;
  cleanup(): void;
}

/**
 * `npm run build` (scripts/build.mjs) into a scratch folder laid out as the bundles expect: what
 * `npm start` and the Docker image run, for tests that start the service as users do.
 */
export function buildBundle(): Bundle {
  const dir = mkdtempSync(join(tmpdir(), 'agent-storage-build-'));
  const dist = join(dir, 'dist');
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json')); // read for the version
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules')); // the native driver stays outside
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), `--outdir=${dist}`], { cwd: ROOT, stdio: 'pipe' });
  return { dir, dist, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
