import { textOfItem } from '../../domain/items.js';
import type { Json } from '../../domain/json.js';
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
