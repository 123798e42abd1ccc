import { readFileSync } from 'node:fs';

/** Name and version as published in package.json (read once, at start). */
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export const SERVICE = { name: pkg.name, version: pkg.version } as const;
