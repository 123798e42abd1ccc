import fc from 'fast-check';
import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as documents from '../../src/client/gql/graphql.js';
import { isReadOnly, operationKinds } from '../../src/client/operation.js';

/*
 * What decides whether the client may retry a document: the kinds of its operations, read without
 * a GraphQL parser. Checked against graphql-js on generated documents full of the traps a naive scan
 * falls into: fragments named like keywords, braces and `#` inside strings and block strings,
 * object values in variable defaults and directive arguments, comments.
 */

const name = fc.constantFrom('query', 'mutation', 'subscription', 'fragment', 'on', 'a', 'Q', 'field_1');
const stringValue = fc.constantFrom('"{"', '"}"', '"# not a comment"', '"\\"query {"', '"""block { "query" } \\""" """', '""');
const value = fc.oneof(stringValue, fc.constantFrom('1', 'true', 'null', '{a: "}"}', '[1, {b: 2}]', 'ENUM'));
const comment = fc.constantFrom('', '# {\n', '# mutation M { x }\n', '#\r');
const args = fc.option(value.map((v) => `(arg: ${v})`), { nil: '' });

const selectionSet: fc.Arbitrary<string> = fc.letrec<{ set: string }>((tie) => ({
  set: fc
    .array(fc.tuple(name, args, comment, fc.option(tie('set'), { nil: '', depthSize: 'small' })), { minLength: 1, maxLength: 3 })
    .map((fields) => `{ ${fields.map(([n, a, c, sub]) => `${n === 'on' ? 'on_' : n}${a} ${c}${sub}`).join(' ')} }`),
})).set;

const operation = fc
  .tuple(fc.constantFrom('query', 'mutation', 'subscription', ''), fc.option(name, { nil: '' }), fc.option(value, { nil: undefined }), fc.boolean(), selectionSet)
  .map(([kind, opName, defaultValue, directive, set]) => {
    if (kind === '') return set; // shorthand query
    const variables = defaultValue === undefined ? '' : `($v: In = ${defaultValue})`;
    return `${kind} ${opName}${variables}${directive ? ' @dir(x: {y: "}"})' : ''} ${set}`;
  });
const fragment = fc.tuple(name.filter((n) => n !== 'on'), selectionSet).map(([n, set]) => `fragment ${n} on T ${set}`);
const document = fc.array(fc.tuple(comment, fc.oneof(operation, fragment)), { minLength: 1, maxLength: 4 }).map((parts) => parts.map(([c, d]) => `${c}${d}`).join('\n'));

describe('operationKinds', () => {
  it('agrees with graphql-js on every generated document', () => {
    fc.assert(
      fc.property(document, (source) => {
        const expected = parse(source)
          .definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)
          .map((d) => d.operation);
        expect(operationKinds(source)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("reads the client's own documents: queries are read-only, mutations and subscriptions are not", () => {
    for (const [exported, document] of Object.entries(documents)) {
      if (!exported.endsWith('Document')) continue;
      const kinds = parse(String(document)).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.operation] : []));
      expect(operationKinds(String(document)), exported).toEqual(kinds);
      expect(isReadOnly(String(document)), exported).toBe(kinds.every((k) => k === 'query'));
    }
    expect(isReadOnly('')).toBe(false);
  });
});
