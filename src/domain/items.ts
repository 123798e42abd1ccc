import type { Json } from './json.js';

/**
 * Structured history items (a tool call, its output, a reasoning item, a UI message with parts) are
 * stored as the client sent them (`Message.item`), beside `content`, the message's text. When a
 * client gives an item without a text, the text is read from the item: the strings under the keys
 * frameworks put text in, in document order, one per line. It is what a person reading the history
 * (or a search over it) wants to see; the item itself is what the framework reads back.
 */
const TEXT_KEYS = new Set(['text', 'content', 'output', 'arguments', 'refusal', 'summary', 'input']);

/** Below this depth an item's text is not looked for (items are shallow; this bounds the walk). */
const MAX_DEPTH = 16;

export function textOfItem(item: Json): string {
  const lines: string[] = [];
  const walk = (value: Json, depth: number, underTextKey: boolean): void => {
    if (depth > MAX_DEPTH || value === null) return;
    if (typeof value === 'string') {
      if (underTextKey && value.length > 0) lines.push(value);
    } else if (Array.isArray(value)) {
      for (const v of value) walk(v, depth + 1, underTextKey);
    } else if (typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) walk(v, depth + 1, TEXT_KEYS.has(key));
    }
  };
  walk(item, 0, typeof item === 'string');
  return lines.join('\n');
}
