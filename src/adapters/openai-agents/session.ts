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
import type { Message } from '../../client/resources.js';
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
   * The SDK's atomic, idempotent history change (`SessionHistoryTransactionAwareSession`), as one
   * rewrite of the service: `append_items` replaces nothing, `replace_suffix` replaces the last
   * `expectedSuffix.length` messages if their items still equal it. The server keeps the operation
   * id with its result, so a retried transaction is answered without being applied twice.
   */
  async applyHistoryTransaction(args: SessionHistoryTransactionArgs): Promise<void> {
    const { operationId, transaction } = snapshotTransactionArgs(args);
    const sessionId = await this.getSessionId();
    const serverOperationId = await operationIdFor(operationId);
    const expectedSuffix = transaction.type === 'append_items' ? [] : transaction.expectedSuffix;
    const replacement = transaction.type === 'append_items' ? transaction.items : transaction.replacement;
    // Everything in the request derives from the transaction, so that a retry of it sends the same
    // body — and the server recognises the repeat — whatever happened to the history since.
    const request = {
      operationId: serverOperationId,
      replaceLast: expectedSuffix.length,
      ...(expectedSuffix.length > 0 && { expectedItems: expectedSuffix.map(encodeValue) }),
      messages: replacement.map((item, index) => toNewMessage(item, `${serverOperationId}.${index}`)),
    };
    let tail = await this.tail(sessionId, Math.max(expectedSuffix.length, 1));
    for (let attempt = 1; ; attempt++) {
      const expectedLastSeq = tail.at(-1)?.seq ?? null;
      try {
        await this.client.history.rewrite(sessionId, { ...request, expectedLastSeq });
        return;
      } catch (error) {
        if (!(error instanceof AgentStorageError && error.code === 'CONFLICT')) throw error;
        // Why the server refused: the operation id was used for another transaction, the suffix
        // no longer matches, or only the last seq moved (another writer appended after the
        // suffix was read) — then the transaction still applies and is tried again.
        tail = await this.tail(sessionId, Math.max(expectedSuffix.length, 1));
        const suffix = tail.slice(tail.length - expectedSuffix.length).map(toItem);
        if (tail.length < expectedSuffix.length || !structurallyEqual(suffix, expectedSuffix)) throw new UserError(MESSAGES.suffixMismatch);
        if ((tail.at(-1)?.seq ?? null) === expectedLastSeq) throw new UserError(MESSAGES.otherTransaction);
        if (attempt >= MAX_TRANSACTION_ATTEMPTS) throw error;
      }
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
 * The service's operation id for an SDK operation id: deterministic (a retry finds the first
 * attempt's result), of a fixed length and alphabet whatever the SDK's id looks like.
 */
async function operationIdFor(operationId: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(`openai-agents:${operationId}`));
  return `oai_${Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
