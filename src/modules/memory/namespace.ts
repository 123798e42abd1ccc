import { z } from 'zod';

/**
 * Namespaces of the memory store: LangGraph's hierarchical paths (`['users', 'u1', 'memories']`).
 *
 * Stored as the labels joined by '.', which LangGraph forbids inside a label, so the text is
 * unambiguous and the items below a prefix are one range of the primary key (`'a.b'` itself, and
 * `['a.b.', 'a.b/')`: '/' is the character after '.'), under the byte order both databases use for
 * these columns (SQLite's BINARY, PostgreSQL's `COLLATE "C"`).
 */

export const NAMESPACE_LIMITS = {
  /** Labels in a namespace. */
  depth: 16,
  /** Characters in one label. */
  label: 256,
  /** Characters in an item's key. */
  key: 1024,
} as const;

const SEPARATOR = '.';

const wellFormed = (v: string) => v.isWellFormed() && !v.includes('\u0000');

const label = z
  .string()
  .min(1, 'namespace labels must not be empty')
  .max(NAMESPACE_LIMITS.label, `namespace labels must be at most ${NAMESPACE_LIMITS.label} characters`)
  .refine((v) => !v.includes(SEPARATOR), { message: "namespace labels must not contain '.'" })
  .refine(wellFormed, { message: 'namespace labels must be valid Unicode text without NUL characters' });

const labels = z.array(label).max(NAMESPACE_LIMITS.depth, `a namespace has at most ${NAMESPACE_LIMITS.depth} labels`);

/** An item's namespace: at least one label. */
export const namespace = labels.min(1, 'a namespace has at least one label');
/** A search's prefix: `[]` is everything. */
export const namespacePrefix = labels;
/** A listNamespaces condition's path: labels, or '*' for any one label. */
export const namespacePath = labels;

export const itemKey = z
  .string()
  .max(NAMESPACE_LIMITS.key, `keys must be at most ${NAMESPACE_LIMITS.key} characters`)
  .refine(wellFormed, { message: 'keys must be valid Unicode text without NUL characters' });

export function joinNamespace(labels: readonly string[]): string {
  return labels.join(SEPARATOR);
}

export function splitNamespace(text: string): string[] {
  return text.split(SEPARATOR);
}

/** The range of stored namespaces strictly below `prefix` (its own namespace is compared for equality). */
export function descendantRange(prefix: readonly string[]): { exact: string; from: string; to: string } {
  const exact = joinNamespace(prefix);
  return { exact, from: `${exact}.`, to: `${exact}/` };
}

export type MatchType = 'prefix' | 'suffix';

export interface MatchCondition {
  matchType: MatchType;
  /** Labels; '*' matches any one label. */
  path: string[];
}

export interface ListNamespacesQuery {
  matchConditions: MatchCondition[];
  /** Namespaces deeper than this are cut to it (and then listed once). */
  maxDepth: number | null;
  limit: number;
  offset: number;
}

/** LangGraph's rule: a prefix (suffix) condition matches the namespace's first (last) labels, '*' any label. */
export function matches(condition: MatchCondition, ns: readonly string[]): boolean {
  const { path } = condition;
  if (path.length > ns.length) return false;
  const start = condition.matchType === 'prefix' ? 0 : ns.length - path.length;
  return path.every((p, i) => p === '*' || p === ns[start + i]);
}

/** The labels of a prefix condition before its first wildcard: what the database can narrow by. */
export function literalPrefix(conditions: readonly MatchCondition[]): string[] {
  let best: string[] = [];
  for (const c of conditions) {
    if (c.matchType !== 'prefix') continue;
    const end = c.path.indexOf('*');
    const lit = end === -1 ? c.path : c.path.slice(0, end);
    if (lit.length > best.length) best = lit;
  }
  return best;
}

/** Label by label, in code point order: a namespace comes before those below it. */
export function compareNamespaces(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareCodePoints(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Code point order (the databases' byte order over UTF-8), not JavaScript's UTF-16 order: they
 * differ only where a surrogate (half of a character above U+FFFF) meets a unit from U+E000 up,
 * so the first differing units are compared with surrogates moved above those.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

const rank = (unit: number) => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit);

/**
 * listNamespaces over the distinct namespaces of the live items: those matching every condition,
 * cut to `maxDepth`, each listed once, in order, then the page.
 */
export function listNamespaces(stored: readonly string[][], query: ListNamespacesQuery): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const ns of stored) {
    if (!query.matchConditions.every((c) => matches(c, ns))) continue;
    const cut = query.maxDepth === null ? ns : ns.slice(0, query.maxDepth);
    const text = joinNamespace(cut);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(cut);
  }
  out.sort(compareNamespaces);
  return out.slice(query.offset, query.offset + query.limit);
}
