// `npm run build`: the service and the `agent-storage` command, each bundled into one ES module in
// dist/ (types are checked by `npm run typecheck`, not here). Why a bundle: the service imports
// about 700 modules (Yoga and graphql-tools, zod, Pothos, graphql-scalars…), and resolving and
// loading them one by one was most of its cold start (on this 2-core machine 1.2 s unbundled,
// 0.55–0.62 s bundled, against 0.63–0.94 s for a bare Yoga server). Left outside, loaded from
// node_modules at run time: the native SQLite driver and the PostgreSQL and Redis clients (imported
// only when configured).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const root = new URL('../', import.meta.url);
// --outdir=DIR: elsewhere (the build test); the bundles expect a package.json in DIR's parent.
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
rmSync(new URL(outdir, root), { recursive: true, force: true });

await build({
  absWorkingDir: root.pathname,
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
