import { createEvent, createEventActions } from '@google/adk';
import { AgentStorageSessionService } from '../../../src/adapters/adk/index.js';
import { AgentStorageClient } from '../../../src/client/index.js';
import { describe, expect, it } from '../../support/server-fixture.js';

/*
 * The stale-session bug ADK users report most (google/adk-python#917, #3717): tasks appending to
 * one session, each through its own Session object read before the others wrote. Here 10 tasks,
 * each on its own service instance (as separate processes would be), append 5 events each with
 * session, user and app deltas: every event is stored once, in each task's order, and every
 * delta applied — nothing a task wrote is undone by another's stale copy.
 */

const TASKS = 10;
const EVENTS = 5;

describe('concurrent appendEvent on one session', () => {
  it('loses no event and applies every state delta', async ({ server }) => {
    const creator = new AgentStorageSessionService({ url: server.url });
    const created = await creator.createSession({ appName: 'crowd', userId: 'joe', state: { shared: 'initial' } });
    const key = { appName: 'crowd', userId: 'joe', sessionId: created.id };

    // Every task reads the session first: all start from the same (soon stale) copy.
    const services = Array.from({ length: TASKS }, () => new AgentStorageSessionService({ url: server.url }));
    const sessions = await Promise.all(services.map((service) => service.getSession(key)));
    await Promise.all(
      services.map(async (service, task) => {
        const session = sessions[task]!;
        for (let i = 0; i < EVENTS; i++) {
          const stateDelta = { [`t${task}_${i}`]: i, [`user:t${task}`]: i, [`app:t${task}`]: i, shared: `t${task}_${i}`, [`temp:t${task}`]: i };
          await service.appendEvent({
            session,
            event: createEvent({ id: `t${task}-e${i}`, invocationId: `t${task}`, author: 'worker', timestamp: 1_000 + i, content: { role: 'model', parts: [{ text: `${task}/${i}` }] }, actions: createEventActions({ stateDelta }) }),
          });
          // The task's own Session holds its events so far, in order (the others' too, as read).
          const own = session.events.filter((e) => e.invocationId === `t${task}`).map((e) => e.id);
          expect(own).toEqual(Array.from({ length: i + 1 }, (_, j) => `t${task}-e${j}`));
          expect(session.state[`t${task}_${i}`]).toBe(i);
        }
      }),
    );

    const read = (await new AgentStorageSessionService({ url: server.url }).getSession(key))!;
    expect(read.events).toHaveLength(TASKS * EVENTS);
    expect(new Set(read.events.map((e) => e.id)).size).toBe(TASKS * EVENTS);
    for (let task = 0; task < TASKS; task++) {
      expect(read.events.filter((e) => e.invocationId === `t${task}`).map((e) => e.id)).toEqual(Array.from({ length: EVENTS }, (_, i) => `t${task}-e${i}`));
    }
    const expected: Record<string, unknown> = {};
    for (let task = 0; task < TASKS; task++) {
      for (let i = 0; i < EVENTS; i++) expected[`t${task}_${i}`] = i;
      expected[`user:t${task}`] = EVENTS - 1;
      expected[`app:t${task}`] = EVENTS - 1;
    }
    const { shared, ...rest } = read.state;
    expect(rest).toEqual(expected);
    // The shared key holds some task's last write (ADK's last-writer-wins for one key).
    expect(shared).toMatch(new RegExp(`^t\\d_${EVENTS - 1}$`));
    expect(Object.keys(read.state).some((k) => k.startsWith('temp:'))).toBe(false);

    // Stored as the service's records: one message per event, in seq order, keyed by event id.
    const messages = await new AgentStorageClient({ url: server.url }).history.latest(created.id);
    expect(messages.map((m) => m.idempotencyKey)).toEqual(read.events.map((e) => e.id));
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: TASKS * EVENTS }, (_, i) => i + 1));
  });

  it('creates one app-state holder however many services race to write app state first', async ({ server }) => {
    const services = Array.from({ length: TASKS }, () => new AgentStorageSessionService({ url: server.url }));
    const sessions = await Promise.all(services.map((service, task) => service.createSession({ appName: 'racers', userId: `u${task}`, state: { [`app:k${task}`]: task } })));
    const expected = Object.fromEntries(sessions.map((_, task) => [`app:k${task}`, task]));
    for (const session of sessions) {
      const read = await new AgentStorageSessionService({ url: server.url }).getSession({ appName: 'racers', userId: session.userId, sessionId: session.id });
      expect(read!.state).toEqual(expected);
    }
  });
  it('retires a younger app-state holder into the oldest without losing its writes', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const first = new AgentStorageSessionService({ url: server.url });
    await first.createSession({ appName: 'merger', userId: 'lee', state: { 'app:a': 1, 'app:shared': 'old' } });
    // What a process that raced to create the first holder, and saw only its own, would leave.
    const younger = await client.sessions.create({ agentName: 'adk-app:merger' });
    await client.state.set(younger.id, { b: 2, shared: 'young' });

    const other = new AgentStorageSessionService({ url: server.url });
    const session = await other.createSession({ appName: 'merger', userId: 'max' });
    expect({ ...session.state }).toEqual({ 'app:a': 1, 'app:b': 2, 'app:shared': 'young' });
    // The younger one now only points to the holder in use, which every process keeps using.
    const holders = (await client.sessions.list({ agentName: 'adk-app:merger' })).nodes;
    expect(holders).toHaveLength(2);
    const oldest = holders.find((h) => h.id !== younger.id)!;
    expect((await client.state.get(younger.id))?.data).toEqual({ '$adk:movedTo': oldest.id });
    await first.appendEvent({ session: (await first.getSession({ appName: 'merger', userId: 'lee', sessionId: (await first.listSessions({ appName: 'merger', userId: 'lee' })).sessions[0]!.id }))!, event: createEvent({ author: 'user', actions: createEventActions({ stateDelta: { 'app:c': 3 } }) }) });
    expect((await client.state.get(oldest.id))?.data).toEqual({ a: 1, b: 2, c: 3, shared: 'young' });
  });
});
