/**
 * Whether `If-None-Match` names `etag` (the weak comparison RFC 9110 prescribes for this header:
 * `W/` prefixes are ignored), or is `*`.
 */
export function ifNoneMatch(header: string | null, etag: string): boolean {
  if (header === null) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => opaque(tag) === opaque(etag));
}
