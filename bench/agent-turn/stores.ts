import { randomUUID } from 'node:crypto';
import { type AgentInputItem, MemorySession } from '@openai/agents-core';
import { AgentStorageClient, type NewMessage } from '../../src/client/index.js';
import type { TurnStore } from './workload.js';

/*
 * The subjects of the agent-turn benchmark, each a TurnStore over one conversation: the SDK's own
 * MemorySession (the in-process floor), a bare node:http server answering from memory (the floor of
 * two HTTP round trips, bare-server.ts), and the service through AgentStorageClient.
 */

/**
 * How the service stores an item: `item`, the structured field (lossless JSON, what the adapter
 * uses; the service derives `content` from it), or `content`, the item as a JSON string (what a
 * store without structured items would do, for comparison).
 */
export type StoreItemsAs = 'item' | 'content';

export type StoreSpec = { kind: 'memory-session' } | { kind: 'bare-http'; url: string } | { kind: 'service'; url: string; storeAs: StoreItemsAs };

/** A store per conversation, each already holding `histories[i]`. */
export async function openStores(spec: StoreSpec, histories: AgentInputItem[][]): Promise<TurnStore[]> {
  switch (spec.kind) {
    case 'memory-session':
      return histories.map((initialItems) => new MemorySession({ initialItems }));
    case 'bare-http':
      return Promise.all(histories.map(async (items, i) => seeded(new BareHttpStore(spec.url, `conversation-${i}`), items)));
    case 'service': {
      const client = new AgentStorageClient({ url: spec.url });
      return Promise.all(
        histories.map(async (items) => {
          const session = await client.sessions.create({ agentName: 'bench-agent-turn' });
          return seeded(new ServiceStore(client, session.id, spec.storeAs), items);
        }),
      );
    }
  }
}

async function seeded(store: TurnStore, items: AgentInputItem[]): Promise<TurnStore> {
  await store.addItems(items);
  return store;
}

/** The two round trips any HTTP store needs for a turn, against bare-server.ts: nothing else. */
class BareHttpStore implements TurnStore {
  private readonly endpoint: string;

  constructor(url: string, conversation: string) {
    this.endpoint = `${url}/conversations/${conversation}/items`;
  }

  async getItems(limit?: number): Promise<AgentInputItem[]> {
    const response = await fetch(limit === undefined ? this.endpoint : `${this.endpoint}?limit=${limit}`);
    if (!response.ok) throw new Error(`GET ${this.endpoint} answered ${response.status}`);
    return (await response.json()) as AgentInputItem[];
  }

  async addItems(items: AgentInputItem[]): Promise<void> {
    const response = await fetch(this.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(items) });
    if (!response.ok) throw new Error(`POST ${this.endpoint} answered ${response.status}`);
    await response.arrayBuffer();
  }
}

const ROLES: Record<string, NewMessage['role']> = { user: 'USER', assistant: 'ASSISTANT', system: 'SYSTEM' };

/** A message's role for an item: its own for messages, TOOL for a tool's output, else ASSISTANT (the model made it). */
function roleOf(item: AgentInputItem): NewMessage['role'] {
  if ('role' in item && typeof item.role === 'string') return ROLES[item.role] ?? 'ASSISTANT';
  return item.type?.endsWith('_result') || item.type?.endsWith('_output') ? 'TOOL' : 'ASSISTANT';
}

/**
 * What `agent-storage/openai-agents`'s AgentStorageSession does for getItems/addItems: the newest
 * N messages in order, and one all-or-nothing append of a message per item, each with its own
 * idempotency key (a retried HTTP call never stores an item twice). When that adapter exists, the
 * benchmark uses it instead of this class.
 */
class ServiceStore implements TurnStore {
  constructor(
    private readonly client: AgentStorageClient,
    private readonly sessionId: string,
    private readonly storeAs: StoreItemsAs,
  ) {}

  async getItems(limit?: number): Promise<AgentInputItem[]> {
    const page = await this.client.history.list(this.sessionId, limit === undefined ? {} : { last: limit });
    return page.nodes.map((message) => (this.storeAs === 'item' ? message.item : JSON.parse(message.content)) as AgentInputItem);
  }

  async addItems(items: AgentInputItem[]): Promise<void> {
    if (items.length === 0) return;
    const messages = items.map((item): NewMessage => ({
      role: roleOf(item),
      idempotencyKey: randomUUID(),
      ...(this.storeAs === 'item' ? { item } : { content: JSON.stringify(item) }),
    }));
    await this.client.history.appendMany(this.sessionId, messages);
  }
}
