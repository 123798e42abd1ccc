/**
 * The one wire form of every cursor (connection pages and the change feed): opaque to clients, the
 * base64url of the JSON array `[kind, ...parts]`. The kind keeps a cursor of one sequence from
 * being used in another.
 */
export function encodeCursor(kind: string, parts: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([kind, ...parts])).toString('base64url');
}

/** The parts of a cursor of `kind`; null for anything `encodeCursor` did not make for that kind. */
export function decodeCursor(cursor: string, kind: string): unknown[] | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // Node's decoder skips what is not base64url: accept only the exact text `encodeCursor` makes.
  if (Buffer.from(text).toString('base64url') !== cursor) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return Array.isArray(value) && value[0] === kind ? value.slice(1) : null;
}
