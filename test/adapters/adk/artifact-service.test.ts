import { type ArtifactVersion, type BaseArtifactService, InMemoryArtifactService } from '@google/adk';
import { AgentStorageArtifactService, AgentStorageSessionService } from '../../../src/adapters/adk/index.js';
import { AgentStorageClient } from '../../../src/client/index.js';
import { describe, expect, it } from '../../support/server-fixture.js';

/*
 * AgentStorageArtifactService's BaseArtifactService contract on a real server, every answer
 * compared with ADK's own InMemoryArtifactService given the same calls: saves of each kind of
 * Part with custom metadata, loads by version, keys, versions and their metadata, deletes; `user:`
 * filenames shared by the sessions of one user and of no other; what it stores, as the service's
 * records.
 */

const APP = 'artifacts-app';
const base64 = (text: string) => Buffer.from(text).toString('base64');
const png = { inlineData: { data: base64('\x89PNG fake'), mimeType: 'image/png', displayName: 'chart.png' } };
const inlineText = { inlineData: { data: base64('inline, not a text part'), mimeType: 'text/plain' } };
const fileRef = { fileData: { fileUri: 'gs://bucket/report.pdf', mimeType: 'application/pdf' } };

/** What an ArtifactVersion is compared on (InMemory gives no URI, and a MIME type for file references only). */
const facts = (version: ArtifactVersion | undefined) => version && { version: version.version, customMetadata: version.customMetadata };

/** The same calls on a service, for a session key of its own; every answer kept. */
async function script(service: BaseArtifactService, key: { appName: string; userId: string; sessionId: string }) {
  const answers: Record<string, unknown> = {};
  const save = (filename: string, artifact: object, customMetadata?: Record<string, unknown>) => service.saveArtifact({ ...key, filename, artifact, customMetadata });
  answers.saves = [
    await save('notes.txt', { text: 'first draft' }),
    await save('notes.txt', { text: 'second draft ✓' }, { reviewed: true }),
    await save('chart.png', png, { source: 'tool' }),
    await save('inline.txt', inlineText),
    await save('ref.pdf', fileRef, { pages: 3 }),
    await save('user:profile.json', { inlineData: { data: base64('{"tier":"gold"}'), mimeType: 'application/json' } }),
    await save('notes.txt', { text: 'third' }),
  ];
  answers.refused = await save('bad', {}).then(
    () => 'saved',
    (error: Error) => error.message,
  );
  const load = (filename: string, version?: number) => service.loadArtifact({ ...key, filename, version });
  answers.loads = {
    latest: await load('notes.txt'),
    v0: await load('notes.txt', 0),
    v1: await load('notes.txt', 1),
    missingVersion: await load('notes.txt', 9),
    negative: await load('notes.txt', -1),
    missing: await load('nothing.txt'),
    png: await load('chart.png'),
    inlineText: await load('inline.txt'),
    fileRef: await load('ref.pdf'),
    user: await load('user:profile.json'),
  };
  answers.keys = await service.listArtifactKeys(key);
  answers.versions = await service.listVersions({ ...key, filename: 'notes.txt' });
  answers.noVersions = await service.listVersions({ ...key, filename: 'nothing.txt' });
  answers.artifactVersions = (await service.listArtifactVersions({ ...key, filename: 'notes.txt' })).map(facts);
  answers.versionLatest = facts(await service.getArtifactVersion({ ...key, filename: 'chart.png' }));
  answers.version1 = facts(await service.getArtifactVersion({ ...key, filename: 'notes.txt', version: 1 }));
  answers.versionMissing = await service.getArtifactVersion({ ...key, filename: 'notes.txt', version: 9 });
  answers.fileMimeType = (await service.getArtifactVersion({ ...key, filename: 'ref.pdf' }))?.mimeType;

  await service.deleteArtifact({ ...key, filename: 'notes.txt' });
  await service.deleteArtifact({ ...key, filename: 'nothing.txt' });
  answers.afterDelete = {
    load: await load('notes.txt'),
    versions: await service.listVersions({ ...key, filename: 'notes.txt' }),
    keys: await service.listArtifactKeys(key),
    // A deleted artifact starts again from version 0.
    saveAgain: await save('notes.txt', { text: 'new start' }),
  };
  return answers;
}

describe('AgentStorageArtifactService', () => {
  it('answers every call as InMemoryArtifactService does', async ({ server }) => {
    const sessions = new AgentStorageSessionService({ url: server.url });
    const session = await sessions.createSession({ appName: APP, userId: 'ann' });
    const ours = await script(new AgentStorageArtifactService({ url: server.url }), { appName: APP, userId: 'ann', sessionId: session.id });
    const memory = await script(new InMemoryArtifactService(), { appName: APP, userId: 'ann', sessionId: 'memory-session' });

    expect(ours.saves).toEqual([0, 1, 0, 0, 0, 0, 2]);
    expect(ours.refused).toBe('Artifact must have either inlineData or text content.');
    expect(ours.loads).toMatchObject({ latest: { text: 'third' }, v1: { text: 'second draft ✓' }, png, inlineText, fileRef });
    expect(ours.keys).toEqual(['chart.png', 'inline.txt', 'notes.txt', 'ref.pdf', 'user:profile.json']);
    expect(ours.artifactVersions).toEqual([
      { version: 0, customMetadata: undefined },
      { version: 1, customMetadata: { reviewed: true } },
      { version: 2, customMetadata: undefined },
    ]);
    expect(ours.fileMimeType).toBe('application/pdf');
    expect(ours).toEqual(memory);
  });

  it('gives each version a canonical URI of the service and its MIME type', async ({ server }) => {
    const sessions = new AgentStorageSessionService({ url: server.url });
    const session = await sessions.createSession({ appName: APP, userId: 'uri' });
    const service = new AgentStorageArtifactService({ url: server.url });
    const key = { appName: APP, userId: 'uri', sessionId: session.id };
    await service.saveArtifact({ ...key, filename: 'chart.png', artifact: png });
    const version = (await service.getArtifactVersion({ ...key, filename: 'chart.png' }))!;
    expect(version).toMatchObject({ version: 0, mimeType: 'image/png' });
    // Relative: ADK's Runner would hand an http(s) URI to the model, which cannot read the service.
    expect(version.canonicalUri).toMatch(/^\/storage\/artifacts\/[^/]+\/content\?version=0$/);
    const response = await fetch(new URL(version.canonicalUri!, server.url));
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('\x89PNG fake');
  });

  it('shares user: artifacts among the sessions of one user, and with no other user or app', async ({ server }) => {
    const sessions = new AgentStorageSessionService({ url: server.url });
    const run = async (service: BaseArtifactService, ids: (user: string, app?: string) => Promise<string>) => {
      const first = { appName: APP, userId: 'kim', sessionId: await ids('kim') };
      const second = { appName: APP, userId: 'kim', sessionId: await ids('kim') };
      const otherUser = { appName: APP, userId: 'lee', sessionId: await ids('lee') };
      const otherApp = { appName: 'other-app', userId: 'kim', sessionId: await ids('kim', 'other-app') };
      await service.saveArtifact({ ...first, filename: 'user:avatar.png', artifact: png });
      await service.saveArtifact({ ...first, filename: 'draft.txt', artifact: { text: 'only here' } });
      // A second version, saved from the other session, of the same user artifact.
      await service.saveArtifact({ ...second, filename: 'user:avatar.png', artifact: { text: 'replaced' } });
      return {
        keys: await Promise.all([first, second, otherUser, otherApp].map((key) => service.listArtifactKeys(key))),
        fromFirst: await service.loadArtifact({ ...first, filename: 'user:avatar.png' }),
        versionsFromSecond: await service.listVersions({ ...second, filename: 'user:avatar.png' }),
        otherUser: await service.loadArtifact({ ...otherUser, filename: 'user:avatar.png' }),
        otherApp: await service.loadArtifact({ ...otherApp, filename: 'user:avatar.png' }),
        draftFromSecond: await service.loadArtifact({ ...second, filename: 'draft.txt' }),
      };
    };
    const ours = await run(new AgentStorageArtifactService({ url: server.url }), async (userId, appName = APP) => (await sessions.createSession({ appName, userId })).id);
    let n = 0;
    const memory = await run(new InMemoryArtifactService(), async () => `s${n++}`);

    expect(ours.keys).toEqual([['draft.txt', 'user:avatar.png'], ['user:avatar.png'], [], []]);
    expect(ours.fromFirst).toEqual({ text: 'replaced' });
    expect(ours.versionsFromSecond).toEqual([0, 1]);
    expect(ours.otherUser).toBeUndefined();
    expect(ours.draftFromSecond).toBeUndefined();
    expect(ours).toEqual(memory);

    // Kept in the user's holder session, beside the user's state; the session holds its own.
    const client = new AgentStorageClient({ url: server.url });
    const holders = (await client.sessions.list({ agentName: `adk-user:${APP}`, userId: 'kim' })).nodes;
    expect(holders).toHaveLength(1);
    expect((await client.artifacts.list(holders[0]!.id)).nodes.map((a) => a.name)).toEqual(['user:avatar.png']);
    // The same holder as AgentStorageSessionService's: user: state and user: artifacts side by side.
    const withState = await sessions.createSession({ appName: APP, userId: 'kim', state: { 'user:tier': 'gold' } });
    expect((await client.sessions.list({ agentName: `adk-user:${APP}`, userId: 'kim' })).nodes.map((s) => s.id)).toEqual([holders[0]!.id]);
    expect((await client.state.get(holders[0]!.id))?.data).toEqual({ tier: 'gold' });
    expect(withState.state).toEqual({ 'user:tier': 'gold' });
  });

  it('stores each save as a content version of one artifact per filename, in the ADK session', async ({ server }) => {
    const sessions = new AgentStorageSessionService({ url: server.url });
    // An id the caller chose: found as the session service finds it.
    const session = await sessions.createSession({ appName: APP, userId: 'cy', sessionId: 'chat-7' });
    const service = new AgentStorageArtifactService({ url: server.url });
    const key = { appName: APP, userId: 'cy', sessionId: 'chat-7' };
    await service.saveArtifact({ ...key, filename: 'data.csv', artifact: { inlineData: { data: base64('a,b\n1,2\n'), mimeType: 'text/csv' } } });
    await service.saveArtifact({ ...key, filename: 'data.csv', artifact: { inlineData: { data: base64('a,b\n3,4\n'), mimeType: 'text/csv' } } });

    const client = new AgentStorageClient({ url: server.url });
    const stored = (await client.sessions.list({ agentName: APP, userId: 'cy' })).nodes[0]!;
    expect(stored.metadata).toEqual({ adk: { sessionId: session.id } });
    const [artifact, ...others] = (await client.artifacts.list(stored.id)).nodes;
    expect(others).toEqual([]);
    expect(artifact).toMatchObject({ name: 'data.csv', type: 'text/csv', size: 8 });
    const versions = await client.artifacts.contentVersions(artifact!.id);
    expect(versions.map((v) => [v.version, v.contentType])).toEqual([
      [0, 'text/csv'],
      [1, 'text/csv'],
    ]);
    expect(new TextDecoder().decode((await client.artifacts.loadContent(artifact!.id))!.bytes)).toBe('a,b\n3,4\n');

    // Content stored by another client under the session is an ADK artifact too.
    await client.artifacts.saveContent({ sessionId: stored.id, name: 'upload.txt', data: 'from REST', contentType: 'text/plain' });
    expect(await service.loadArtifact({ ...key, filename: 'upload.txt' })).toEqual({ text: 'from REST' });

    // A session the service does not hold: nothing to read, and a save is refused.
    const unknown = { appName: APP, userId: 'cy', sessionId: 'no-such-session' };
    expect(await service.listArtifactKeys(unknown)).toEqual([]);
    expect(await service.loadArtifact({ ...unknown, filename: 'data.csv' })).toBeUndefined();
    await expect(service.saveArtifact({ ...unknown, filename: 'x.txt', artifact: { text: 'x' } })).rejects.toThrow('Session no-such-session not found');

    // After the session is deleted (and its artifacts with it), the service's cached lookup does not resurrect them.
    await sessions.deleteSession(key);
    expect(await service.loadArtifact({ ...key, filename: 'data.csv' })).toBeUndefined();
    expect(await service.listArtifactKeys(key)).toEqual([]);
  });
});
