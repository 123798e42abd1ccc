import { createHash } from 'node:crypto';
import { batchIssues, type OnConflict } from '../../domain/appends.js';
import { type Clock, isoTime } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { IdGenerator } from '../../domain/ids.js';
import type { AddMessageInput, NewMessageInput, RewriteHistoryInput } from '../../domain/inputs.js';
import { textOfItem } from '../../domain/items.js';
import { canonicalJson, type Json } from '../../domain/json.js';
import type { Slice } from '../../domain/paging.js';
import type { Message } from '../../domain/records.js';
import type { WireFields } from '../../domain/wire.js';
import type { NewMessage } from './messages.js';
import type { HistoryStore, HistoryTail, HistoryVersion, WholeHistory } from './store.js';
import type { RewriteResult, SupersededMessage } from './superseded.js';
import { countTokens, type TokenTotal } from './tokens.js';

/** How an append treats repeats of stored messages, and whether the server counts tokens. */
export interface AppendOptions {
  onConflict?: OnConflict;
  countTokens?: boolean;
}

/**
 * A session's history, shared by the REST and GraphQL doors, over one tenant's store. Inputs arrive
 * validated by the doors; here live the rules: ids, one timestamp per append, the checks of a batch,
 * existence. Every call passes the clock's now as `liveAt`: an expired session answers exactly like
 * an unknown one, before the retention sweeper has removed it.
 */
export class HistoryService {
  constructor(
    readonly store: HistoryStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  private now(): string {
    return isoTime(this.clock.now());
  }

  async add(input: AddMessageInput, options: AppendOptions = {}): Promise<Message> {
    const { sessionId, ...message } = input;
    const [added] = await this.addMany(sessionId, [message], options);
    return added!;
  }

  /**
   * All or nothing: one transaction, consecutive `seq` numbers. A message with the client's own
   * `id` or an `idempotencyKey` that repeats one stored before is answered with the stored message
   * (its id, seq and timestamp) instead of being stored again; one that reuses the id or key for
   * something else is a CONFLICT (see `domain/appends.ts`) — unless `onConflict` is 'replace': then
   * the stored message takes the new body in place, its previous version kept as superseded.
   * With `countTokens`, a message without a `tokenCount` gets the server's estimate (tokens.ts).
   */
  async addMany(sessionId: string, inputs: readonly NewMessageInput[], { onConflict = 'error', countTokens: count = false }: AppendOptions = {}): Promise<Message[]> {
    const timestamp = this.now();
    const messages = this.newMessages(sessionId, inputs, timestamp);
    if (count) {
      const uncounted = messages.filter((m) => m.tokenCount == null);
      const counts = await countTokens(uncounted.map((m) => m.content));
      uncounted.forEach((m, i) => (m.tokenCount = counts[i]!));
    }
    const issues = batchIssues(messages);
    if (issues.length) throw new ValidationError(issues.map((issue) => ({ ...issue, path: ['messages', ...issue.path] })));
    const added = await this.store.append(sessionId, messages, timestamp, onConflict);
    if (!added) throw new NotFoundError('Session');
    return added;
  }

  /** Messages as the store takes them: ids chosen, the time of the write, the text of an item given without one. */
  private newMessages(sessionId: string, inputs: readonly NewMessageInput[], timestamp: string): NewMessage[] {
    return inputs.map(({ id, idempotencyKey, role, content, item, metadata, tokenCount }): NewMessage => {
      return {
        id: id ?? this.ids.next('message'),
        idFromClient: id != null,
        idempotencyKey: idempotencyKey ?? null,
        sessionId,
        role,
        // Validated: one of the two is there (inputs.ts).
        content: content ?? textOfItem(item ?? null),
        item: item ?? null,
        metadata,
        tokenCount: tokenCount ?? null,
        timestamp,
      };
    });
  }

  /** Takes the last message out of the history (kept as superseded); null for an empty history. */
  async pop(sessionId: string): Promise<Message | null> {
    const popped = await this.store.pop(sessionId, this.now());
    if (!popped) throw new NotFoundError('Session');
    return popped.message;
  }

  /**
   * Replaces the history's last `replaceLast` messages, if it is as the caller expects, once per
   * operation id (see `HistoryStore.rewrite`). The request's fingerprint is of what the operation
   * does, as given (before ids and times are chosen): not of `expectedLastSeq`, the precondition it
   * was applied under, which a client retrying after the operation moved the history cannot know.
   */
  async rewrite(sessionId: string, input: RewriteHistoryInput): Promise<RewriteResult> {
    const timestamp = this.now();
    const { expectedLastSeq: _precondition, ...operation } = input;
    const requestSha256 = createHash('sha256').update(canonicalJson(operation as unknown as Json)).digest('hex');
    const messages = this.newMessages(sessionId, input.messages, timestamp);
    const result = await this.store.rewrite(sessionId, { ...input, requestSha256, messages }, timestamp);
    if (!result) throw new NotFoundError('Session');
    return result;
  }

  /** The messages taken out of a session's history (pops, rewrites, replacements), in that order; none for an unknown session. */
  superseded(sessionId: string, slice: Slice<number>): Promise<SupersededMessage[]> {
    return this.store.superseded(sessionId, slice, this.now());
  }

  supersededCount(sessionId: string): Promise<number> {
    return this.store.supersededCount(sessionId, this.now());
  }

  async get(id: string): Promise<Message> {
    const [message] = await this.store.byIds([id], this.now());
    if (!message) throw new NotFoundError('Message');
    return message;
  }

  byIds(ids: readonly string[]): Promise<Message[]> {
    return this.store.byIds(ids, this.now());
  }

  /** A session's messages in conversation order; an unknown (or expired) session simply has none. */
  async list(sessionId: string, slice: Slice<number>): Promise<Message[]> {
    return (await this.store.pages([sessionId], slice, this.now())).get(sessionId) ?? [];
  }

  /** One session's messages of `slice` as JSON (see `HistoryStore.json`); an unknown or expired session has none: `[]`. */
  json(sessionId: string, slice: Slice<number>, fields: WireFields<Message>): Promise<string> {
    return this.store.json(sessionId, slice, fields, this.now());
  }

  /**
   * A whole history of at most `ceiling` messages as JSON, with its version, through the history
   * cache (`HistoryStore.whole`); with `known`, null JSON when that is still the version.
   */
  whole(sessionId: string, fields: WireFields<Message>, ceiling: number, known?: HistoryVersion): Promise<WholeHistory | 'absent' | 'too-long'> {
    return this.store.whole(sessionId, fields, ceiling, this.now(), known);
  }

  /** The newest `count` messages as JSON with the history's version (`HistoryStore.last`); NOT_FOUND for an unknown session. */
  async last(sessionId: string, count: number, fields: WireFields<Message>, known?: HistoryVersion): Promise<HistoryTail> {
    const tail = await this.store.last(sessionId, count, fields, this.now(), known);
    if (tail === 'absent') throw new NotFoundError('Session');
    return tail;
  }

  pages(sessionIds: readonly string[], slice: Slice<number>): Promise<Map<string, Message[]>> {
    return this.store.pages(sessionIds, slice, this.now());
  }

  counts(sessionIds: readonly string[]): Promise<Map<string, number>> {
    return this.store.counts(sessionIds, this.now());
  }

  /** A session's newest messages that fit in `maxTokens`, oldest first (see tokens.ts); none for an unknown session. */
  async latestWithinTokens(sessionId: string, maxTokens: number): Promise<Message[]> {
    return (await this.store.withinTokens([sessionId], maxTokens, this.now())).get(sessionId) ?? [];
  }

  withinTokens(sessionIds: readonly string[], maxTokens: number): Promise<Map<string, Message[]>> {
    return this.store.withinTokens(sessionIds, maxTokens, this.now());
  }

  tokenTotals(sessionIds: readonly string[]): Promise<Map<string, TokenTotal>> {
    return this.store.tokenTotals(sessionIds, this.now());
  }

  /** Deletes a session's messages and says how many; an unknown (or expired) session has none to delete. */
  clear(sessionId: string): Promise<number> {
    return this.store.clear(sessionId, this.now());
  }
}
