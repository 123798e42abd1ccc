#!/usr/bin/env node
// `npm start`. A start without a TypeScript loader takes about half the time (tsx transpiles every
// module first), so the compiled `dist/` runs when it is current: built after the last change to
// any file under src/, package.json, the tsconfigs or the build scripts (the service's and the
// web console's). Otherwise — a fresh clone, or sources changed since the last `npm run build` —
// the sources run through tsx, as before. Never stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const built = new URL('dist/main.js', root);

/** The newest modification time of a file, or of any file in a folder tree. */
function newest(url) {
  const stat = statSync(url);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let time = stat.mtimeMs; // a deleted or renamed file changes its folder
  for (const entry of readdirSync(url, { withFileTypes: true })) {
    time = Math.max(time, newest(new URL(entry.name + (entry.isDirectory() ? '/' : ''), url)));
  }
  return time;
}

const inputs = ['src/', 'package.json', 'tsconfig.json', 'scripts/build.mjs', 'scripts/console.mjs'].map((path) => new URL(path, root));
const current = existsSync(built) && statSync(built).mtimeMs >= Math.max(...inputs.map(newest));
if (current) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('src/main.ts', root).href);
}
