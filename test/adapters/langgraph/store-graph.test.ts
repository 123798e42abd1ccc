import type { Embeddings } from '@langchain/core/embeddings';
import { Annotation, type BaseStore, getStore, InMemoryStore, type LangGraphRunnableConfig, START, StateGraph } from '@langchain/langgraph';
import { AgentStorageStore } from '../../../src/adapters/langgraph/index.js';
import { AUTH_ENV } from '../../support/auth.js';
import { describe, expect, it, test } from '../../support/server-fixture.js';
import { DIMS, embed, embeddings, tenantStore } from './store-support.js';

/*
 * AgentStorageStore as a real @langchain/langgraph graph uses it (offline: the nodes are plain
 * functions): compiled with `store`, one node writes memories through `config.store`, the next
 * reads them through `getStore()` — LangGraph wraps the store in its AsyncBatchedStore, which
 * gathers the operations of a tick into one `batch()`. The same graph over InMemoryStore gives the
 * same states.
 */

test.override({ env: AUTH_ENV });

const State = Annotation.Root({
  userId: Annotation<string>,
  fact: Annotation<string>,
  question: Annotation<string>,
  recalled: Annotation<string[]>,
  best: Annotation<string | null>,
});

function memoryGraph(store: BaseStore) {
  return new StateGraph(State)
    .addNode('remember', async (state: typeof State.State, config: LangGraphRunnableConfig) => {
      const facts = ['users', state.userId, 'facts'];
      const existing = await config.store!.search(facts, { limit: 100 });
      await config.store!.put(facts, `fact-${existing.length}`, { text: state.fact });
      return {};
    })
    .addNode('recall', async (state: typeof State.State) => {
      const memories = getStore()!;
      const facts = ['users', state.userId, 'facts'];
      const [all, best] = await Promise.all([memories.search(facts, { limit: 100 }), memories.search(facts, { query: state.question, limit: 1 })]);
      return { recalled: all.map((item) => String(item.value.text)).sort(), best: best[0] ? String(best[0].value.text) : null };
    })
    .addEdge(START, 'remember')
    .addEdge('remember', 'recall')
    .compile({ store });
}

const runs = [
  { userId: 'u1', fact: 'likes green tea in the morning', question: 'what tea does the user drink' },
  { userId: 'u1', fact: 'owns a red bicycle', question: 'bicycle colour' },
  { userId: 'u2', fact: 'speaks french and italian', question: 'which languages' },
  { userId: 'u1', fact: 'allergic to peanuts', question: 'peanuts allergy' },
];

describe('AgentStorageStore in a StateGraph', () => {
  it('nodes write and read memories through config.store and getStore(); the same states as with InMemoryStore', async ({ server }) => {
    const { store, requests } = await tenantStore(server, { index: { dims: DIMS, embed, fields: ['text'] }, ttl: { defaultTtl: 60 } });
    const ours = memoryGraph(store);
    const reference = memoryGraph(new InMemoryStore({ index: { dims: DIMS, embeddings: embeddings as unknown as Embeddings, fields: ['text'] } }));
    for (const input of runs) {
      const before = requests();
      const state = await ours.invoke(input);
      // remember: its search, then its put; recall: both searches in one batch.
      expect(requests() - before).toBe(3);
      expect(state).toEqual(await reference.invoke(input));
    }
    const last = await ours.invoke({ userId: 'u1', fact: 'prefers trains to planes', question: 'what tea' });
    expect(last.recalled).toEqual(['allergic to peanuts', 'likes green tea in the morning', 'owns a red bicycle', 'prefers trains to planes']);
    expect(last.best).toBe('likes green tea in the morning');

    // Stored on the server: another store over the same tenant reads them, with the default TTL.
    const other = AgentStorageStore.fromClient(store.client, { ttl: { refreshOnRead: false } });
    expect(await other.listNamespaces()).toEqual([['users', 'u1', 'facts'], ['users', 'u2', 'facts']]);
    const [raw] = await store.client.memory.read([{ get: { namespace: ['users', 'u2', 'facts'], key: 'fact-0' } }]);
    expect(raw?.item).toMatchObject({ value: { text: 'speaks french and italian' }, ttlMinutes: 60 });

    // The graph's memories expire as any other: an hour (the default TTL) after they were last read.
    server.clock.advance(60 * 60_000);
    const fresh = await ours.invoke({ userId: 'u1', fact: 'moved to Lyon', question: 'where does the user live' });
    expect(fresh.recalled).toEqual(['moved to Lyon']);
    expect(await other.search(['users', 'u2'])).toEqual([]);
  });
});
