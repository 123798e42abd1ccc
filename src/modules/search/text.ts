import { textOfItem } from '../../domain/items.js';
import type { Json, JsonObject } from '../../domain/json.js';
import { words } from '../../domain/words.js';

/**
 * Where a message's text stops being indexed: PostgreSQL numbers a tsvector's positions only up to
 * 16,383 and keeps at most 1 MB of it; words further into a very long message are not searchable.
 */
export const MAX_INDEXED_WORDS = 16_383;

/**
 * The words a message is found by, as its `search_text` column holds them: its text and, for a
 * structured item given with a text of its own, the item's text too (a tool call's arguments, a
 * result's output), space-separated (see `domain/words.ts`).
 */
export function searchTextOf(content: string, item: Json): string {
  const found = words(content);
  if (item !== null) {
    const itemText = textOfItem(item);
    if (itemText !== content) found.push(...words(itemText));
  }
  if (found.length > MAX_INDEXED_WORDS) found.length = MAX_INDEXED_WORDS;
  return found.join(' ');
}

/** The strings (and numbers, as written) of a JSON value, not its keys, in document order. */
function jsonTexts(value: Json, out: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number') out.push(String(value));
  else if (value !== null && typeof value === 'object' && depth < 64) {
    for (const v of Array.isArray(value) ? value : Object.values(value)) jsonTexts(v, out, depth + 1);
  }
  return out;
}

/** What a found session or artifact shows: the texts it is found by, as written, one after the other. */
export function recordText(record: { metadata: JsonObject; name?: string; type?: string }): string {
  const texts = [...(record.name === undefined ? [] : [record.name]), ...(record.type === undefined ? [] : [record.type]), ...jsonTexts(record.metadata)];
  return texts.join(' · ');
}

/** The words a session (its metadata's values) or an artifact (its name, type and metadata's values) is found by. */
export function recordSearchText(record: { metadata: JsonObject; name?: string; type?: string }): string {
  const found = words(recordText(record));
  if (found.length > MAX_INDEXED_WORDS) found.length = MAX_INDEXED_WORDS;
  return found.join(' ');
}
