/**
 * Prints the GraphQL schema, sorted, to schema.graphql (`npm run schema:print`). With `--check`
 * (`npm run schema:check`, for CI) it writes nothing and fails when the file is not current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../src/graphql/schema.js';

const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));
const printed = `${printSchema(lexicographicSortSchema(schema))}\n`;

if (process.argv.includes('--check')) {
  let current: string | null = null;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing: reported below as stale
  }
  if (current !== printed) {
    process.stderr.write(
      `schema.graphql is ${current === null ? 'missing' : 'out of date'}: the Pothos schema in src/graphql/ has changed.\n` +
        'Run `npm run schema:print` (then `npm run codegen`) and commit the result.\n',
    );
    process.exit(1);
  }
  process.stdout.write('schema.graphql is up to date\n');
} else {
  writeFileSync(target, printed);
  process.stdout.write(`wrote ${target}\n`);
}
