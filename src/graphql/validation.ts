import type { z } from 'zod';

/**
 * What a resolver receives for an argument declared with `validate: { schema }`: @pothos/plugin-zod
 * runs the domain schema before the resolver and passes on its parsed output (defaults filled in,
 * text checked, timestamps canonical), but types the argument as the client sent it, since it does
 * not infer transforms. This names the real type; it checks nothing itself.
 */
export function parsed<S extends z.ZodType>(_schema: S, value: unknown): z.output<S> {
  return value as z.output<S>;
}
