import { type BaseSessionService, createEvent, createEventActions, type Event, InMemorySessionService, type Session } from '@google/adk';
import { AgentStorageSessionService } from '../../../src/adapters/adk/index.js';
import { AgentStorageClient } from '../../../src/client/index.js';
import { describe, expect, it } from '../../support/server-fixture.js';

/*
 * AgentStorageSessionService's BaseSessionService contract on a real server, each read checked
 * against ADK's own InMemorySessionService given the same calls: ids, state scopes (app:, user:
 * shared, temp: dropped), events by numRecentEvents and afterTimestamp, paging, delete; appends
 * that are retried, partial, or made through a stale Session object.
 */

const APP = 'weather-app';

const event = (id: string, timestamp: number, stateDelta: Record<string, unknown> = {}, text = id): Event =>
  createEvent({ id, invocationId: 'inv', author: id.startsWith('u') ? 'user' : 'forecaster', timestamp, content: { role: 'user', parts: [{ text }] }, actions: createEventActions({ stateDelta }) });

/** What a read is compared on across services (ids differ: the service makes its own). */
const shape = (session: Session | undefined) => session && { appName: session.appName, userId: session.userId, state: { ...session.state }, events: session.events.map((e) => ({ id: e.id, text: e.content?.parts?.[0]?.text, stateDelta: { ...e.actions.stateDelta } })) };

describe('AgentStorageSessionService', () => {
  it('creates sessions with scoped state: app: and user: shared, temp: dropped, as InMemorySessionService', async ({ server }) => {
    const run = async (service: BaseSessionService) => {
      const created = await service.createSession({ appName: 'scopes', userId: 'ann', state: { city: 'Paris', 'app:units': 'metric', 'user:name': 'Ann', 'temp:scratch': 1 } });
      const sameUser = await service.createSession({ appName: 'scopes', userId: 'ann' });
      const otherUser = await service.createSession({ appName: 'scopes', userId: 'bob', state: { 'user:name': 'Bob' } });
      const read = await service.getSession({ appName: 'scopes', userId: 'ann', sessionId: created.id });
      return { created, sameUser: await service.getSession({ appName: 'scopes', userId: 'ann', sessionId: sameUser.id }), otherUser, read };
    };
    const ours = await run(new AgentStorageSessionService({ url: server.url }));
    const memory = await run(new InMemorySessionService());

    expect(ours.created.id).toMatch(/^session_/);
    expect(ours.read?.id).toBe(ours.created.id);
    expect(ours.read?.lastUpdateTime).toBe(ours.created.lastUpdateTime);
    const expected = { city: 'Paris', 'app:units': 'metric', 'user:name': 'Ann' };
    expect({ ...ours.created.state }).toEqual(expected);
    expect({ ...ours.read!.state }).toEqual(expected);
    // DatabaseSessionService's scopes: the user's state follows the user, the app's every session.
    expect({ ...ours.sameUser!.state }).toEqual({ 'app:units': 'metric', 'user:name': 'Ann' });
    expect({ ...ours.otherUser.state }).toEqual({ 'app:units': 'metric', 'user:name': 'Bob' });
    // InMemorySessionService keeps a new session's prefixed keys in its own state only: on the
    // session itself, both agree.
    expect(shape(ours.read)).toEqual(shape(memory.read));

    // Stored as the service's own records: the session state holds only the session's keys.
    const client = new AgentStorageClient({ url: server.url });
    expect((await client.state.get(ours.created.id))?.data).toEqual({ city: 'Paris' });
    expect((await client.sessions.get(ours.created.id))).toMatchObject({ agentName: 'scopes', userId: 'ann' });
  });

  it('keeps an id the caller chooses, refuses it twice, and tells unknown keys apart', async ({ server }) => {
    const service = new AgentStorageSessionService({ url: server.url });
    const chosen = await service.createSession({ appName: APP, userId: 'cy', sessionId: 'chat-42', state: { topic: 'rain' } });
    expect(chosen.id).toBe('chat-42');
    await expect(service.createSession({ appName: APP, userId: 'cy', sessionId: 'chat-42' })).rejects.toThrow('Session with id chat-42 already exists.');
    // The same id is free for another user or app.
    expect((await service.createSession({ appName: APP, userId: 'dee', sessionId: 'chat-42' })).id).toBe('chat-42');

    const read = await service.getSession({ appName: APP, userId: 'cy', sessionId: 'chat-42' });
    expect({ ...read!.state }).toEqual({ topic: 'rain' });
    await service.appendEvent({ session: read!, event: event('u1', 1_000, { topic: 'snow' }) });
    expect({ ...(await service.getSession({ appName: APP, userId: 'cy', sessionId: 'chat-42' }))!.state }).toEqual({ topic: 'snow' });
    expect({ ...(await service.getSession({ appName: APP, userId: 'dee', sessionId: 'chat-42' }))!.state }).toEqual({});

    const own = await service.createSession({ appName: APP, userId: 'cy' });
    for (const key of [
      { appName: APP, userId: 'cy', sessionId: 'chat-43' },
      { appName: 'other-app', userId: 'cy', sessionId: 'chat-42' },
      { appName: APP, userId: 'dee', sessionId: own.id },
      { appName: 'other-app', userId: 'cy', sessionId: own.id },
      { appName: APP, userId: 'cy', sessionId: 'session_nonexistent' },
      { appName: APP, userId: 'cy', sessionId: 'session_!not an id' },
    ]) {
      expect(await service.getSession(key), JSON.stringify(key)).toBeUndefined();
    }
    // getOrCreateSession (BaseSessionService's): the existing one, else a new one with the id.
    expect((await service.getOrCreateSession({ appName: APP, userId: 'cy', sessionId: 'chat-42' })).events.map((e) => e.id)).toEqual(['u1']);
    expect((await service.getOrCreateSession({ appName: APP, userId: 'cy', sessionId: 'chat-44' })).id).toBe('chat-44');
  });

  it('reads the newest events and those from a time on, as InMemorySessionService', async ({ server }) => {
    const run = async (service: BaseSessionService) => {
      const session = await service.createSession({ appName: APP, userId: 'eve' });
      for (const [i, id] of ['u1', 'a1', 'u2', 'a2', 'u3'].entries()) await service.appendEvent({ session, event: event(id, 1_000 * (i + 1)) });
      const get = (config?: { numRecentEvents?: number; afterTimestamp?: number }) =>
        service.getSession({ appName: APP, userId: 'eve', sessionId: session.id, config }).then((s) => s!.events.map((e) => e.id));
      return {
        all: await get(),
        recent2: await get({ numRecentEvents: 2 }),
        recent0: await get({ numRecentEvents: 0 }),
        recent9: await get({ numRecentEvents: 9 }),
        after3000: await get({ afterTimestamp: 3_000 }),
        after2500: await get({ afterTimestamp: 2_500 }),
        after9000: await get({ afterTimestamp: 9_000 }),
        after0: await get({ afterTimestamp: 500 }),
        both: await get({ numRecentEvents: 4, afterTimestamp: 3_000 }),
        bothFewer: await get({ numRecentEvents: 2, afterTimestamp: 1_000 }),
      };
    };
    const ours = await run(new AgentStorageSessionService({ url: server.url }));
    expect(ours.all).toEqual(['u1', 'a1', 'u2', 'a2', 'u3']);
    expect(ours.recent2).toEqual(['a2', 'u3']);
    expect(ours.after3000).toEqual(['u2', 'a2', 'u3']);
    expect(ours).toEqual(await run(new InMemorySessionService()));
  });

  it('applies state deltas by scope, drops temp: and partial events, stores a retried event once', async ({ server }) => {
    const service = new AgentStorageSessionService({ url: server.url });
    const memory = new InMemorySessionService();
    const run = async (service: BaseSessionService) => {
      const session = await service.createSession({ appName: 'deltas', userId: 'fay', state: { step: 0 } });
      const appended = await service.appendEvent({ session, event: event('a1', 1_000, { step: 1, 'app:model': 'x', 'user:tz': 'CET', 'temp:draft': 'gone', nested: { a: [1, null] }, empty: null }) });
      await service.appendEvent({ session, event: { ...event('a2', 2_000, { step: 2 }), partial: true } });
      // The same event again (a retry, or ADK updating an event it appended): one event, updated.
      await service.appendEvent({ session, event: event('a1', 1_000, { step: 1, 'temp:draft': 'again' }, 'a1 edited') });
      const read = await service.getSession({ appName: 'deltas', userId: 'fay', sessionId: session.id });
      return { appended: { ...appended.actions.stateDelta }, session: shape(session), read: shape(read) };
    };
    const ours = await run(service);
    expect(ours.appended).toEqual({ step: 1, 'app:model': 'x', 'user:tz': 'CET', nested: { a: [1, null] }, empty: null });
    expect(ours.read).toEqual({
      appName: 'deltas',
      userId: 'fay',
      state: { step: 1, 'app:model': 'x', 'user:tz': 'CET', nested: { a: [1, null] }, empty: null },
      events: [{ id: 'a1', text: 'a1 edited', stateDelta: { step: 1 } }],
    });
    // The caller's Session object is brought up to date, as ADK's services do.
    expect(ours.session).toEqual(ours.read);
    expect(ours).toEqual(await run(memory));
  });

  it('brings a stale Session object up to date when another writer got in between', async ({ server }) => {
    const service = new AgentStorageSessionService({ url: server.url });
    const created = await service.createSession({ appName: APP, userId: 'gus' });
    const key = { appName: APP, userId: 'gus', sessionId: created.id };
    const [first, second] = [await service.getSession(key), await service.getSession(key)];
    await service.appendEvent({ session: first!, event: event('a1', 1_000, { a: 1 }) });
    // `second` was read before a1: appending through it must not lose a1 (google/adk-python#917).
    await service.appendEvent({ session: second!, event: event('a2', 2_000, { b: 2 }) });
    expect(shape(second)).toEqual(shape(await service.getSession(key)));
    expect(second!.events.map((e) => e.id)).toEqual(['a1', 'a2']);
    expect({ ...second!.state }).toEqual({ a: 1, b: 2 });
    // A session read with only its newest events is completed on its first append.
    const recent = await service.getSession({ ...key, config: { numRecentEvents: 1 } });
    await service.appendEvent({ session: recent!, event: event('a3', 3_000) });
    expect(recent!.events.map((e) => e.id)).toEqual(['a1', 'a2', 'a3']);
    // A Session this service did not hand out (another process's, rebuilt from its fields).
    const foreign: Session = { ...key, id: created.id, state: {}, events: [], lastUpdateTime: 0 };
    await service.appendEvent({ session: foreign, event: event('a4', 4_000, { c: 3 }) });
    expect(foreign.events.map((e) => e.id)).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect({ ...foreign.state }).toEqual({ a: 1, b: 2, c: 3 });
    await expect(service.appendEvent({ session: { ...foreign, id: 'missing' }, event: event('a5', 5_000) })).rejects.toThrow('Session missing not found');
  });

  it('lists and pages sessions, orders them by last update, deletes them, as InMemorySessionService', async ({ server }) => {
    const run = async (service: BaseSessionService) => {
      const ids: string[] = [];
      for (const user of ['hal', 'hal', 'ida', 'hal', 'ida']) ids.push((await service.createSession({ appName: 'lister', userId: user })).id);
      // Touch them in an order other than their creation: the last update orders them.
      for (const [k, index] of [2, 0, 4, 1, 3].entries()) {
        const session = (await service.getSession({ appName: 'lister', userId: index === 2 || index === 4 ? 'ida' : 'hal', sessionId: ids[index]! }))!;
        await service.appendEvent({ session, event: event(`e${index}`, 10_000 * (k + 1)) });
      }
      const name = (id: string) => `s${ids.indexOf(id)}`;
      // Sessions by name when ordered; unordered (each service has its own order), their users, sorted.
      const list = async (request: Parameters<BaseSessionService['listSessions']>[0]) => {
        const response = await service.listSessions(request);
        const sessions = request.order !== undefined ? response.sessions.map((s) => name(s.id)) : response.sessions.map((s) => s.userId).sort();
        return { ...response, sessions, lastUpdates: response.sessions.map((s) => s.lastUpdateTime).sort(), events: response.sessions.flatMap((s) => s.events) };
      };
      const result = {
        hal: await list({ appName: 'lister', userId: 'hal' }),
        all: await list({ appName: 'lister' }),
        desc: await list({ appName: 'lister', order: 'desc' }),
        asc: await list({ appName: 'lister', order: 'asc' }),
        page2: await list({ appName: 'lister', order: 'asc', limit: 2, page: 2 }),
        offset: await list({ appName: 'lister', order: 'asc', limit: 2, offset: 3 }),
        offsetOnly: await list({ appName: 'lister', order: 'asc', offset: 4 }),
        beyond: await list({ appName: 'lister', order: 'asc', limit: 2, page: 9 }),
        nobody: await list({ appName: 'lister', userId: 'nobody', limit: 3 }),
        noApp: await list({ appName: 'no-such-app' }),
      };
      await service.deleteSession({ appName: 'lister', userId: 'hal', sessionId: ids[0]! });
      await service.deleteSession({ appName: 'lister', userId: 'hal', sessionId: ids[0]! });
      await service.deleteSession({ appName: 'lister', userId: 'hal', sessionId: ids[2]! }); // ida's: not hal's to delete
      return {
        ...result,
        afterDelete: await list({ appName: 'lister', order: 'asc' }),
        deleted: await service.getSession({ appName: 'lister', userId: 'hal', sessionId: ids[0]! }),
      };
    };
    const ours = await run(new AgentStorageSessionService({ url: server.url }));
    expect(ours.asc.sessions).toEqual(['s2', 's0', 's4', 's1', 's3']);
    expect(ours.page2).toMatchObject({ sessions: ['s4', 's1'], page: 2, limit: 2, totalItems: 5, totalPages: 3 });
    expect(ours).toEqual(await run(new InMemorySessionService()));
  });
});
