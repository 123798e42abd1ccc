import type { AgentInputItem } from '@openai/agents-core';
import type { NewMessage } from '../../client/resources.js';
import { fromBase64, toBase64 } from '../langgraph/base64.js';

/**
 * How an OpenAI Agents item becomes a stored message and back. The service keeps `item` as JSON;
 * an item may hold bytes (`Uint8Array`: the SDK snapshots input images and files as such), which
 * JSON cannot, so they are written as `{ "$bytes": "<base64>" }`. To keep that lossless for any
 * object, a plain object that itself has the shape of a tag (its only key `$bytes` or `$object`)
 * is wrapped as `{ "$object": { … } }`; nothing else changes, so stored items stay readable JSON.
 */

const BYTES = '$bytes';
const OBJECT = '$object';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An object whose only key is one of the tags: it must be escaped (writing) or it is a tag (reading). */
function tagOf(value: object): typeof BYTES | typeof OBJECT | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  return keys[0] === BYTES || keys[0] === OBJECT ? keys[0] : undefined;
}

export function encodeValue(value: unknown): Json {
  if (value instanceof Uint8Array) return { [BYTES]: toBase64(value) };
  if (Array.isArray(value)) return value.map((entry) => (entry === undefined ? null : encodeValue(entry)));
  if (value !== null && typeof value === 'object') {
    const encoded: { [key: string]: Json } = {};
    for (const [key, entry] of Object.entries(value)) {
      // As JSON.stringify does: a property set to undefined is a property left out.
      if (entry !== undefined) encoded[key] = encodeValue(entry);
    }
    return tagOf(value) ? { [OBJECT]: encoded } : encoded;
  }
  return value as Json;
}

export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const tag = tagOf(record);
    if (tag === BYTES && typeof record[BYTES] === 'string') return fromBase64(record[BYTES]);
    const inner = tag === OBJECT && isPlainObject(record[OBJECT]) ? (record[OBJECT] as Record<string, unknown>) : record;
    const decoded: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(inner)) decoded[key] = decodeValue(entry);
    return decoded;
  }
  return value;
}

const isPlainObject = (value: unknown): value is object => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Tool outputs of every kind: `function_call_result`, `computer_call_result`, `shell_call_output`, … */
const isToolOutput = (type: unknown) => typeof type === 'string' && /_(result|output)$/.test(type);

/** The message's role: the item's own for messages, TOOL for tool outputs, ASSISTANT for what the model produced. */
export function roleOf(item: AgentInputItem): NewMessage['role'] {
  const role = 'role' in item ? item.role : undefined;
  if (role === 'user') return 'USER';
  if (role === 'system') return 'SYSTEM';
  if (role === 'assistant') return 'ASSISTANT';
  return isToolOutput(item.type) ? 'TOOL' : 'ASSISTANT';
}

/** A stored message for the item; `idempotencyKey` makes its append safe to repeat. */
export function toNewMessage(item: AgentInputItem, idempotencyKey: string): NewMessage {
  return { role: roleOf(item), item: encodeValue(item), idempotencyKey };
}

/** The fields of a stored message an item is read from. */
export interface StoredMessage {
  role: string;
  content: string;
  item?: unknown;
}

/**
 * The item a stored message holds. A message written without one (by another client of the
 * service) is read as a plain text message of its role; the SDK has no role for TOOL text, so
 * that reads as assistant text.
 */
export function toItem(message: StoredMessage): AgentInputItem {
  if (message.item !== null && message.item !== undefined) return decodeValue(message.item) as AgentInputItem;
  if (message.role === 'USER') return { role: 'user', content: message.content };
  if (message.role === 'SYSTEM') return { role: 'system', content: message.content };
  return { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: message.content }] };
}
