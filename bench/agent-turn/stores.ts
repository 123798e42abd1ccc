import { type AgentInputItem, MemorySession } from '@openai/agents-core';
import { AgentStorageSession } from '../../src/adapters/openai-agents/index.js';
import { AgentStorageClient } from '../../src/client/index.js';
import type { TurnStore } from './workload.js';

/*
 * The subjects of the agent-turn benchmark, each a TurnStore over one conversation: the SDK's own
 * MemorySession (the in-process floor), a bare node:http server answering from memory (the floor of
 * two HTTP round trips, bare-server.ts), the same over GraphQL to a bare Yoga server
 * (bare-graphql-server.ts), and the service through `agent-storage/openai-agents`'s
 * AgentStorageSession (what an agent run does).
 */

export type StoreSpec = { kind: 'memory-session' } | { kind: 'bare-http'; url: string } | { kind: 'bare-graphql'; url: string } | { kind: 'service'; url: string };

/** A store per conversation, each already holding `histories[i]`. */
export async function openStores(spec: StoreSpec, histories: AgentInputItem[][]): Promise<TurnStore[]> {
  switch (spec.kind) {
    case 'memory-session':
      return histories.map((initialItems) => new MemorySession({ initialItems }));
    case 'bare-http':
      return Promise.all(histories.map(async (items, i) => seeded(new BareHttpStore(spec.url, `conversation-${i}`), items)));
    case 'bare-graphql':
      return Promise.all(histories.map(async (items, i) => seeded(new BareGraphqlStore(spec.url, `conversation-${i}`), items)));
    case 'service': {
      const client = new AgentStorageClient({ url: spec.url });
      return Promise.all(
        histories.map(async (items) => {
          const session = await client.sessions.create({ agentName: 'bench-agent-turn' });
          return seeded(new AgentStorageSession({ client, sessionId: session.id }), items);
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

/** The same two round trips as GraphQL requests, against bare-graphql-server.ts. */
class BareGraphqlStore implements TurnStore {
  private readonly endpoint: string;

  constructor(url: string, private readonly conversation: string) {
    this.endpoint = `${url}/graphql`;
  }

  private async post(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await fetch(this.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    if (!response.ok || !body.data) throw new Error(`POST ${this.endpoint} answered ${response.status}: ${JSON.stringify(body.errors)}`);
    return body.data;
  }

  async getItems(limit?: number): Promise<AgentInputItem[]> {
    const data = await this.post('query Items($c: ID!, $n: Int!) { items(conversation: $c, last: $n) }', { c: this.conversation, n: limit ?? 1_000_000 });
    return data.items as AgentInputItem[];
  }

  async addItems(items: AgentInputItem[]): Promise<void> {
    await this.post('mutation Add($c: ID!, $items: [JSON!]!) { addItems(conversation: $c, items: $items) }', { c: this.conversation, items });
  }
}
