import { validateUIMessages, type UIMessage } from 'ai';
import fc from 'fast-check';
import { createChatStore } from '../../../src/adapters/ai-sdk/index.js';
import { AgentStorageClient, AgentStorageError, type FetchLike, type Message, type Page } from '../../../src/client/index.js';
import { describe, expect, it, test } from '../../support/server-fixture.js';

/*
 * createChat / loadChat / saveChat against a real server: messages kept exactly as given, saves
 * that are no-ops when nothing changed, in-place replacement of a changed message, suffix rewrites
 * that keep the originals, racing saves that never duplicate, and the errors a caller meets.
 * (Pages of 5 so that every chat longer than that is read across pages.)
 */

test.override({ env: { MAX_PAGE_SIZE: '5' } });

/** A fetch that records the GraphQL operations it sends, by name. */
function recordingFetch() {
  const sent: string[] = [];
  const fetchLike: FetchLike = async (input, init) => {
    sent.push(/(?:query|mutation)\s+(\w+)/.exec(JSON.parse(String(init.body)).query)?.[1] ?? '?');
    return fetch(input, init);
  };
  return { sent, fetch: fetchLike };
}

/** Every stored message of the chat, read page by page (pages are small in this file). */
async function allMessages(client: AgentStorageClient, chatId: string): Promise<Message[]> {
  const messages: Message[] = [];
  let after: string | null = null;
  do {
    const page: Page<Message> = await client.history.list(chatId, { after });
    messages.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
  } while (after !== null);
  return messages;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AgentStorageError);
  return (error as AgentStorageError).code;
}

const user = (id: string, text: string): UIMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });
const assistant = (id: string, text: string): UIMessage => ({ id, role: 'assistant', parts: [{ type: 'step-start' }, { type: 'text', text, state: 'done' }] });

/** A message with every kind of part the AI SDK stores, metadata, and text a byte-exact store must keep. */
const rich: UIMessage = {
  id: 'msg-rich',
  role: 'assistant',
  metadata: { createdAt: 1765080000000, model: 'mock', nested: { z: 1, a: [null, true, 1.5e-7] } },
  parts: [
    { type: 'step-start' },
    { type: 'reasoning', text: 'Thinking… 🤔', state: 'done', providerMetadata: { mock: { signature: 'sig' } } },
    { type: 'tool-weather', toolCallId: 'call-1', state: 'output-available', input: { city: 'Zürich' }, output: { celsius: -0.5, sky: 'clear' } },
    { type: 'dynamic-tool', toolName: 'lookup', toolCallId: 'call-2', state: 'output-error', input: { q: 'x' }, errorText: 'not found' },
    { type: 'source-url', sourceId: 's1', url: 'https://example.com/a?b=c', title: 'A' },
    { type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,iVBORw0KGgo=' },
    { type: 'data-weather', id: 'd1', data: { city: 'Zürich', temperatures: [1, 2, 3] } },
    { type: 'text', text: 'Line one\nline "two"\t\\ \u0000 \u2028 end', state: 'done' },
  ],
};

describe('createChatStore', () => {
  it('createChat makes an empty chat (a session with the store’s agent name); loadChat of an unknown chat is NOT_FOUND, as is saveChat', async ({ server }) => {
    const store = createChatStore({ url: server.url, agentName: 'support-bot' });
    const chatId = await store.createChat({ userId: 'user-7', metadata: { topic: 'billing' } });
    expect(chatId).toMatch(/^session_/);
    expect(await store.client.sessions.get(chatId)).toMatchObject({ agentName: 'support-bot', userId: 'user-7', metadata: { topic: 'billing' } });
    expect(await store.loadChat(chatId)).toEqual([]);

    const error = await store.loadChat('session_unknown').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentStorageError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('session_unknown') });
    expect(await codeOf(store.saveChat({ chatId: 'session_unknown', messages: [user('u1', 'hi')] }))).toBe('NOT_FOUND');
  });

  it('keeps each UIMessage exactly: every part kind, metadata, odd text, member order; loadChat passes validateUIMessages', async ({ server }) => {
    const store = createChatStore({ url: server.url });
    const chatId = await store.createChat();
    const messages = [user('u1', 'Weather in Zürich?'), rich];
    await store.saveChat({ chatId, messages });
    const loaded = await store.loadChat(chatId);
    expect(loaded).toStrictEqual(messages);
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(messages));
    expect(await validateUIMessages({ messages: loaded })).toEqual(messages);
    const stored = (await allMessages(store.client, chatId));
    expect(stored.map(({ role, idempotencyKey }) => ({ role, idempotencyKey }))).toEqual([
      { role: 'USER', idempotencyKey: 'u1' },
      { role: 'ASSISTANT', idempotencyKey: 'msg-rich' },
    ]);
  });

  it('saving the same list again sends no write and changes nothing; members left undefined by the AI SDK count as absent', async ({ server }) => {
    const recorded = recordingFetch();
    const store = createChatStore({ url: server.url, fetch: recorded.fetch });
    const chatId = await store.createChat();
    const messages = [user('u1', 'a'), assistant('a1', 'b'), user('u2', 'c'), assistant('a2', 'd'), user('u3', 'e'), assistant('a3', 'f'), user('u4', 'g')];
    await store.saveChat({ chatId, messages });
    const before = (await allMessages(store.client, chatId));

    recorded.sent.splice(0);
    await store.saveChat({ chatId, messages });
    await store.saveChat({ chatId, messages: messages.map((m) => ({ ...m, metadata: undefined })) });
    await store.saveChat({ chatId, messages: await store.loadChat(chatId) });
    expect(recorded.sent.every((name) => name === 'History')).toBe(true);
    expect((await allMessages(store.client, chatId))).toEqual(before);
    expect((await store.client.history.superseded(chatId)).totalCount).toBe(0);
  });

  it('a message saved again with another body (a continued answer) is replaced where it stands; its previous body stays superseded', async ({ server }) => {
    const store = createChatStore({ url: server.url });
    const chatId = await store.createChat();
    await store.saveChat({ chatId, messages: [user('u1', 'a'), assistant('a1', 'calling a tool'), user('u2', 'b')] });
    const before = (await allMessages(store.client, chatId));

    const continued = assistant('a1', 'calling a tool — done');
    await store.saveChat({ chatId, messages: [user('u1', 'a'), continued, user('u2', 'b'), assistant('a2', 'c')] });
    const after = (await allMessages(store.client, chatId));
    expect(after.slice(0, 3).map(({ id, seq }) => ({ id, seq }))).toEqual(before.map(({ id, seq }) => ({ id, seq })));
    expect(after.map((m) => m.item)).toEqual([user('u1', 'a'), continued, user('u2', 'b'), assistant('a2', 'c')]);
    const superseded = (await store.client.history.superseded(chatId)).nodes;
    expect(superseded.map((entry) => [entry.reason, entry.message.item])).toEqual([['REPLACED', assistant('a1', 'calling a tool')]]);
  });

  it('a list that leaves the stored one replaces the stored messages from there on: dropped, edited, reordered, emptied', async ({ server }) => {
    const store = createChatStore({ url: server.url });
    const chatId = await store.createChat();
    const [u1, a1, u2, a2] = [user('u1', 'a'), assistant('a1', 'b'), user('u2', 'c'), assistant('a2', 'd')];
    const lists: UIMessage[][] = [
      [u1, a1, u2, a2],
      [u1, a1, u2], // the last answer dropped
      [u1, a1, user('u2-edited', 'c!'), assistant('a2-new', 'e')], // an edited turn
      [u1, assistant('a2-new', 'e'), a1], // reordered, with an id stored before
      [u1, a1, u2, a2], // back to ids that are superseded now
      [],
      [u2],
    ];
    for (const messages of lists) {
      await store.saveChat({ chatId, messages });
      expect(await store.loadChat(chatId)).toEqual(messages);
      const keys = (await allMessages(store.client, chatId)).map((m) => m.idempotencyKey);
      expect(keys).toEqual(messages.map((m) => m.id));
    }
  });

  it('saves racing on one chat never duplicate a message: the same list from many saves, then different lists, each ending as one whole list', async ({ server }) => {
    const store = createChatStore({ url: server.url });
    const chatId = await store.createChat();
    const base = [user('u1', 'a'), assistant('a1', 'b')];
    await store.saveChat({ chatId, messages: base.slice(0, 1) });

    await Promise.all(Array.from({ length: 8 }, () => createChatStore({ url: server.url }).saveChat({ chatId, messages: base })));
    expect(await store.loadChat(chatId)).toEqual(base);

    const candidates = Array.from({ length: 6 }, (_, i) => [...base, user(`u2-${i}`, `q${i}`), assistant(`a2-${i}`, `r${i}`)]);
    await Promise.all(candidates.map((messages) => createChatStore({ url: server.url }).saveChat({ chatId, messages })));
    const final = await store.loadChat(chatId);
    expect(candidates).toContainEqual(final);
    const keys = (await allMessages(store.client, chatId)).map((m) => m.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('any sequence of saves leaves the chat equal to the last list saved, each id stored once (property)', async ({ server }) => {
    const store = createChatStore({ url: server.url });
    // Few ids and bodies: lists share prefixes, reuse ids that were replaced, and change bodies in place.
    const messageArb = fc
      .record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), role: fc.constantFrom('user', 'assistant'), text: fc.constantFrom('x', 'y') })
      .map(({ id, role, text }) => (role === 'user' ? user(id, text) : assistant(id, text)));
    const listArb = fc.uniqueArray(messageArb, { selector: (m) => m.id, maxLength: 7 });
    await fc.assert(
      fc.asyncProperty(fc.array(listArb, { minLength: 1, maxLength: 5 }), async (lists) => {
        const chatId = await store.createChat();
        for (const messages of lists) {
          await store.saveChat({ chatId, messages });
          expect(await store.loadChat(chatId)).toEqual(messages);
          expect((await allMessages(store.client, chatId)).map((m) => m.idempotencyKey)).toEqual(messages.map((m) => m.id));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a save whose chat changed between its read and its write reads it again and still ends as its list; after maxSaveAttempts, CONFLICT', async ({ server }) => {
    const store = createChatStore({ url: server.url });
    const chatId = await store.createChat();
    await store.saveChat({ chatId, messages: [user('u1', 'a'), assistant('a1', 'b')] });
    const theirs = [user('u1', 'a'), assistant('a1', 'b'), user('u2', 'theirs'), assistant('a2', 'theirs')];
    const mine = [user('u1', 'a'), assistant('a1', 'b'), user('u2-mine', 'mine')];

    /** A fetch that lets another save land just before each of the first `times` rewrites this store sends. */
    const overtaken = (times: number) => {
      const sent: string[] = [];
      let turn = 0;
      const fetchLike: FetchLike = async (input, init) => {
        const name = /(?:query|mutation)\s+(\w+)/.exec(JSON.parse(String(init.body)).query)?.[1] ?? '?';
        sent.push(name);
        if (name === 'RewriteHistory' && times-- > 0) {
          await store.saveChat({ chatId, messages: turn++ % 2 === 0 ? theirs : theirs.slice(0, 3) }); // a change every time
        }
        return fetch(input, init);
      };
      return { sent, fetch: fetchLike };
    };

    const once = overtaken(1);
    await createChatStore({ url: server.url, fetch: once.fetch }).saveChat({ chatId, messages: mine });
    expect(once.sent.filter((name) => name === 'RewriteHistory')).toHaveLength(2);
    expect(await store.loadChat(chatId)).toEqual(mine);
    const keys = (await allMessages(store.client, chatId)).map((m) => m.idempotencyKey);
    expect(keys).toEqual(['u1', 'a1', 'u2-mine']);

    const always = overtaken(3);
    const limited = createChatStore({ url: server.url, fetch: always.fetch, maxSaveAttempts: 3 });
    expect(await codeOf(limited.saveChat({ chatId, messages: [...mine, assistant('a3', 'never')] }))).toBe('CONFLICT');
    expect(always.sent.filter((name) => name === 'RewriteHistory')).toHaveLength(3);
  });

  it('a rewrite checks the replaced messages themselves, not only the last seq: an answer continued in place meanwhile is read again', async ({ server }) => {
    const store = createChatStore({ url: server.url });
    const chatId = await store.createChat();
    await store.saveChat({ chatId, messages: [user('u1', 'a'), assistant('a1', 'first')] });
    const sent: string[] = [];
    const fetchLike: FetchLike = async (input, init) => {
      const name = /(?:query|mutation)\s+(\w+)/.exec(JSON.parse(String(init.body)).query)?.[1] ?? '?';
      // Same id, same seq, another body: only expectedItems can tell.
      if (name === 'RewriteHistory' && !sent.includes(name)) await store.saveChat({ chatId, messages: [user('u1', 'a'), assistant('a1', 'first, continued')] });
      sent.push(name);
      return fetch(input, init);
    };
    const regenerated = [user('u1', 'a'), assistant('a1-again', 'second')];
    await createChatStore({ url: server.url, fetch: fetchLike }).saveChat({ chatId, messages: regenerated });
    expect(sent.filter((name) => name === 'RewriteHistory')).toHaveLength(2);
    expect(await store.loadChat(chatId)).toEqual(regenerated);
    const superseded = (await store.client.history.superseded(chatId)).nodes.map((entry) => [entry.reason, entry.message.item]);
    expect(superseded).toEqual([['REPLACED', assistant('a1', 'first')], ['REWRITTEN', assistant('a1', 'first, continued')]]);
  });

  it('messages written by other means load as text UIMessages under their service ids, and a save takes them over', async ({ server }) => {
    const store = createChatStore({ url: server.url });
    const chatId = await store.createChat();
    const written = await store.client.history.appendMany(chatId, [
      { role: 'USER', content: 'from the REST API' },
      { role: 'ASSISTANT', content: 'an answer' },
    ]);
    const loaded = await store.loadChat(chatId);
    expect(loaded).toEqual([
      { id: written[0]!.id, role: 'user', parts: [{ type: 'text', text: 'from the REST API' }] },
      { id: written[1]!.id, role: 'assistant', parts: [{ type: 'text', text: 'an answer' }] },
    ]);
    expect(await validateUIMessages({ messages: loaded })).toEqual(loaded);

    const messages = [...loaded, user('u3', 'and now through the AI SDK')];
    await store.saveChat({ chatId, messages });
    expect(await store.loadChat(chatId)).toEqual(messages);
    await store.saveChat({ chatId, messages });
    expect(await allMessages(store.client, chatId)).toHaveLength(3);
  });

  it('refuses lists it cannot store faithfully before sending anything: a message without an id, an id twice, an unknown role', async ({ server }) => {
    const recorded = recordingFetch();
    const client = new AgentStorageClient({ url: server.url, fetch: recorded.fetch });
    const store = createChatStore({ client });
    const chatId = 'session_never_read';
    const noId = await store.saveChat({ chatId, messages: [user('u1', 'a'), { ...assistant('', 'b') }] }).catch((e: unknown) => e);
    expect(noId).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('generateMessageId') });
    expect(await codeOf(store.saveChat({ chatId, messages: [user('u1', 'a'), user('u1', 'b')] }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(store.saveChat({ chatId, messages: [{ id: 't', role: 'tool', parts: [] } as unknown as UIMessage] }))).toBe('BAD_USER_INPUT');
    expect(recorded.sent).toEqual([]);
    expect(store.client).toBe(client);
  });

  it('generateId makes distinct msg- ids by default, or uses the one given', async ({ server }) => {
    const store = createChatStore({ url: server.url });
    const ids = new Set(Array.from({ length: 100 }, () => store.generateId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^msg-[A-Za-z0-9]{16}$/);
    let n = 0;
    expect(createChatStore({ url: server.url, generateId: () => `mine-${++n}` }).generateId()).toBe('mine-1');
  });
});
