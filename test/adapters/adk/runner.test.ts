import { type BaseLlmConnection, BaseLlm, type BaseSessionService, type Event, FunctionTool, InMemorySessionService, type LlmRequest, type LlmResponse, LlmAgent, Runner } from '@google/adk';
import { z } from 'zod';
import { AgentStorageSessionService } from '../../../src/adapters/adk/index.js';
import { describe, expect, it } from '../../support/server-fixture.js';

/*
 * A real ADK Runner driving an LlmAgent with a tool, on AgentStorageSessionService and a real
 * server, with an offline model (a BaseLlm answering from a script, as ADK's own tests stub
 * models): two turns, the second by a new Runner and service (another process), which must send
 * the model the first turn read back from storage. The same script on InMemorySessionService must
 * leave the same events and state.
 */

type Reply = LlmResponse['content'];

/** The model: each call answers the next reply of the script, and keeps what it was sent. */
class ScriptedLlm extends BaseLlm {
  readonly requests: LlmRequest[] = [];
  constructor(private readonly script: Reply[]) {
    super({ model: 'scripted' });
  }

  async *generateContentAsync(request: LlmRequest): AsyncGenerator<LlmResponse, void> {
    this.requests.push(structuredClone(request.contents) as unknown as LlmRequest);
    const content = this.script.shift();
    if (!content) throw new Error('the script has no more replies');
    yield { content, turnComplete: true };
  }

  connect(): Promise<BaseLlmConnection> {
    throw new Error('no live connection offline');
  }
}

const say = (text: string): Reply => ({ role: 'model', parts: [{ text }] });
const call = (name: string, args: Record<string, unknown>): Reply => ({ role: 'model', parts: [{ functionCall: { id: `call-${name}`, name, args } }] });

const rememberCity = new FunctionTool({
  name: 'remember_city',
  description: "Remembers the user's city.",
  parameters: z.object({ city: z.string() }),
  execute: ({ city }, context) => {
    context!.state.set('user:city', city);
    context!.state.set('app:lookups', ((context!.state.get('app:lookups') as number | undefined) ?? 0) + 1);
    context!.state.set('temp:raw', city.toUpperCase());
    return { remembered: city };
  },
});

const agent = (model: BaseLlm) => new LlmAgent({ name: 'forecaster', model, instruction: 'You forecast the weather.', tools: [rememberCity], outputKey: 'last_answer' });

async function turn(service: BaseSessionService, model: BaseLlm, sessionId: string, text: string): Promise<Event[]> {
  const runner = new Runner({ appName: 'weather', agent: agent(model), sessionService: service });
  const events: Event[] = [];
  for await (const event of runner.runAsync({ userId: 'kim', sessionId, newMessage: { role: 'user', parts: [{ text }] } })) events.push(event);
  return events;
}

/** An event as compared across services: who said what (ids and times are each run's own). */
const summary = (e: Event) => ({
  author: e.author,
  parts: (e.content?.parts ?? []).map((p) => p.text ?? (p.functionCall && `call ${p.functionCall.name}(${JSON.stringify(p.functionCall.args)})`) ?? (p.functionResponse && `response ${JSON.stringify(p.functionResponse.response)}`)),
  stateDelta: { ...e.actions.stateDelta },
});

async function scenario(first: BaseSessionService, second: BaseSessionService) {
  const session = await first.createSession({ appName: 'weather', userId: 'kim', state: { plan: 'free' } });
  const firstModel = new ScriptedLlm([call('remember_city', { city: 'Paris' }), say('Noted: Paris.')]);
  const firstTurn = await turn(first, firstModel, session.id, 'I live in Paris.');
  const secondModel = new ScriptedLlm([say('Sunny in Paris.')]);
  const secondTurn = await turn(second, secondModel, session.id, 'Weather?');
  const stored = (await second.getSession({ appName: 'weather', userId: 'kim', sessionId: session.id }))!;
  return {
    firstTurn: firstTurn.map(summary),
    secondTurn: secondTurn.map(summary),
    events: stored.events.map(summary),
    state: { ...stored.state },
    // What the model was sent on the second turn: the conversation so far, as read back.
    secondRequest: secondModel.requests[0],
  };
}

describe('an ADK Runner on AgentStorageSessionService', () => {
  it('runs an agent with a tool for two turns, continued by another runner, as on InMemorySessionService', async ({ server }) => {
    const ours = await scenario(new AgentStorageSessionService({ url: server.url }), new AgentStorageSessionService({ url: server.url }));
    const memoryService = new InMemorySessionService();
    const memory = await scenario(memoryService, memoryService);

    expect(ours.state).toEqual({ plan: 'free', 'user:city': 'Paris', 'app:lookups': 1, last_answer: 'Sunny in Paris.' });
    expect(ours.events.map((e) => e.parts)).toEqual([
      ['I live in Paris.'],
      ['call remember_city({"city":"Paris"})'],
      ['response {"remembered":"Paris"}'],
      ['Noted: Paris.'],
      ['Weather?'],
      ['Sunny in Paris.'],
    ]);
    // The tool's temp: write reached neither the stored event nor the state.
    expect(ours.events[2]!.stateDelta).toEqual({ 'user:city': 'Paris', 'app:lookups': 1 });
    expect(JSON.stringify(ours.secondRequest)).toContain('Noted: Paris.');
    expect(ours).toEqual(memory);
  });
});
