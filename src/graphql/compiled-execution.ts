import { useGraphQlJit } from '@envelop/graphql-jit';
import { BREAK, type DocumentNode, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isIncremental } from './incremental.js';

/**
 * Whether the document writes an input object (a JSON literal, e.g. `metadata: { __proto__: 1 }`)
 * with a member named `__proto__`.
 */
function writesProtoMember(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    ObjectField(node) {
      if (node.name.value !== '__proto__') return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * Whether a variable stands inside a literal object or list (`metadata: { k: $v }`): graphql-jit
 * parses such a literal once, when it compiles the document, with no variables, so the member
 * would be stored without its value (a JSON scalar drops it).
 */
function literalHoldsVariable(document: DocumentNode): boolean {
  let found = false;
  let depth = 0;
  const nested = { enter: () => void depth++, leave: () => void depth-- };
  visit(document, {
    ObjectValue: nested,
    ListValue: nested,
    Variable() {
      if (depth === 0) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * Operations compiled to JavaScript once per document (graphql-jit) instead of walked by the
 * generic executor on every request: the generic executor re-resolves every field of every object
 * on every request, which dominates large nested answers (many sessions with their history), and
 * clients send the same few documents over and over, so compiling once pays for itself
 * (`npm run bench` measures it served; bench/results/ keeps past runs).
 *
 * Subscriptions stay with graphql-js (only the `onExecute` hook is taken): graphql-jit calls a
 * field's `subscribe` with the operation's variables in place of the field's arguments, so an
 * inline argument or a variable named differently from its argument would be lost. A subscription
 * is set up once per stream, so compiling it would gain nothing anyway.
 *
 * Documents whose literals have a `__proto__` member: graphql-jit writes literal arguments
 * into the generated code as a JavaScript object literal, where `"__proto__": v` sets the
 * prototype instead of adding a member — the member would vanish (or the object be refused as
 * not plain JSON). Those rare documents run on graphql-js, which keeps the member; variables are
 * not affected either way. So do documents with a variable inside a literal object or list
 * (`literalHoldsVariable`), and those with `@defer` or `@stream`: graphql-jit builds one whole
 * result and knows neither directive (graphql/incremental.ts).
 */
export function useCompiledExecution(): Plugin {
  const verdicts = new WeakMap<DocumentNode, boolean>();
  const { onExecute } = useGraphQlJit(
    {},
    {
      enableIf: ({ document }) => {
        let compile = verdicts.get(document);
        if (compile === undefined) {
          compile = !writesProtoMember(document) && !literalHoldsVariable(document) && !isIncremental(document);
          verdicts.set(document, compile);
        }
        return compile;
      },
    },
  );
  return { onExecute } as Plugin;
}
