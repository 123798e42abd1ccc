import { batchIssues } from '../../domain/appends.js';
import { type Clock, isoTime } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { IdGenerator } from '../../domain/ids.js';
import type { AddMessageInput, NewMessageInput } from '../../domain/inputs.js';
import type { Slice } from '../../domain/paging.js';
import type { Message } from '../../domain/records.js';
import type { WireFields } from '../../domain/wire.js';
import type { NewMessage } from './messages.js';
import type { HistoryStore } from './store.js';

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

  async add(input: AddMessageInput): Promise<Message> {
    const { sessionId, ...message } = input;
    const [added] = await this.addMany(sessionId, [message]);
    return added!;
  }

  /**
   * All or nothing: one transaction, consecutive `seq` numbers. A message with the client's own
   * `id` or an `idempotencyKey` that repeats one stored before is answered with the stored message
   * (its id, seq and timestamp) instead of being stored again; one that reuses the id or key for
   * something else is a CONFLICT (see `domain/appends.ts`).
   */
  async addMany(sessionId: string, inputs: readonly NewMessageInput[]): Promise<Message[]> {
    const timestamp = this.now();
    const messages = inputs.map(
      ({ id, idempotencyKey, role, content, metadata }): NewMessage => ({
        id: id ?? this.ids.next('message'),
        idFromClient: id != null,
        idempotencyKey: idempotencyKey ?? null,
        sessionId,
        role,
        content,
        metadata,
        timestamp,
      }),
    );
    const issues = batchIssues(messages);
    if (issues.length) throw new ValidationError(issues.map((issue) => ({ ...issue, path: ['messages', ...issue.path] })));
    const added = await this.store.append(sessionId, messages, timestamp);
    if (!added) throw new NotFoundError('Session');
    return added;
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

  pages(sessionIds: readonly string[], slice: Slice<number>): Promise<Map<string, Message[]>> {
    return this.store.pages(sessionIds, slice, this.now());
  }

  counts(sessionIds: readonly string[]): Promise<Map<string, number>> {
    return this.store.counts(sessionIds, this.now());
  }

  /** Deletes a session's messages and says how many; an unknown (or expired) session has none to delete. */
  clear(sessionId: string): Promise<number> {
    return this.store.clear(sessionId, this.now());
  }
}
