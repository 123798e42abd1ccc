import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './options.js';

const built = new Map<string, string>();

/**
 * Transpiles one self-contained TypeScript file (no runtime imports of other local .ts files) to
 * plain JS under bench/results/.build/, and returns its path. The child processes that must not pay
 * for a TypeScript loader — the Yoga baseline (its cold start is compared with dist/) and the load
 * generator — run from there with plain `node`. Inside the repository, so that packages resolve
 * from its node_modules; bench/results/ is gitignored.
 */
export function transpileToBuild(relativePath: string): string {
  const cached = built.get(relativePath);
  if (cached) return cached;
  const source = readFileSync(join(ROOT, relativePath), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    fileName: relativePath,
  });
  const dir = join(ROOT, 'bench/results/.build');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, basename(relativePath).replace(/\.ts$/, '.mjs'));
  writeFileSync(file, outputText);
  built.set(relativePath, file);
  return file;
}
