import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEventCursor, encodeEventCursor, eventPayload, eventsOf, storedEvent, touches, touchOf } from '../../src/domain/events.js';

describe('event cursors', () => {
  it('round-trip every seq', () => {
    fc.assert(fc.property(fc.maxSafeNat(), (seq) => decodeEventCursor(encodeEventCursor(seq)) === seq));
  });

  it('decode nothing but what encode made: any other string is null, never a throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const seq = decodeEventCursor(text);
        return seq === null || encodeEventCursor(seq) === text;
      }),
    );
    for (const other of [['message', 1], ['event', -1], ['event', 1.5], ['event', '1'], ['event'], ['event', 1, 2]]) {
      expect(decodeEventCursor(Buffer.from(JSON.stringify(other)).toString('base64url'))).toBeNull();
    }
  });
});

describe('events of writes', () => {
  it('store their body beside the columns and read back as they were', () => {
    const [event] = eventsOf.historyCleared({ id: 'session_1', agentName: 'a' }, 3);
    expect(eventPayload(event!)).toEqual({ deleted: 3 });
    const stored = storedEvent({ seq: 7, type: event!.type, sessionId: 'session_1', agentName: 'a', time: '2026-01-01T00:00:00.000Z', payload: { deleted: 3 } });
    expect(stored).toEqual({ ...event, seq: 7, time: '2026-01-01T00:00:00.000Z' });
  });

  it('a write that changed nothing yields nothing', () => {
    expect(eventsOf.historyCleared({ id: 'session_1', agentName: 'a' }, 0)).toEqual([]);
    expect(eventsOf.messagesAppended('a', [])).toEqual([]);
    const metric = { id: 'metric_1', entityType: 'agent', entityName: 'a', sessionId: null, metricName: 'm', value: 1, timestamp: '2026-01-01T00:00:00.000Z', labels: {} };
    expect(eventsOf.metricsInserted([metric, { ...metric, sessionId: 'session_gone' }], new Map())).toEqual([]);
  });
});

describe('wake-ups', () => {
  it('concern the readers of the sessions and agents that got events; an unknown touch concerns everyone', () => {
    const touch = touchOf(eventsOf.stateDeleted({ id: 'session_1', agentName: 'a' }));
    expect(touches(touch, { sessionId: 'session_1' })).toBe(true);
    expect(touches(touch, { agentName: 'a' })).toBe(true);
    expect(touches(touch, { sessionId: 'session_2' })).toBe(false);
    expect(touches(touch, { agentName: 'b' })).toBe(false);
    expect(touches(null, { sessionId: 'session_2' })).toBe(true);
  });
});
