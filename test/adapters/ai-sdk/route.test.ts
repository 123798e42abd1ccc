import { validateUIMessages, type UIMessage } from 'ai';
import { onTestFinished } from 'vitest';
import { createChatStore, type ChatStore } from '../../../src/adapters/ai-sdk/index.js';
import { describe, expect, it, type TestServer } from '../../support/server-fixture.js';
import { chatRoute, postChat, ScriptedModel, serveRoute, userMessage, type ChatAppOptions } from './chat-app.js';

/*
 * The store inside an AI SDK app, end to end: a POST route of streamText + toUIMessageStreamResponse
 * saving in onFinish, a client reading the stream with fetch, and the agent-storage service behind.
 * Whatever the client does — send twice, hang up mid-answer, send again, regenerate — the chat holds
 * each message once, and what was replaced stays readable as superseded.
 */

async function chatApp(server: TestServer, answers: string[], options: ChatAppOptions = {}) {
  const store = createChatStore({ url: server.url });
  const model = new ScriptedModel(answers);
  const route = chatRoute(store, model, options);
  const app = await serveRoute(route.POST);
  onTestFinished(() => app.close());
  return { store, model, route, app, chatId: await store.createChat() };
}

/** The chat as the service holds it: each message's AI SDK id (its idempotency key), in order. */
async function storedIds(store: ChatStore, chatId: string): Promise<string[]> {
  const page = await store.client.history.list(chatId);
  return page.nodes.map((message) => message.idempotencyKey ?? `(none: ${message.id})`);
}

/** A message as JSON keeps it: members the AI SDK left undefined are absent. */
const asStored = (message: UIMessage | undefined) => JSON.parse(JSON.stringify(message)) as UIMessage;

const textOf = (message: UIMessage | undefined) => message?.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

describe('an AI SDK chat route saving through the store', () => {
  it('stores every turn as the UIMessages the client built from the stream, under server ids; loadChat passes validateUIMessages', async ({ server }) => {
    const { store, route, app, chatId } = await chatApp(server, ['Hello there, friend.', 'Fine, thanks.']);
    const first = await postChat(app.url, { id: chatId, message: userMessage('u1', 'Hi!') });
    const second = await postChat(app.url, { id: chatId, message: userMessage('u2', 'How are you?') });
    await route.saves.settled(2);

    expect(textOf(first.message)).toBe('Hello there, friend.');
    expect(first.message?.id).toMatch(/^msg-\w{16}$/);
    const loaded = await store.loadChat(chatId);
    expect(loaded).toEqual([userMessage('u1', 'Hi!'), first.message, userMessage('u2', 'How are you?'), second.message]);
    expect(await validateUIMessages({ messages: loaded })).toEqual(loaded);
    expect(await storedIds(store, chatId)).toEqual(['u1', first.message!.id, 'u2', second.message!.id]);
    // Beside each item, the service keeps its text (for search and the console).
    const rows = (await store.client.history.list(chatId)).nodes.map(({ role, content }) => [role, content]);
    expect(rows).toEqual([['USER', 'Hi!'], ['ASSISTANT', 'Hello there, friend.'], ['USER', 'How are you?'], ['ASSISTANT', 'Fine, thanks.']]);
  });

  it('a request sent twice leaves one copy of each message: the second answer replaces the first, which stays superseded', async ({ server }) => {
    const { store, route, app, chatId } = await chatApp(server, ['First try.', 'Second try.']);
    const request = { id: chatId, message: userMessage('u1', 'Hi!') };
    const first = await postChat(app.url, request);
    const second = await postChat(app.url, request);
    await route.saves.settled(2);

    expect(await storedIds(store, chatId)).toEqual(['u1', second.message!.id]);
    expect(await store.loadChat(chatId)).toEqual([request.message, second.message]);
    const superseded = await store.client.history.superseded(chatId);
    expect(superseded.nodes.map((entry) => [entry.reason, entry.message.item])).toEqual([['REWRITTEN', first.message]]);
  });

  it('a client that hangs up mid-answer: with consumeSseStream the server still saves the whole answer, once; sending again replaces it', async ({ server }) => {
    const { store, model, route, app, chatId } = await chatApp(server, ['The whole answer arrives anyway.', 'Asked again.'], { finishWithoutClient: true });
    const request = { id: chatId, message: userMessage('u1', 'Tell me everything.') };
    const held = model.holdNextAnswer();
    const hungUp = app.nextHangUp();
    const cut = await postChat(app.url, request, { hangUpAfterText: true });
    await hungUp;
    held.release();
    await route.saves.settled(1);

    expect(cut.aborted).toBe(true);
    expect(textOf(cut.message)).toBe('The ');
    const [, answer] = await store.loadChat(chatId);
    expect(answer).toMatchObject({ id: cut.message!.id, role: 'assistant' });
    expect(textOf(answer)).toBe('The whole answer arrives anyway.');
    expect(await storedIds(store, chatId)).toEqual(['u1', cut.message!.id]);

    // The browser retries the request it never saw answered.
    const again = await postChat(app.url, request);
    await route.saves.settled(2);
    expect(await storedIds(store, chatId)).toEqual(['u1', again.message!.id]);
    expect(textOf((await store.loadChat(chatId))[1])).toBe('Asked again.');
  });

  it('a client that hangs up mid-answer: without it the partial answer is saved, and sending again replaces it with one whole answer', async ({ server }) => {
    const { store, model, route, app, chatId } = await chatApp(server, ['Cut short here.', 'The complete answer.']);
    const request = { id: chatId, message: userMessage('u1', 'Go on.') };
    const held = model.holdNextAnswer();
    const hungUp = app.nextHangUp();
    const cut = await postChat(app.url, request, { hangUpAfterText: true });
    await hungUp;
    held.release();
    await route.saves.settled(1);

    const [, partial] = await store.loadChat(chatId);
    expect(partial?.id).toBe(cut.message!.id);
    expect('Cut short here.'.startsWith(textOf(partial)!)).toBe(true);
    expect(textOf(partial)).not.toBe('Cut short here.');

    const again = await postChat(app.url, request);
    await route.saves.settled(2);
    expect(await storedIds(store, chatId)).toEqual(['u1', again.message!.id]);
    expect(textOf((await store.loadChat(chatId))[1])).toBe('The complete answer.');
    const superseded = await store.client.history.superseded(chatId);
    expect(superseded.nodes.map((entry) => (entry.message.item as UIMessage).id)).toEqual([cut.message!.id]);
  });

  it('regenerate replaces the last answer only: earlier messages keep their ids and positions, the original answer is readable as superseded', async ({ server }) => {
    const { store, route, app, chatId } = await chatApp(server, ['One.', 'Two.', 'Two, regenerated.']);
    await postChat(app.url, { id: chatId, message: userMessage('u1', 'Count.') });
    const original = await postChat(app.url, { id: chatId, message: userMessage('u2', 'Next.') });
    await route.saves.settled(2);
    const before = (await store.client.history.list(chatId)).nodes;

    // useChat's regenerate() sends the last user message again (the answer to it is what is redone).
    const regenerated = await postChat(app.url, { id: chatId, message: userMessage('u2', 'Next.') });
    await route.saves.settled(3);

    const after = (await store.client.history.list(chatId)).nodes;
    expect(after.slice(0, 3).map(({ id, seq }) => ({ id, seq }))).toEqual(before.slice(0, 3).map(({ id, seq }) => ({ id, seq })));
    expect(after.map((message) => message.idempotencyKey)).toEqual([before[0]!.idempotencyKey, before[1]!.idempotencyKey, 'u2', regenerated.message!.id]);
    expect(textOf((await store.loadChat(chatId))[3])).toBe('Two, regenerated.');
    const superseded = await store.client.history.superseded(chatId);
    expect(superseded.nodes).toHaveLength(1);
    expect(superseded.nodes[0]).toMatchObject({ reason: 'REWRITTEN', message: { id: before[3]!.id, item: asStored(original.message) } });
  });

  it('a route without generateMessageId streams answers without ids: the save is refused (BAD_USER_INPUT), the chat keeps what it had', async ({ server }) => {
    const { store, route, app, chatId } = await chatApp(server, ['No id.'], { withoutMessageIds: true });
    const reply = await postChat(app.url, { id: chatId, message: userMessage('u1', 'Hi!') });
    expect(reply.message?.id ?? '').toBe('');
    expect(textOf(reply.message)).toBe('No id.');
    const refused = await route.saves.settled(1).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('generateMessageId') });
    expect(await store.loadChat(chatId)).toEqual([]);
  });
});
