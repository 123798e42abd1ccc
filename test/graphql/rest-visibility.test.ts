import { describe, expect, it } from '../support/server-fixture.js';
import { AddMessageDocument, CreateSessionDocument, GetCacheEntryDocument, GetStateDocument, HistoryDocument, SetCacheEntryDocument } from './gql/graphql.js';

describe('one store behind both doors', () => {
  it('what GraphQL writes, REST reads', async ({ gql, api }) => {
    const session = (await gql.data(CreateSessionDocument, { input: { agentName: 'both', metadata: { door: 'graphql' } } })).createSession;
    await gql.data(AddMessageDocument, { input: { sessionId: session.id, role: 'USER', content: 'über GraphQL' } });
    const read = await api.get(`/storage/sessions/${session.id}`);
    expect(read.body).toMatchObject({ id: session.id, agent_name: 'both', status: 'active', metadata: { door: 'graphql' }, created_at: session.createdAt });
    const history = await api.get(`/storage/history?session_id=${session.id}`);
    expect(history.body).toMatchObject([{ session_id: session.id, role: 'user', content: 'über GraphQL' }]);
    await gql.data(SetCacheEntryDocument, { key: 'shared', value: { from: 'graphql' }, ttl: 60 });
    expect((await api.get('/storage/cache/shared')).body).toMatchObject({ key: 'shared', value: { from: 'graphql' }, ttl: 60 });
  });

  it('what REST writes, GraphQL reads, JSON null included', async ({ gql, api }) => {
    const id = (await api.post('/storage/sessions', { agent_name: 'rest', user_id: 'u' })).body.id as string;
    await api.post('/storage/history', { session_id: id, role: 'assistant', content: 'via REST' });
    await api.put(`/storage/state/${id}`, { data: null });
    await api.put('/storage/cache/nothing', { value: null });

    const { session } = await gql.data(HistoryDocument, { id });
    expect(session!.history.nodes.map((n) => n.seq)).toEqual([1]);
    expect(session!.history.edges[0]!.node).toMatchObject({ role: 'ASSISTANT', content: 'via REST' });
    expect((await gql.data(GetStateDocument, { id })).session!.state).toMatchObject({ sessionId: id, data: null });
    expect((await gql.data(GetCacheEntryDocument, { key: 'nothing' })).cacheEntry).toMatchObject({ key: 'nothing', value: null });
  });
});
