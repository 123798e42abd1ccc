// The web console's build (docs/console.md): src/console/app/ (Preact + uPlot) bundled by esbuild
// into index.html and content-hashed JS and CSS. One function for both places that need it:
// `npm run build` writes the files to dist/console/; a server run from the sources (a fresh clone,
// `npm start` without a current dist/) builds them in memory on the first request for /console.
//
// esbuild, not Vite: the service is already bundled with esbuild (scripts/build.mjs), and a page of
// one entry point needs no dev server, plugins or HTML transforms — one bundler does the job.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The page: no inline script or style (the CSP allows none), the assets by their hashed names. */
function indexHtml(script, style) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Agent storage console</title>
<link rel="stylesheet" href="/console/${style}">
<script type="module" src="/console/${script}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The console needs JavaScript.</noscript>
</body>
</html>
`;
}

/**
 * Builds the console: a Map of paths below /console/ (`index.html`, `assets/console-<hash>.js`, …)
 * to their bytes.
 */
export async function buildConsole() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { console: 'src/console/app/main.tsx' },
    outdir: 'console-out', // never written (write: false); names the outputs
    entryNames: 'assets/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    tsconfig: 'src/console/app/tsconfig.json',
    logLevel: 'warning',
  });
  const files = new Map();
  const prefix = `${root}console-out/`;
  for (const file of result.outputFiles) {
    if (!file.path.startsWith(prefix)) throw new Error(`console build: unexpected output ${file.path}`);
    files.set(file.path.slice(prefix.length), file.contents);
  }
  const script = [...files.keys()].find((name) => name.endsWith('.js'));
  const style = [...files.keys()].find((name) => name.endsWith('.css'));
  if (!script || !style) throw new Error('console build: expected one script and one style sheet');
  files.set('index.html', new TextEncoder().encode(indexHtml(script, style)));
  return files;
}
