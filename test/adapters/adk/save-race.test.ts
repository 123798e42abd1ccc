import { AgentStorageClient } from '../../../src/client/index.js';
import { describe, expect, it } from '../../support/server-fixture.js';

/** Saves that create artifacts and saves that add versions, at once: none waits for another forever (a PostgreSQL deadlock once). */
describe('saving content by name', () => {
  it('saves creating artifacts and saves adding versions at once all succeed', { timeout: 120_000 }, async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const session = await client.sessions.create({ agentName: 'race' });
    const other = await client.sessions.create({ agentName: 'race' });
    await client.artifacts.saveContent({ sessionId: session.id, name: 'existing', data: 'v0' });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => i % 2 ? client.artifacts.saveContent({ sessionId: other.id, name: `new-${i}`, data: `task ${i}` }) : client.artifacts.saveContent({ sessionId: session.id, name: 'existing', data: `task ${i}` })),
    );
    const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    expect(failed).toEqual([]);
  });
});
