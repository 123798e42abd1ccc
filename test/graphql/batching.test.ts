import { describe, expect, it, type TestServer } from '../support/server-fixture.js';
import type { GraphQLClient } from './client.js';
import {
  AddMessagesDocument,
  CreateArtifactDocument,
  CreateSessionDocument,
  RecordMetricsDocument,
  SessionsWithArtifactContentDocument,
  SessionsWithEverythingDocument,
  SetStateDocument,
} from './gql/graphql.js';

/** A session with two messages, a state, an artifact and two metrics, made through the API. */
async function fullSession(gql: GraphQLClient, i: number): Promise<void> {
  const sessionId = (await gql.data(CreateSessionDocument, { input: { agentName: 'batched' } })).createSession.id;
  await gql.data(AddMessagesDocument, { sessionId, messages: [{ role: 'USER', content: `q${i}` }, { role: 'ASSISTANT', content: `a${i}` }] });
  await gql.data(SetStateDocument, { sessionId, data: { i } });
  await gql.data(CreateArtifactDocument, { input: { sessionId, name: `a${i}`, type: 't', path: `/a${i}`, size: i } });
  await gql.data(RecordMetricsDocument, {
    inputs: [
      { entityType: 'agent', entityName: 'batched', sessionId, metricName: 'latency', value: i },
      { entityType: 'agent', entityName: 'batched', sessionId, metricName: 'tokens', value: i },
    ],
  });
}

/** Runs the everything-nested query over `n` sessions; the SQL statements it took. */
async function statementsFor(server: TestServer, gql: GraphQLClient, n: number): Promise<string[]> {
  server.resetQueries();
  const { sessions } = await gql.data(SessionsWithEverythingDocument, { first: n });
  const statements = [...server.queries];
  expect(sessions.nodes).toHaveLength(n);
  for (const session of sessions.nodes) {
    expect(session.state).not.toBeNull();
    expect(session.state!.history.totalCount).toBe(1);
    expect(session.state!.history.nodes.map((v) => v.version)).toEqual([1]);
    expect(session.history.totalCount).toBe(2);
    expect(session.history.nodes.map((m) => m.seq)).toEqual([1, 2]);
    expect(session.history.nodes.every((m) => m.session.id === session.id)).toBe(true);
    expect(session.artifacts.totalCount).toBe(1);
    expect(session.metrics.totalCount).toBe(1);
  }
  return statements;
}

describe('nested fields are batched', () => {
  it('runs the same small number of statements for 5 sessions as for 50', async ({ server, gql }) => {
    for (let i = 0; i < 5; i++) await fullSession(gql, i);
    const five = await statementsFor(server, gql, 5);
    for (let i = 5; i < 50; i++) await fullSession(gql, i);
    const fifty = await statementsFor(server, gql, 50);

    expect(fifty).toHaveLength(five.length);
    expect([...fifty].sort()).toEqual([...five].sort());
    // One statement per list, per nested field and per count: bounded by the query's shape.
    expect([...fifty].sort()).toEqual(
      [
        'listSessions',
        'countSessions',
        'statesBySessionIds',
        'stateVersionPages',
        'stateVersionCounts',
        'historyPages',
        'historyCounts',
        'sessionsByIds',
        'artifactPages',
        'artifactCounts',
        'metricPages',
        'metricCounts',
      ].sort(),
    );
  });
});

describe("artifacts' content is batched", () => {
  /** A session with two artifacts, each with two versions of content (uploaded over REST). */
  async function sessionWithContent(server: TestServer, gql: GraphQLClient, i: number): Promise<void> {
    const sessionId = (await gql.data(CreateSessionDocument, { input: { agentName: 'with-content' } })).createSession.id;
    for (const name of ['a', 'b']) {
      const { id } = (await gql.data(CreateArtifactDocument, { input: { sessionId, name, type: 't', path: `/${name}`, size: 0 } })).createArtifact;
      for (const version of [0, 1]) {
        const put = await fetch(`${server.url}/storage/artifacts/${id}/content`, { method: 'PUT', body: `${i} ${name} ${version}` });
        expect(put.status).toBe(201);
      }
    }
  }

  async function statementsFor(server: TestServer, gql: GraphQLClient, n: number): Promise<string[]> {
    server.resetQueries();
    const { sessions } = await gql.data(SessionsWithArtifactContentDocument, { first: n });
    const statements = [...server.queries];
    expect(sessions.nodes).toHaveLength(n);
    for (const artifact of sessions.nodes.flatMap((session) => session.artifacts.nodes)) {
      expect(artifact.content?.version).toBe(1);
      expect(artifact.first).toEqual({ version: 0 });
      expect(artifact.versions).toEqual([{ version: 0 }, { version: 1 }]);
    }
    return statements;
  }

  it('Artifact.content and Artifact.versions of every artifact of a query take one statement together', async ({ server, gql }) => {
    for (let i = 0; i < 3; i++) await sessionWithContent(server, gql, i);
    const three = await statementsFor(server, gql, 3);
    for (let i = 3; i < 30; i++) await sessionWithContent(server, gql, i);
    const thirty = await statementsFor(server, gql, 30);
    expect([...thirty].sort()).toEqual([...three].sort());
    expect([...thirty].sort()).toEqual(['listSessions', 'artifactPages', 'versionsOf'].sort());
  });
});
