import {
  type AgentInputItem,
  type SessionHistoryMutation,
  type SessionHistoryRewriteArgs,
  type SessionHistoryRewriteAwareSession,
  type SessionHistoryTransactionArgs,
  type SessionHistoryTransactionAwareSession,
  UserError,
} from '@openai/agents-core';
import { AgentStorageClient, type AgentStorageClientOptions } from '../../client/client.js';
import { AgentStorageError } from '../../client/errors.js';
import type { Message, NewMessage } from '../../client/resources.js';
import { encodeValue, toItem, toNewMessage } from './items.js';
import { MESSAGES, snapshotItems, snapshotTransactionArgs, structurallyEqual } from './transaction.js';

/**
 * An OpenAI Agents SDK session (`Session` of `@openai/agents-core`) kept in the agent-storage
 * service (docs/openai-agents.md): each history item is one message of a service session, its
 * `item` the SDK's item as JSON. Every change is one request the server applies atomically —
 * appends are keyed so a retried request never stores twice, rewrites are compare-and-set on the
 * live history's tail — so any number of processes may share a session.
 */

interface SessionSettings {
  /** The service session to use (`session_…`); without one, a new session is created on first use. */
  sessionId?: string;
  /** The agent name of a session this object creates. Default: 'openai-agents'. */
  agentName?: string;
  /** The user of a session this object creates. */
  userId?: string;
}

export interface AgentStorageSessionOptions extends AgentStorageClientOptions, SessionSettings {}

/** A session over a client of your own (its URL, key, fetch and retry policy). */
export interface AgentStorageSessionClientOptions extends SessionSettings {
  client: AgentStorageClient;
}

/** Largest page one read asks for (history reads page through longer histories). */
const PAGE = 1000;
/**
 * How often a history transaction is tried again when its compare-and-set lost only to a write
 * that left the expected suffix in place (an append by another process). Each such loss means
 * another writer succeeded, so this bounds one caller's wait among that many concurrent writers.
 */
const MAX_TRANSACTION_ATTEMPTS = 50;

const newKey = () => `oai_${globalThis.crypto.randomUUID()}`;

export class AgentStorageSession implements SessionHistoryTransactionAwareSession, SessionHistoryRewriteAwareSession {
  /** The typed client this session talks through (for the service's other operations, e.g. `client.history.superseded`). */
  readonly client: AgentStorageClient;
  private readonly settings: SessionSettings;
  /** The service session's id, or its creation in flight: concurrent first calls share one creation. */
  private sessionId: Promise<string> | undefined;

  constructor(options: AgentStorageSessionOptions | AgentStorageSessionClientOptions) {
    if ('client' in options) {
      const { client, ...settings } = options;
      this.client = client;
      this.settings = settings;
    } else {
      const { sessionId, agentName, userId, ...clientOptions } = options;
      this.client = new AgentStorageClient(clientOptions);
      this.settings = { sessionId, agentName, userId };
    }
    if (this.settings.sessionId !== undefined) this.sessionId = Promise.resolve(this.settings.sessionId);
  }

  /** The service session's id (`session_…`), creating the session on first use when none was given. */
  getSessionId(): Promise<string> {
    this.sessionId ??= this.client.sessions
      .create({ agentName: this.settings.agentName ?? 'openai-agents', ...(this.settings.userId !== undefined && { userId: this.settings.userId }) })
      .then((session) => session.id)
      .catch((error: unknown) => {
        // A failed creation is not remembered: the next call tries again.
        this.sessionId = undefined;
        throw error;
      });
    return this.sessionId;
  }

  /** The newest `limit` items in chronological order (all of them when undefined). */
  async getItems(limit?: number): Promise<AgentInputItem[]> {
    if (limit !== undefined && limit <= 0) return [];
    const messages = await this.tail(await this.getSessionId(), limit);
    return messages.map(toItem);
  }

  async addItems(items: AgentInputItem[]): Promise<void> {
    if (items.length === 0) return;
    const sessionId = await this.getSessionId();
    // A key per item of this call: the client retries the append on a dropped connection, and
    // the server answers a repeat with what it stored the first time.
    await this.client.history.appendMany(
      sessionId,
      items.map((item) => toNewMessage(item, newKey())),
    );
  }

  /** Removes the newest item and answers it (undefined on an empty history); the service keeps it as superseded (reason POPPED). */
  async popItem(): Promise<AgentInputItem | undefined> {
    const popped = await this.client.history.pop(await this.getSessionId());
    return popped ? toItem(popped) : undefined;
  }

  /** Deletes the session's history, superseded items included (the service session itself stays). */
  async clearSession(): Promise<void> {
    await this.client.history.clear(await this.getSessionId());
  }

  /**
   * Replaces the whole live history with `items` (the SDK passes a compaction item and the suffix
   * it keeps) in one atomic rewrite; the replaced items stay readable through
   * `client.history.superseded` (reason COMPACTED). Fails with CONFLICT, changing nothing, when
   * another writer changed the history between this call's read and its write.
   */
  async replaceHistoryWithCompaction(items: AgentInputItem[]): Promise<void> {
    const sessionId = await this.getSessionId();
    const page = await this.client.history.list(sessionId, { last: 1 });
    await this.client.history.rewrite(sessionId, {
      operationId: newKey(),
      expectedLastSeq: page.nodes.at(-1)?.seq ?? null,
      replaceLast: page.totalCount,
      messages: items.map((item) => toNewMessage(item, newKey())),
      reason: 'COMPACTED',
    });
  }

  /**
   * The SDK's atomic, idempotent history change (`SessionHistoryTransactionAwareSession`), with
   * MemorySession's outcomes and errors. Everything sent derives from the SDK's operation id and
   * the transaction, so that a retry — from this process or another — is recognised:
   *
   * - nothing to replace (`append_items`, or an empty `expectedSuffix`): one append of the items,
   *   keyed by the operation id and each item's position, each carrying a digest of the whole
   *   transaction. A repeat stores nothing; another transaction under the same id differs in
   *   that digest, and the server refuses it.
   * - a suffix to replace: one rewrite, compare-and-set on the last seq and on the suffix's items,
   *   recorded under the operation id (see `replaceSuffix`).
   */
  async applyHistoryTransaction(args: SessionHistoryTransactionArgs): Promise<void> {
    const { operationId, transaction } = snapshotTransactionArgs(args);
    const sessionId = await this.getSessionId();
    const serverOperationId = `oai_${await sha256Hex(`openai-agents:${operationId}`)}`;
    const expectedSuffix = transaction.type === 'append_items' ? [] : transaction.expectedSuffix;
    const replacement = transaction.type === 'append_items' ? transaction.items : transaction.replacement;
    const messages = replacement.map((item, index) => toNewMessage(item, `${serverOperationId}.${index}`));
    if (expectedSuffix.length > 0) return this.replaceSuffix(sessionId, serverOperationId, expectedSuffix, messages);
    if (messages.length === 0) return;
    const metadata = { openaiAgents: { operationId: serverOperationId, transaction: await sha256Hex(canonicalJson(encodeValue(transaction))) } };
    try {
      await this.client.history.appendMany(
        sessionId,
        messages.map((message) => ({ ...message, metadata })),
      );
    } catch (error) {
      // Keyed messages only: a conflict is a key of this operation holding another transaction's item.
      if (error instanceof AgentStorageError && error.code === 'CONFLICT') throw new UserError(MESSAGES.otherTransaction);
      throw error;
    }
  }

  /**
   * Replaces the last `expected.length` messages, if their items still equal `expected`, by one
   * rewrite. When the server refuses it (CONFLICT), the history is read again to say why:
   * - the suffix still holds but the last seq moved (another writer appended after it was read):
   *   the transaction still applies, and is sent again with the new last seq;
   * - this operation was applied before: the server keeps the first request and answers only its
   *   exact repeat, whose last seq is that of the newest message it replaced (found among the
   *   superseded messages). Sent again with it: the first result is answered, nothing changes;
   *   still refused: the first request was another transaction;
   * - else the suffix no longer matches.
   */
  private async replaceSuffix(sessionId: string, operationId: string, expected: AgentInputItem[], messages: NewMessage[]): Promise<void> {
    const request = { operationId, replaceLast: expected.length, expectedItems: expected.map(encodeValue), messages };
    const conflict = (error: unknown) => error instanceof AgentStorageError && error.code === 'CONFLICT';
    let tail = await this.tail(sessionId, expected.length);
    for (let attempt = 1; ; attempt++) {
      const sentLastSeq = tail.at(-1)?.seq ?? null;
      try {
        await this.client.history.rewrite(sessionId, { ...request, expectedLastSeq: sentLastSeq });
        return;
      } catch (error) {
        if (!conflict(error)) throw error;
        tail = await this.tail(sessionId, expected.length);
        const lastSeq = tail.at(-1)?.seq ?? null;
        const suffixHolds = tail.length === expected.length && structurallyEqual(tail.map(toItem), expected);
        if (suffixHolds && lastSeq !== sentLastSeq && attempt < MAX_TRANSACTION_ATTEMPTS) continue;
        const appliedLastSeq = await this.lastSeqReplacedBy(sessionId, operationId);
        if (appliedLastSeq !== undefined) {
          if (appliedLastSeq === sentLastSeq) throw new UserError(MESSAGES.otherTransaction);
          try {
            await this.client.history.rewrite(sessionId, { ...request, expectedLastSeq: appliedLastSeq });
            return;
          } catch (repeatError) {
            if (conflict(repeatError)) throw new UserError(MESSAGES.otherTransaction);
            throw repeatError;
          }
        }
        if (!suffixHolds) throw new UserError(MESSAGES.suffixMismatch);
        // Too many lost races: the CONFLICT as the server gave it.
        if (lastSeq !== sentLastSeq) throw error;
        // Neither a moved seq nor a changed suffix: a key of this operation's replacement is taken,
        // by the items of an append made under the same operation id.
        throw new UserError(MESSAGES.otherTransaction);
      }
    }
  }

  /** The seq of the newest message the rewrite `operationId` replaced (its request's expected last seq), if it was applied. */
  private async lastSeqReplacedBy(sessionId: string, operationId: string): Promise<number | undefined> {
    let before: string | null | undefined;
    // Newest first: a retried operation is usually among the latest.
    for (;;) {
      const page = await this.client.history.superseded(sessionId, { last: PAGE, before });
      const seqs = page.nodes.filter((entry) => entry.operationId === operationId).map((entry) => entry.message.seq);
      if (seqs.length > 0) return Math.max(...seqs);
      if (!page.pageInfo.hasPreviousPage) return undefined;
      before = page.pageInfo.startCursor;
    }
  }

  /**
   * The SDK's history mutations (`SessionHistoryRewriteAwareSession`): `replace_function_call`
   * replaces the stored function call with that call id in place (same position, the previous
   * version kept as superseded, reason REPLACED); further calls with that id, if any, are removed
   * by a rewrite of the tail from the first of them. No call with the id: nothing changes.
   */
  async applyHistoryMutations(args: SessionHistoryRewriteArgs): Promise<void> {
    if (args.mutations.length === 0) return;
    const sessionId = await this.getSessionId();
    for (const mutation of args.mutations) await this.replaceFunctionCall(sessionId, mutation);
  }

  private async replaceFunctionCall(sessionId: string, mutation: SessionHistoryMutation): Promise<void> {
    if (mutation.type !== 'replace_function_call') return;
    const [replacement] = snapshotItems([mutation.replacement]) as [AgentInputItem];
    const messages = await this.tail(sessionId, undefined);
    const matching = messages.flatMap((message, index) => {
      const item = toItem(message);
      return item.type === 'function_call' && item.callId === mutation.callId ? [index] : [];
    });
    const first = matching[0];
    if (first === undefined) return;
    const stored = messages[first]!;
    if (matching.length === 1 && stored.idempotencyKey) {
      await this.client.history.append(sessionId, toNewMessage(replacement, stored.idempotencyKey), { onConflict: 'REPLACE' });
      return;
    }
    // Several calls with the id (or one written without a key): rewrite the tail from the first.
    const kept = messages.slice(first).flatMap((message, index) => (index === 0 ? [replacement] : matching.includes(first + index) ? [] : [toItem(message)]));
    await this.client.history.rewrite(sessionId, {
      operationId: newKey(),
      expectedLastSeq: messages.at(-1)?.seq ?? null,
      replaceLast: messages.length - first,
      messages: kept.map((item) => toNewMessage(item, newKey())),
    });
  }

  /** The newest `limit` messages (all when undefined), in order, read a page at a time. */
  private async tail(sessionId: string, limit: number | undefined): Promise<Message[]> {
    if (limit === undefined) {
      const messages: Message[] = [];
      let after: string | null | undefined;
      for (;;) {
        const page = await this.client.history.list(sessionId, { first: PAGE, after });
        messages.push(...page.nodes);
        if (!page.pageInfo.hasNextPage) return messages;
        after = page.pageInfo.endCursor;
      }
    }
    let messages: Message[] = [];
    let before: string | null | undefined;
    while (messages.length < limit) {
      const page = await this.client.history.list(sessionId, { last: Math.min(limit - messages.length, PAGE), before });
      messages = [...page.nodes, ...messages];
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    return messages;
  }
}

/**
 * SHA-256, in hex: the service's operation id for an SDK operation id (deterministic, of a fixed
 * length and alphabet whatever the SDK's id looks like), and a transaction's digest.
 */
async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** JSON with object keys sorted: equal values, equal text (the SDK's items need not keep key order). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
