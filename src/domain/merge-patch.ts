import type { Json, JsonObject } from './json.js';

/**
 * JSON Merge Patch (RFC 7396), the body of `PATCH /storage/state/{id}` and of `patchState`:
 *
 * - a patch that is not an object replaces the target as a whole (arrays included: they are
 *   never merged);
 * - an object patch is applied member by member to the target, taken as `{}` when it is not an
 *   object (or absent): `null` deletes the member, any other value is merged into it recursively.
 *
 * The target is not modified. Members keep their order; new members follow, in the patch's order.
 * The result nests no deeper than the deeper of target and patch, so it stays within the JSON
 * limits both were checked against.
 */
export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const merged = new Map<string, Json>(isObject(target) ? Object.entries(target) : []);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) merged.delete(key);
    else merged.set(key, applyMergePatch(merged.get(key), value));
  }
  // fromEntries defines own properties: a "__proto__" member stays a member, never a prototype.
  return Object.fromEntries(merged) as JsonObject;
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
