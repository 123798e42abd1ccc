import { Agent, type AgentInputItem, type OutputGuardrail, run, type Session, setTracingDisabled, tool } from '@openai/agents';
import { assistantMessage, functionCall, ScriptedModel } from '@openai/agents/testing';
import { z } from 'zod';

/**
 * The agent of the OpenAI Agents tests (and of the process that continues its conversation): a
 * real `Agent` with a real tool and an output guardrail, run by the SDK's runner, its model a
 * `ScriptedModel` that answers each call with the next scripted output. Offline: tracing is off,
 * no request leaves the machine.
 */
setTracingDisabled(true);

const weather = tool({
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `Sunny in ${city}`,
});

/** An output guardrail that blocks answers giving away a secret. */
const noSecrets: OutputGuardrail = {
  name: 'no-secrets',
  execute: async ({ agentOutput }) => ({ tripwireTriggered: String(agentOutput).includes('secret'), outputInfo: {} }),
};

/** One turn: `input` run on `session` with a model scripted to answer `outputs`; the model's input of each call and the final output. */
export async function turn(session: Session, input: string, outputs: ScriptedOutput[]) {
  const model = new ScriptedModel(outputs.map((output) => [output]));
  const agent = new Agent({ name: 'forecaster', instructions: 'Answer weather questions.', model, tools: [weather], outputGuardrails: [noSecrets] });
  const result = await run(agent, input, { session });
  model.assertComplete();
  return { finalOutput: result.finalOutput, inputs: model.calls.map((call) => call.request.input as AgentInputItem[]) };
}

type ScriptedOutput = ReturnType<typeof assistantMessage> | ReturnType<typeof functionCall>;

/** The first turn: the model calls the tool, then answers. */
export const firstTurn = (session: Session) =>
  turn(session, 'What is the weather in Paris?', [functionCall('get_weather', { city: 'Paris' }, { callId: 'call_paris' }), assistantMessage('It is sunny in Paris.')]);

/** The second turn (run by the other process): the model answers from the history it is given. */
export const secondTurn = (session: Session) => turn(session, 'And what did I ask?', [assistantMessage('You asked about the weather in Paris.')]);
