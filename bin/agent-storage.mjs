#!/usr/bin/env node
// The `agent-storage` command (export/import of bundles). Runs the TypeScript sources through tsx,
// so it works from a clone without a build: `npx agent-storage --help`.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
