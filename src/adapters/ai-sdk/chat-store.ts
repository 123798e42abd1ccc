import { createIdGenerator, type IdGenerator, type UIMessage } from 'ai';
import { AgentStorageClient, type AgentStorageClientOptions } from '../../client/client.js';
import { AgentStorageError } from '../../client/errors.js';
import type { Message, NewMessage, Page } from '../../client/resources.js';
import { isEmptyPlan, planChatSave, type StoredChatMessage } from './chat-diff.js';

/**
 * The AI SDK's chat store ("Chatbot Message Persistence": createChat, loadChat, saveChat) over the
 * agent-storage service (docs/ai-sdk.md). A chat is a session; each UIMessage is one message of its
 * history, stored whole as the message's `item` and keyed by its AI SDK id (`idempotencyKey`), so
 * saving the same list again — a replayed request, a retried `onFinish`, two saves racing — never
 * stores a message twice.
 */

export interface ChatStoreSettings {
  /** The `agentName` of the sessions `createChat` makes. Default: "ai-sdk". */
  agentName?: string;
  /** Ids for the assistant messages the server streams. Default: `createIdGenerator({ prefix: 'msg', size: 16 })`. */
  generateId?: IdGenerator;
  /** How many times `saveChat` re-reads the chat when another save changed it in between. Default: 10. */
  maxSaveAttempts?: number;
}

/** A store with a client of its own (the service's URL, API key, fetch, retry policy), or over an existing client. */
export type ChatStoreOptions = ChatStoreSettings & (AgentStorageClientOptions | { client: AgentStorageClient });

export interface CreateChatOptions {
  /** Who the chat belongs to (the session's `userId`). */
  userId?: string;
  /** Free-form metadata of the session. */
  metadata?: Record<string, unknown>;
  /** This chat's `agentName`, over the store's. */
  agentName?: string;
}

export interface ChatStore<M extends UIMessage = UIMessage> {
  /** The typed client the store talks through (for the service's other operations on a chat). */
  readonly client: AgentStorageClient;
  /** Makes an empty chat; its id (the session id, `session_…`). */
  createChat(options?: CreateChatOptions): Promise<string>;
  /** The chat's messages in order. An unknown chat: AgentStorageError NOT_FOUND. */
  loadChat(chatId: string): Promise<M[]>;
  /**
   * Makes the stored chat equal `messages`: unchanged messages are left alone, a message whose body
   * changed is replaced in place, new ones are appended, and when the list leaves the stored one
   * (a regenerated or dropped answer) the stored messages from there on are replaced — kept by the
   * service as superseded, not destroyed. Saving the same list twice changes nothing.
   */
  saveChat(args: { chatId: string; messages: M[] }): Promise<void>;
  /** Server-side ids for assistant messages: pass it as `generateMessageId` to `toUIMessageStreamResponse`. */
  generateId: IdGenerator;
}

const ROLES = { user: 'USER', assistant: 'ASSISTANT', system: 'SYSTEM' } as const;

export function createChatStore<M extends UIMessage = UIMessage>(options: ChatStoreOptions): ChatStore<M> {
  const { agentName = 'ai-sdk', generateId = createIdGenerator({ prefix: 'msg', size: 16 }), maxSaveAttempts = 10 } = options;
  const client = 'client' in options ? options.client : new AgentStorageClient(clientOptionsOf(options));

  /**
   * Every live message of the chat, in order. A chat longer than the server's page is read a page
   * at a time; a rewrite landing between two pages would mix the old head with the new tail, which
   * shows as more messages than the last page's count: then the chat is read again.
   */
  async function readChat(chatId: string): Promise<Message[]> {
    for (;;) {
      const messages: Message[] = [];
      let page: Page<Message>;
      let after: string | null = null;
      do {
        page = await client.history.list(chatId, { after }).catch((error: unknown) => {
          throw isCode(error, 'NOT_FOUND') ? new AgentStorageError({ code: 'NOT_FOUND', message: `No chat "${chatId}" (no such session in agent-storage)`, cause: error }) : error;
        });
        messages.push(...page.nodes);
        after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
      } while (after !== null);
      if (messages.length === page.totalCount) return messages;
    }
  }

  return {
    client,
    generateId,

    async createChat(chat = {}) {
      const session = await client.sessions.create({
        agentName: chat.agentName ?? agentName,
        ...(chat.userId !== undefined && { userId: chat.userId }),
        ...(chat.metadata !== undefined && { metadata: chat.metadata }),
      });
      return session.id;
    },

    async loadChat(chatId) {
      return (await readChat(chatId)).map((message) => uiMessageOf(message) as M);
    },

    async saveChat({ chatId, messages }) {
      const given = messages.map(storable);
      const seen = new Set<string>();
      for (const message of given) {
        if (seen.has(message.id)) throw badInput(`saveChat: the message id "${message.id}" appears twice in the list; each UIMessage needs its own id`);
        seen.add(message.id);
      }
      for (let attempt = 1; ; attempt++) {
        const stored = await readChat(chatId);
        const plan = planChatSave(stored.map(comparable), given);
        if (isEmptyPlan(plan)) return;
        // Replacing in place keeps every seq, so the compare-and-set below still holds after it.
        if (plan.replaceInPlace.length > 0) await client.history.appendMany(chatId, plan.replaceInPlace.map(newMessageOf), { onConflict: 'REPLACE' });
        if (plan.replaceLast === 0 && plan.append.length === 0) return;
        const replaced = stored.slice(stored.length - plan.replaceLast);
        try {
          // Appends go through the same compare-and-set as rewrites: two saves racing with different
          // lists must not interleave their new messages, the later one re-reads and wins whole.
          await client.history.rewrite(chatId, {
            operationId: crypto.randomUUID(),
            expectedLastSeq: stored.at(-1)?.seq ?? null,
            replaceLast: plan.replaceLast,
            // The replaced messages must still be the ones compared (null: one written without an item).
            expectedItems: replaced.map((message) => message.item ?? null),
            messages: plan.append.map(newMessageOf),
          });
          return;
        } catch (error) {
          if (!isCode(error, 'CONFLICT') || attempt >= maxSaveAttempts) throw error;
        }
      }
    },
  };
}

function clientOptionsOf(options: ChatStoreSettings & AgentStorageClientOptions): AgentStorageClientOptions {
  const { agentName: _agentName, generateId: _generateId, maxSaveAttempts: _attempts, ...clientOptions } = options;
  return clientOptions;
}

/**
 * The message as it will be stored and read back: its JSON form (what the service keeps; members
 * set to `undefined`, which the AI SDK leaves on messages, are gone), checked for what the store
 * relies on.
 */
function storable<M extends UIMessage>(message: M): M {
  if (typeof message?.id !== 'string' || message.id === '') {
    throw badInput(
      'saveChat: a message has no id. Give the response messages ids on the server: ' +
        'toUIMessageStreamResponse({ originalMessages, generateMessageId: store.generateId, … })',
    );
  }
  if (!Object.hasOwn(ROLES, message.role)) throw badInput(`saveChat: message "${message.id}" has the role "${String(message.role)}"; a UIMessage is a user, assistant or system message`);
  return JSON.parse(JSON.stringify(message)) as M;
}

const comparable = (message: Message): StoredChatMessage => ({ key: message.idempotencyKey ?? null, item: message.item ?? null });

const newMessageOf = (message: UIMessage): NewMessage => ({ role: ROLES[message.role], item: message, idempotencyKey: message.id });

/**
 * A stored message as a UIMessage: the one that was saved, or — for a message written by other
 * means (REST, another client) — its text, under its service id.
 */
function uiMessageOf(message: Message): UIMessage {
  if (message.item != null) return message.item as UIMessage;
  const role = message.role === 'USER' ? 'user' : message.role === 'SYSTEM' ? 'system' : 'assistant';
  return { id: message.idempotencyKey ?? message.id, role, parts: [{ type: 'text', text: message.content }] };
}

const badInput = (message: string) => new AgentStorageError({ code: 'BAD_USER_INPUT', message });

const isCode = (error: unknown, code: string): boolean => error instanceof AgentStorageError && error.code === code;
