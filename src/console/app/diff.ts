/** The difference between two JSON values, as the state view shows it (views/json.tsx). */

export interface Change {
  /** JSON Pointer (RFC 6901) of the value: `""` is the whole value, `"/"` its key `""`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const pointer = (path: string, key: string) => `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;

/**
 * What changed from `before` to `after` (undefined: no value): objects compared key by key, arrays
 * index by index, the rest whole.
 */
export function diff(before: unknown, after: unknown, path = ''): Change[] {
  if (before === undefined) return after === undefined ? [] : [{ path, kind: 'added', after }];
  if (after === undefined) return [{ path, kind: 'removed', before }];
  // Own keys only: `constructor` or `toString` in stored data are data, not the prototype's.
  const own = (value: Record<string, unknown>, key: string) => (Object.hasOwn(value, key) ? value[key] : undefined);
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => diff(own(before, key), own(after, key), pointer(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diff(before[i], after[i], pointer(path, String(i)))).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, kind: 'changed', before, after }];
}

