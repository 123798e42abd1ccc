#!/usr/bin/env node
// The `agent-storage` command (export/import, backup/restore, keys). In a built install (the Docker
// image) it runs the compiled `dist/`; in a clone it runs the TypeScript sources through tsx, so it works
// without a build: `npx agent-storage --help`.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(built.href);
}
