import type { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { parseInput } from '../domain/inputs.js';

/**
 * What a resolver receives for an argument declared with `validate: { schema }`: @pothos/plugin-zod
 * runs the domain schema before the resolver and passes on its parsed output (defaults filled in,
 * text checked, timestamps canonical), but types the argument as the client sent it, since it does
 * not infer transforms. This names the real type; it checks nothing itself.
 */
export function parsed<S extends z.ZodType>(_schema: S, value: unknown): z.output<S> {
  return value as z.output<S>;
}

/**
 * For an argument whose parsed form is not its GraphQL shape (bytes decoded from base64), which
 * plugin-zod's types refuse: parsed in the resolver instead, its issues under the argument's name
 * as plugin-zod would report them.
 */
export function parseArg<S extends z.ZodType>(schema: S, value: unknown, name: string): z.output<S> {
  try {
    return parseInput(schema, value);
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(error.issues.map((issue) => ({ ...issue, path: [name, ...issue.path] })));
    throw error;
  }
}
