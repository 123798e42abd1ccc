// `npm run build`: the service and the `agent-storage` command, each bundled into one ES module in
// dist/ (types are checked by `npm run typecheck`, not here). Why a bundle: the service imports
// about 700 modules (Yoga and graphql-tools, zod, Pothos, graphql-scalars…), and resolving and
// loading them one by one was most of its cold start (on this 2-core machine 1.2 s unbundled,
// 0.55–0.62 s bundled, against 0.63–0.94 s for a bare Yoga server). Left outside, loaded from
// node_modules at run time: the native SQLite driver and the PostgreSQL and Redis clients (imported
// only when configured).
//
// Then the web console (dist/console/, scripts/console.mjs), and the package's published entry
// points (`exports` in package.json, e.g. "./client"), each an ES module for any platform with its
// type declarations beside it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildConsole } from './console.mjs';

const root = new URL('../', import.meta.url);
// --outdir=DIR: elsewhere (the build test); the bundles expect a package.json in DIR's parent.
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const out = new URL(outdir.endsWith('/') ? outdir : `${outdir}/`, root);
rmSync(out, { recursive: true, force: true });

await build({
  absWorkingDir: fileURLToPath(root),
  // Both at the top of dist/: src/version.ts reads ../package.json relative to its module.
  entryPoints: { main: 'src/main.ts', cli: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true, // what both share is loaded once, as a chunk
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', 'pg', 'ioredis'],
  // Bundled CommonJS packages call require() for Node's own modules; an ES module has none.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The web console (/console): its page and hashed assets in dist/console/, beside the bundle that
// serves them (src/console/serve.ts).
for (const [name, bytes] of await buildConsole()) {
  const file = new URL(`console/${name}`, out);
  mkdirSync(new URL('./', file), { recursive: true });
  writeFileSync(file, bytes);
}

// Each subpath export names its files: `"./client": { "types": "./dist/client/index.d.ts",
// "import": "./dist/client/index.js" }` is built from src/client/index.ts. Adding an entry point is
// adding its line there.
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const published = Object.values(pkg.exports ?? {}).filter((target) => typeof target === 'object' && target.import?.startsWith('./dist/'));
const entryPoints = Object.fromEntries(
  published.map(({ import: file }) => {
    const name = file.slice('./dist/'.length, -'.js'.length);
    return [name, `src/${name}.ts`];
  }),
);

if (published.length > 0) {
  await build({
    absWorkingDir: fileURLToPath(root),
    entryPoints,
    outdir,
    bundle: true,
    // Entry points that share code (an adapter and the client it is built on) share one copy of
    // it, so an error thrown by one is an `instanceof` the other's class.
    splitting: true,
    chunkNames: 'shared/[name]-[hash]',
    format: 'esm',
    // No Node built-ins, no globals but fetch, streams, TextDecoder and AbortController: browsers too.
    platform: 'neutral',
    target: 'es2022',
    // Packages stay imports: a framework an adapter plugs into is the application's own copy (a peer dependency).
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });

  // The declarations of the published sources (tsconfig.publish.json: browser and Node globals
  // alike, no Node types), next to the bundles.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.publish.json', '--declarationDir', fileURLToPath(out)], {
    cwd: fileURLToPath(root),
    stdio: 'inherit',
  });
  for (const { types } of published) {
    if (!types || !existsSync(new URL(types.slice('./dist/'.length), out))) throw new Error(`no declarations at ${types} for an entry point`);
  }
}
