/**
 * The kinds of the operations a GraphQL document holds, read without a GraphQL parser (the client
 * ships none): whether a document is only queries decides whether it may be retried. A scan of the
 * top level — names, strings, comments and brackets — is all that takes; fragments are skipped.
 */
export type OperationKind = 'query' | 'mutation' | 'subscription';

const KINDS: ReadonlySet<string> = new Set<OperationKind>(['query', 'mutation', 'subscription']);
const NAME_START = /[A-Za-z_]/;
const NAME = /[A-Za-z0-9_]*/y;

/** Where the string starting at `start` (a `"` or `"""`) ends: the index after its closing quote. */
function skipString(source: string, start: number): number {
  if (source.startsWith('"""', start)) {
    for (let i = start + 3; i < source.length; i++) {
      if (source[i] === '\\' && source.startsWith('\\"""', i)) i += 3;
      else if (source.startsWith('"""', i)) return i + 3;
    }
    return source.length;
  }
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '"' || c === '\n' || c === '\r') return i + 1;
  }
  return source.length;
}

/** Every operation's kind, in document order; a shorthand `{ … }` is a query. */
export function operationKinds(source: string): OperationKind[] {
  const kinds: OperationKind[] = [];
  // Brackets of any kind: a definition ends when a `}` closes its top-level selection set. (An
  // object value in a variable's default or a directive's argument sits inside parentheses.)
  let depth = 0;
  let atDefinitionStart = true;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"') {
      i = skipString(source, i);
    } else if (NAME_START.test(c)) {
      NAME.lastIndex = i + 1;
      NAME.exec(source);
      const name = source.slice(i, NAME.lastIndex);
      i = NAME.lastIndex;
      if (depth === 0 && atDefinitionStart) {
        if (KINDS.has(name)) kinds.push(name as OperationKind);
        atDefinitionStart = false;
      }
    } else {
      if (c === '{' || c === '(' || c === '[') {
        if (c === '{' && depth === 0 && atDefinitionStart) kinds.push('query');
        depth++;
        atDefinitionStart = false;
      } else if (c === '}' || c === ')' || c === ']') {
        depth = Math.max(0, depth - 1);
        if (c === '}' && depth === 0) atDefinitionStart = true;
      }
      i++;
    }
  }
  return kinds;
}

/** Whether sending the document again cannot change anything: it holds queries and nothing else. */
export function isReadOnly(source: string): boolean {
  const kinds = operationKinds(source);
  return kinds.length > 0 && kinds.every((kind) => kind === 'query');
}
