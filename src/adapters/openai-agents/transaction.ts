import { type AgentInputItem, protocol, type SessionHistoryTransaction, type SessionHistoryTransactionArgs, UserError } from '@openai/agents-core';

/**
 * The checks `MemorySession.applyHistoryTransaction` makes before it changes anything, with its
 * messages: the SDK's runner and users see the same `UserError`s whichever session they use. An
 * accepted transaction comes back as a detached snapshot (plain objects, arrays, copied bytes).
 */

export const MESSAGES = {
  invalidArgs: 'Session history transaction arguments are invalid.',
  emptyOperationId: 'Session history transaction operationId must be a non-empty string.',
  notAnObject: 'Session history transaction must be an object.',
  unsupportedData: 'Session history transaction items contain invalid or unsupported data.',
  appendFields: 'Session history append transaction fields are invalid.',
  suffixFields: 'Session history suffix transaction fields are invalid.',
  unsupportedType: 'Unsupported session history transaction type.',
  otherTransaction: 'Session history operation was already applied with a different transaction.',
  suffixMismatch: 'Session history suffix no longer matches the transaction precondition.',
} as const;

export function snapshotTransactionArgs(args: SessionHistoryTransactionArgs): { operationId: string; transaction: SessionHistoryTransaction } {
  let operationId: unknown;
  let transaction: unknown;
  try {
    if (!args || typeof args !== 'object') throw new Error('Missing transaction arguments.');
    operationId = Reflect.get(args, 'operationId');
    transaction = Reflect.get(args, 'transaction');
  } catch {
    throw new UserError(MESSAGES.invalidArgs);
  }
  if (typeof operationId !== 'string' || !operationId.trim()) throw new UserError(MESSAGES.emptyOperationId);
  if (!transaction || typeof transaction !== 'object') throw new UserError(MESSAGES.notAnObject);
  return { operationId, transaction: snapshotTransaction(transaction) };
}

function snapshotTransaction(transaction: object): SessionHistoryTransaction {
  let record: Record<string, unknown>;
  try {
    record = snapshotValue(transaction) as Record<string, unknown>;
    structuredClone(transaction);
  } catch {
    throw new UserError(MESSAGES.unsupportedData);
  }
  const fields = (...names: string[]) => Object.keys(record).length === names.length && names.every((name) => Object.hasOwn(record, name));
  const items = (value: unknown) => {
    try {
      return snapshotItems(value as unknown[]);
    } catch {
      throw new UserError(MESSAGES.unsupportedData);
    }
  };
  if (record.type === 'append_items') {
    if (!fields('type', 'items') || !Array.isArray(record.items)) throw new UserError(MESSAGES.appendFields);
    return { type: 'append_items', items: items(record.items) };
  }
  if (record.type !== 'replace_suffix') throw new UserError(MESSAGES.unsupportedType);
  if (!fields('type', 'expectedSuffix', 'replacement') || !Array.isArray(record.expectedSuffix) || !Array.isArray(record.replacement)) {
    throw new UserError(MESSAGES.suffixFields);
  }
  return { type: 'replace_suffix', expectedSuffix: items(record.expectedSuffix), replacement: items(record.replacement) };
}

/** Items as the SDK's protocol defines them, detached; throws on anything else. */
export function snapshotItems(items: unknown[]): AgentInputItem[] {
  return (snapshotValue(items) as unknown[]).map((item) => {
    if (!protocol.ModelItem.safeParse(item).success) throw new Error('Invalid session history item.');
    return item as AgentInputItem;
  });
}

/** A detached copy of data made only of JSON values and bytes; throws on anything else (classes, cycles, accessors, symbols). */
function snapshotValue(value: unknown, ancestors = new WeakSet<object>()): unknown {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value !== 'object') throw new Error('Unsupported session history value.');
  if (value instanceof Uint8Array) {
    const keys = Reflect.ownKeys(value);
    if (keys.length !== value.length || keys.some((key) => typeof key !== 'string' || !isIndex(key, value.length))) {
      throw new Error('Unsupported session history binary property.');
    }
    return new Uint8Array(value);
  }
  if (ancestors.has(value)) throw new Error('Cyclic session history value.');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const length = Object.getOwnPropertyDescriptor(value, 'length')?.value as unknown;
      const keys = Reflect.ownKeys(value);
      if (typeof length !== 'number' || keys.length !== length + 1 || keys.some((key) => typeof key !== 'string' || (key !== 'length' && !isIndex(key, length)))) {
        throw new Error('Unsupported session history array.');
      }
      return Array.from({ length }, (_, index) => {
        const descriptor = Object.getOwnPropertyDescriptor(value, String(index));
        if (!descriptor?.enumerable || !('value' in descriptor)) throw new Error('Unsupported session history array item.');
        return snapshotValue(descriptor.value, ancestors);
      });
    }
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) throw new Error('Unsupported session history object.');
    const snapshot: Record<string, unknown> = {};
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = typeof key === 'string' ? Object.getOwnPropertyDescriptor(value, key) : undefined;
      if (typeof key !== 'string' || !descriptor?.enumerable || !('value' in descriptor)) throw new Error('Unsupported session history property.');
      snapshot[key] = snapshotValue(descriptor.value, ancestors);
    }
    return snapshot;
  } finally {
    ancestors.delete(value);
  }
}

const isIndex = (key: string, length: number) => /^(0|[1-9]\d*)$/.test(key) && Number(key) < length;

/**
 * Deep equality as MemorySession compares items (key order does not matter, bytes compare by value),
 * except that a property set to undefined counts as absent: it is, once the item is stored as JSON.
 */
export function structurallyEqual(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length && left.every((entry, index) => structurallyEqual(entry, right[index]));
  }
  if (left instanceof Uint8Array || right instanceof Uint8Array) {
    return left instanceof Uint8Array && right instanceof Uint8Array && left.length === right.length && left.every((byte, index) => byte === right[index]);
  }
  if (left === null || right === null || typeof left !== 'object' || typeof right !== 'object') return false;
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const leftKeys = Object.keys(leftRecord).filter((key) => leftRecord[key] !== undefined).sort();
  const rightKeys = Object.keys(rightRecord).filter((key) => rightRecord[key] !== undefined).sort();
  return leftKeys.length === rightKeys.length && leftKeys.every((key, index) => key === rightKeys[index] && structurallyEqual(leftRecord[key], rightRecord[key]));
}
