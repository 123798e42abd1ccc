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
import type { HistoryEntry, HistoryVersion, NewMessage } from '../../client/resources.js';
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

/** The most messages the service takes in one append or rewrite. */
const BATCH = 1000;
/**
 * How often a history transaction is tried again when its compare-and-set lost only to a write
 * that left the expected suffix in place (an append by another process). Each such loss means
 * another writer succeeded, so this bounds one caller's wait among that many concurrent writers.
 */
const MAX_TRANSACTION_ATTEMPTS = 50;

/**
 * The newest entries of the history at `version`, as this object last read or appended them: what
 * `getItems` answers from when the service says (304) the history is still at that version. At most
 * BATCH entries; `complete` when they are the whole history.
 */
interface HistoryView {
  version: HistoryVersion;
  entries: HistoryEntry[];
  complete: boolean;
}

/** A history transaction as the service's rewrite, without its last seq. */
type TransactionRequest = { operationId: string; replaceLast: number; expectedItems?: unknown[]; messages: NewMessage[] };

const isConflict = (error: unknown): error is AgentStorageError => error instanceof AgentStorageError && error.code === 'CONFLICT';

/**
 * A new key (or operation id): unique by its random part, ordered by its time part (milliseconds,
 * fixed width) so that a session's keys go in at the end of the service's index of them instead of
 * at random places in it — an append then changes one or two of its pages, not one per message.
 */
const newKey = () => `oai_${Date.now().toString(36).padStart(9, '0')}_${globalThis.crypto.randomUUID()}`;

export class AgentStorageSession implements SessionHistoryTransactionAwareSession, SessionHistoryRewriteAwareSession {
  /** The typed client this session talks through (for the service's other operations, e.g. `client.history.superseded`). */
  readonly client: AgentStorageClient;
  private readonly settings: SessionSettings;
  /** See `HistoryView`; null until a read, and after an append that did not directly follow it. */
  private view: HistoryView | null = null;
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

  /**
   * The newest `limit` items in chronological order (all of them when undefined). A turn's read is
   * one REST round trip; when it names the version this object last saw (its own appends included)
   * and nobody else changed the history since, the service answers 304 and the items come from
   * that view. The whole history, or a longer one, is paged.
   */
  async getItems(limit?: number): Promise<AgentInputItem[]> {
    if (limit !== undefined && limit <= 0) return [];
    const sessionId = await this.getSessionId();
    if (limit === undefined || limit > BATCH) return (await this.client.history.latest(sessionId, limit)).map(toItem);
    const view = this.view && (this.view.complete || this.view.entries.length >= limit) ? this.view : null;
    const answer = await this.client.history.tailIfChanged(sessionId, limit, view?.version ?? null);
    // No entries: a 304, which only answers a read that named a version, i.e. with a view.
    if (answer.entries === null) return (view?.entries ?? []).slice(-limit).map(toItem);
    this.view = answer.version && { version: answer.version, entries: answer.entries, complete: answer.entries.length < limit };
    return answer.entries.map(toItem);
  }

  async addItems(items: AgentInputItem[]): Promise<void> {
    if (items.length === 0) return;
    const sessionId = await this.getSessionId();
    // A key per item of this call: the client retries the append on a dropped connection, and
    // the server answers a repeat with what it stored the first time. One request per batch the
    // service takes (a turn's items are one request; a larger import, several, in order).
    const messages = items.map((item) => toNewMessage(item, newKey()));
    for (let start = 0; start < messages.length; start += BATCH) this.followView(await this.client.history.push(sessionId, messages.slice(start, start + BATCH)));
  }

  /**
   * The view after an append of `added`: extended when they directly follow it (seqs from its last
   * seq + 1 on, so nobody appended in between), as the version the history is then at — the same
   * epoch, the last seq added. If anything else changed the history meanwhile (a pop, a rewrite:
   * a new epoch), the service will not know that version and answers the next read in full.
   */
  private followView(added: HistoryEntry[]): void {
    const view = this.view;
    if (!view || added.length === 0) return;
    if (!added.every((entry, i) => entry.seq === view.version.lastSeq + 1 + i)) {
      this.view = null;
      return;
    }
    const entries = [...view.entries, ...added];
    this.view = { version: { epoch: view.version.epoch, lastSeq: added.at(-1)!.seq }, entries: entries.slice(-BATCH), complete: view.complete && entries.length <= BATCH };
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
   * MemorySession's outcomes and errors, as one rewrite of the service: the last
   * `expectedSuffix.length` messages (none for `append_items`) replaced by the new items, only if
   * the history's last seq is the one just read and the suffix's items are `expectedSuffix`;
   * recorded under a service operation id derived from the SDK's. Its messages are keyed by that
   * id and their position.
   *
   * A retry of an applied operation, from this object or another, is answered by the server with
   * what it did (it recognises the operation whatever last seq the retry expects). When the server
   * refuses it (CONFLICT): the operation id was taken by another transaction (`operationReused`),
   * the SDK's error; else the history is read again to say why:
   * - the suffix still holds but the last seq moved (another writer got in between): the
   *   transaction still applies, and is sent again with the new last seq;
   * - else the suffix no longer matches.
   */
  async applyHistoryTransaction(args: SessionHistoryTransactionArgs): Promise<void> {
    const { operationId, transaction } = snapshotTransactionArgs(args);
    const sessionId = await this.getSessionId();
    const serverOperationId = `oai_${await sha256Hex(`openai-agents:${operationId}`)}`;
    const expected = transaction.type === 'append_items' ? [] : transaction.expectedSuffix;
    const replacement = transaction.type === 'append_items' ? transaction.items : transaction.replacement;
    const request: TransactionRequest = {
      operationId: serverOperationId,
      replaceLast: expected.length,
      ...(expected.length > 0 && { expectedItems: expected.map(encodeValue) }),
      messages: replacement.map((item, index) => toNewMessage(item, `${serverOperationId}.${index}`)),
    };
    // At least one message: the last seq is needed whatever is replaced.
    const read = () => this.client.history.latest(sessionId, Math.max(expected.length, 1));
    let tail = await read();
    for (let attempt = 1; ; attempt++) {
      const sentLastSeq = tail.at(-1)?.seq ?? null;
      try {
        await this.client.history.rewrite(sessionId, { ...request, expectedLastSeq: sentLastSeq });
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
        if (error.extensions.operationReused === true) throw new UserError(MESSAGES.otherTransaction);
        tail = await read();
        const lastSeq = tail.at(-1)?.seq ?? null;
        const suffix = tail.slice(tail.length - expected.length);
        const suffixHolds = suffix.length === expected.length && structurallyEqual(suffix.map(toItem), expected);
        if (suffixHolds && lastSeq !== sentLastSeq && attempt < MAX_TRANSACTION_ATTEMPTS) continue;
        if (!suffixHolds) throw new UserError(MESSAGES.suffixMismatch);
        // Too many lost races: the CONFLICT as the server gave it.
        throw error;
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
    const messages = await this.client.history.latest(sessionId);
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
}

/**
 * SHA-256, in hex: the service's operation id for an SDK operation id (deterministic, of a fixed
 * length and alphabet whatever the SDK's id looks like).
 */
async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
