import { describe, expect, it } from '../support/server-fixture.js';
import type { GraphQLClient } from './client.js';
import {
  CreateArtifactDocument,
  type CreateArtifactInput,
  CreateSessionDocument,
  DeleteArtifactDocument,
  DeleteSessionDocument,
  DeleteStateDocument,
  GetArtifactDocument,
  GetStateDocument,
  SessionArtifactsDocument,
  SetStateDocument,
} from './gql/graphql.js';

async function newSession(gql: GraphQLClient): Promise<string> {
  return (await gql.data(CreateSessionDocument, { input: { agentName: 'worker' } })).createSession.id;
}

describe('state', () => {
  it('is null until set, then set, replaced and deleted', async ({ server, gql }) => {
    const sessionId = await newSession(gql);
    expect((await gql.data(GetStateDocument, { id: sessionId })).session!.state).toBeNull();

    const set = (await gql.data(SetStateDocument, { sessionId, data: { step: 1, plan: ['a', 'b'] } })).setState;
    expect(set).toMatchObject({ sessionId, data: { step: 1, plan: ['a', 'b'] } });
    server.clock.advance(1000);
    const replaced = (await gql.data(SetStateDocument, { sessionId, data: [1, 'two', null] })).setState;
    expect(Date.parse(replaced.updatedAt) - Date.parse(set.updatedAt)).toBe(1000);
    expect((await gql.data(GetStateDocument, { id: sessionId })).session!.state).toEqual(replaced);

    expect((await gql.data(DeleteStateDocument, { sessionId })).deleteState).toBe(sessionId);
    expect((await gql.data(GetStateDocument, { id: sessionId })).session!.state).toBeNull();
    const [again] = await gql.errors(DeleteStateDocument, { sessionId });
    expect(again!.extensions?.code).toBe('NOT_FOUND');
    expect(again!.message).toBe('State not found');
  });

  it('accepts any JSON value but null (data is JSON!), scalars included', async ({ gql }) => {
    const sessionId = await newSession(gql);
    for (const data of [0, -1.5e-300, 'text', true, false, [], {}, [[[]]]]) {
      expect((await gql.data(SetStateDocument, { sessionId, data })).setState.data).toEqual(data);
    }
  });

  it('cannot be set for a missing session', async ({ gql }) => {
    const [error] = await gql.errors(SetStateDocument, { sessionId: 'session_nope', data: 1 });
    expect(error!.extensions?.code).toBe('NOT_FOUND');
    expect(error!.message).toBe('Session not found');
  });
});

describe('artifacts', () => {
  const artifact = (sessionId: string, name: string, extra: Partial<CreateArtifactInput> = {}): CreateArtifactInput => ({
    sessionId,
    name,
    type: 'text/markdown',
    path: `/out/${name}`,
    size: 1234,
    ...extra,
  });

  it('creates, reads, lists and deletes', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const created = (
      await gql.data(CreateArtifactDocument, { input: artifact(sessionId, 'report.md', { metadata: { pages: 3 }, size: 5_000_000_000 }) })
    ).createArtifact;
    expect(created).toMatchObject({ sessionId, name: 'report.md', path: '/out/report.md', size: 5_000_000_000, metadata: { pages: 3 } });
    expect(created.id).toMatch(/^artifact_/);
    expect((await gql.data(GetArtifactDocument, { id: created.id })).artifact).toMatchObject({ id: created.id, size: 5_000_000_000 });

    const listed = (await gql.data(SessionArtifactsDocument, { id: sessionId })).session!.artifacts;
    expect(listed.totalCount).toBe(1);
    expect(listed.edges.map((e) => e.node.id)).toEqual([created.id]);

    expect((await gql.data(DeleteArtifactDocument, { id: created.id })).deleteArtifact).toBe(created.id);
    expect((await gql.data(GetArtifactDocument, { id: created.id })).artifact).toBeNull();
    const [again] = await gql.errors(DeleteArtifactDocument, { id: created.id });
    expect(again!.extensions?.code).toBe('NOT_FOUND');
  });

  it('pages in creation order both ways', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      ids.push((await gql.data(CreateArtifactDocument, { input: artifact(sessionId, name) })).createArtifact.id);
    }
    const page = async (vars: { first?: number; after?: string | null; last?: number; before?: string | null }) =>
      (await gql.data(SessionArtifactsDocument, { id: sessionId, ...vars })).session!.artifacts;
    const first = await page({ first: 2 });
    expect(first.edges.map((e) => e.node.id)).toEqual(ids.slice(0, 2));
    const next = await page({ first: 2, after: first.pageInfo.endCursor });
    expect(next.edges.map((e) => e.node.id)).toEqual(ids.slice(2, 4));
    const last = await page({ last: 2 });
    expect(last.edges.map((e) => e.node.id)).toEqual(ids.slice(3));
    expect(last.pageInfo.hasPreviousPage).toBe(true);
    expect((await page({})).edges).toHaveLength(5);
  });

  it('refuses a negative size, an unknown session and bad text', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const [negative] = await gql.errors(CreateArtifactDocument, { input: artifact(sessionId, 'x', { size: -1 }) });
    expect(negative!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(negative!.message).toContain('input.size');
    const [missing] = await gql.errors(CreateArtifactDocument, { input: artifact('session_nope', 'x') });
    expect(missing!.extensions?.code).toBe('NOT_FOUND');
    const [empty] = await gql.errors(CreateArtifactDocument, { input: artifact(sessionId, '') });
    expect(empty!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['input', 'name'], message: 'must not be empty' }] });
    expect((await gql.data(SessionArtifactsDocument, { id: sessionId })).session!.artifacts.totalCount).toBe(0);
  });

  it('go with their session', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const { id } = (await gql.data(CreateArtifactDocument, { input: artifact(sessionId, 'gone') })).createArtifact;
    await gql.data(DeleteSessionDocument, { id: sessionId });
    expect((await gql.data(GetArtifactDocument, { id })).artifact).toBeNull();
  });
});
