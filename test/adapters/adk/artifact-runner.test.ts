import {
  type BaseArtifactService,
  type BaseLlmConnection,
  BaseLlm,
  type BaseSessionService,
  type Event,
  FunctionTool,
  InMemoryArtifactService,
  InMemorySessionService,
  type LlmRequest,
  type LlmResponse,
  LlmAgent,
  Runner,
} from '@google/adk';
import { z } from 'zod';
import { AgentStorageArtifactService, AgentStorageSessionService } from '../../../src/adapters/adk/index.js';
import { describe, expect, it } from '../../support/server-fixture.js';

/*
 * A real ADK Runner driving an LlmAgent whose tool saves and loads artifacts (ToolContext's
 * saveArtifact / loadArtifact) on AgentStorageArtifactService and AgentStorageSessionService,
 * with an offline model answering from a script (as runner.test.ts): one run compared with ADK's
 * in-memory services; then 10 tasks, each with its own runner and services (as processes would
 * be), running at once on one session: no event lost, every state delta applied, every artifact
 * version saved is loadable and holds what its task saved.
 */

type Reply = LlmResponse['content'];

class ScriptedLlm extends BaseLlm {
  constructor(private readonly script: Reply[]) {
    super({ model: 'scripted' });
  }

  async *generateContentAsync(_request: LlmRequest): AsyncGenerator<LlmResponse, void> {
    const content = this.script.shift();
    if (!content) throw new Error('the script has no more replies');
    yield { content, turnComplete: true };
  }

  connect(): Promise<BaseLlmConnection> {
    throw new Error('no live connection offline');
  }
}

const say = (text: string): Reply => ({ role: 'model', parts: [{ text }] });
const call = (id: string, name: string, args: Record<string, unknown>): Reply => ({ role: 'model', parts: [{ functionCall: { id, name, args } }] });
const base64 = (text: string) => Buffer.from(text).toString('base64');

/** Saves a shared report, an artifact of its own and a user artifact; reads back the report version it saved. */
const writeReport = new FunctionTool({
  name: 'write_report',
  description: 'Writes the report of a task.',
  parameters: z.object({ task: z.number() }),
  execute: async ({ task }, context) => {
    const report = `report of task ${task}`;
    const version = await context!.saveArtifact('report.txt', { text: report });
    await context!.saveArtifact(`task-${task}.bin`, { inlineData: { data: base64(`bytes of ${task}`), mimeType: 'application/octet-stream' } });
    const logVersion = await context!.saveArtifact('user:log.txt', { text: `task ${task} ran` });
    const loaded = await context!.loadArtifact('report.txt', version);
    context!.state.set(`task_${task}`, version);
    context!.state.set(`user:log_${task}`, logVersion);
    return { version, loaded: loaded?.text ?? null, keys: (await context!.listArtifacts()).filter((key) => key === `task-${task}.bin`) };
  },
});

const agent = (model: BaseLlm) => new LlmAgent({ name: 'reporter', model, instruction: 'You write reports.', tools: [writeReport] });

async function runTask(services: { sessionService: BaseSessionService; artifactService: BaseArtifactService }, userId: string, sessionId: string, task: number): Promise<Event[]> {
  const model = new ScriptedLlm([call(`call-${task}`, 'write_report', { task }), say(`report ${task} written`)]);
  const runner = new Runner({ appName: 'reports', agent: agent(model), ...services });
  const events: Event[] = [];
  const newMessage = { role: 'user', parts: [{ text: `write report ${task}` }] };
  for await (const event of runner.runAsync({ userId, sessionId, newMessage })) events.push(event);
  return events;
}

const summary = (e: Event) => ({
  author: e.author,
  parts: (e.content?.parts ?? []).map((p) => p.text ?? (p.functionCall && `call ${p.functionCall.name}`) ?? (p.functionResponse && JSON.stringify(p.functionResponse.response))),
  stateDelta: { ...e.actions.stateDelta },
  artifactDelta: { ...e.actions.artifactDelta },
});

/** The tool's answer in a run's events. */
const toolAnswer = (events: Event[]) => events.find((e) => e.content?.parts?.some((p) => p.functionResponse))!;

const TASKS = 10;

describe('an ADK Runner with AgentStorageArtifactService', () => {
  it('runs a tool that saves and loads artifacts, and an uploaded blob saved as an artifact, as on the in-memory services', async ({ server }) => {
    const scenario = async (sessionService: BaseSessionService, artifactService: BaseArtifactService) => {
      const session = await sessionService.createSession({ appName: 'reports', userId: 'ann' });
      const events = await runTask({ sessionService, artifactService }, 'ann', session.id, 1);
      // The Runner saves a message's inline data as an artifact and sends the model its name.
      const runner = new Runner({ appName: 'reports', agent: agent(new ScriptedLlm([say('got it')])), sessionService, artifactService });
      const upload = { role: 'user', parts: [{ inlineData: { data: base64('%PDF'), mimeType: 'application/pdf', displayName: 'upload.pdf' } }] };
      for await (const event of runner.runAsync({ userId: 'ann', sessionId: session.id, newMessage: upload, runConfig: { saveInputBlobsAsArtifacts: true } })) events.push(event);
      const key = { appName: 'reports', userId: 'ann', sessionId: session.id };
      return {
        events: events.map(summary),
        keys: await artifactService.listArtifactKeys(key),
        report: await artifactService.loadArtifact({ ...key, filename: 'report.txt' }),
        upload: await artifactService.loadArtifact({ ...key, filename: 'upload.pdf' }),
        stored: (await sessionService.getSession(key))!,
      };
    };
    const compared = async (sessionService: BaseSessionService, artifactService: BaseArtifactService) => {
      const { stored, ...rest } = await scenario(sessionService, artifactService);
      return { ...rest, state: { ...stored.state }, stored: stored.events.map(summary) };
    };
    const ours = await compared(new AgentStorageSessionService({ url: server.url }), new AgentStorageArtifactService({ url: server.url }));
    const memory = await compared(new InMemorySessionService(), new InMemoryArtifactService());

    expect(ours.keys).toEqual(['report.txt', 'task-1.bin', 'upload.pdf', 'user:log.txt']);
    expect(ours.report).toEqual({ text: 'report of task 1' });
    expect(ours.upload).toEqual({ inlineData: { data: base64('%PDF'), mimeType: 'application/pdf', displayName: 'upload.pdf' } });
    expect(ours.events.find((e) => e.artifactDelta['report.txt'] !== undefined)).toEqual({
      author: 'reporter',
      parts: [JSON.stringify({ version: 0, loaded: 'report of task 1', keys: ['task-1.bin'] })],
      stateDelta: { task_1: 0, 'user:log_1': 0 },
      artifactDelta: { 'report.txt': 0, 'task-1.bin': 0, 'user:log.txt': 0 },
    });
    // The stored user message names the upload instead of carrying its bytes.
    expect(ours.stored.at(-2)!.parts).toEqual(['[Uploaded Artifact: "upload.pdf"]']);
    expect(ours.state).toEqual({ task_1: 0, 'user:log_1': 0 });
    expect(ours).toEqual(memory);
  });

  // A generous timeout: 10 runners at once are slow on a loaded machine (nothing here is timed).
  it(`loses nothing when ${TASKS} tasks run at once on one session, each saving artifacts`, { timeout: 120_000 }, async ({ server }) => {
    const created = await new AgentStorageSessionService({ url: server.url }).createSession({ appName: 'reports', userId: 'bo' });
    const key = { appName: 'reports', userId: 'bo', sessionId: created.id };
    const results = await Promise.all(
      Array.from({ length: TASKS }, (_, task) =>
        runTask({ sessionService: new AgentStorageSessionService({ url: server.url }), artifactService: new AgentStorageArtifactService({ url: server.url }) }, 'bo', created.id, task),
      ),
    );

    // Every task's tool answered with the version it saved, and read back its own report there.
    const answers = results.map((events) => JSON.parse(summary(toolAnswer(events)).parts[0]!) as { version: number; loaded: string; keys: string[] });
    answers.forEach((answer, task) => expect(answer).toMatchObject({ loaded: `report of task ${task}`, keys: [`task-${task}.bin`] }));
    expect(answers.map((a) => a.version).sort((a, b) => a - b)).toEqual(Array.from({ length: TASKS }, (_, i) => i));

    const session = (await new AgentStorageSessionService({ url: server.url }).getSession(key))!;
    expect(session.events).toHaveLength(TASKS * 4);
    expect(new Set(session.events.map((e) => e.id)).size).toBe(TASKS * 4);
    for (let task = 0; task < TASKS; task++) {
      const own = session.events.filter((e) => e.invocationId === results[task]![0]!.invocationId);
      expect(own.map((e) => summary(e).parts[0])).toEqual([`write report ${task}`, 'call write_report', JSON.stringify(answers[task]), `report ${task} written`]);
      expect(session.state[`task_${task}`]).toBe(answers[task]!.version);
      expect(typeof session.state[`user:log_${task}`]).toBe('number');
    }

    const artifacts = new AgentStorageArtifactService({ url: server.url });
    expect(await artifacts.listVersions({ ...key, filename: 'report.txt' })).toEqual(Array.from({ length: TASKS }, (_, i) => i));
    expect(await artifacts.listVersions({ ...key, filename: 'user:log.txt' })).toEqual(Array.from({ length: TASKS }, (_, i) => i));
    for (let task = 0; task < TASKS; task++) {
      expect(await artifacts.loadArtifact({ ...key, filename: 'report.txt', version: answers[task]!.version })).toEqual({ text: `report of task ${task}` });
      expect(await artifacts.loadArtifact({ ...key, filename: 'user:log.txt', version: session.state[`user:log_${task}`] as number })).toEqual({ text: `task ${task} ran` });
      expect(await artifacts.loadArtifact({ ...key, filename: `task-${task}.bin` })).toEqual({ inlineData: { data: base64(`bytes of ${task}`), mimeType: 'application/octet-stream' } });
    }
    expect(await artifacts.listArtifactKeys(key)).toEqual(['report.txt', ...Array.from({ length: TASKS }, (_, i) => `task-${i}.bin`).sort(), 'user:log.txt']);
  });
});
