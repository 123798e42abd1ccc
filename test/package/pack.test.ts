import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

/*
 * The package as users get it: the build (scripts/build.mjs, what `npm run build` and `prepack`
 * run) and `npm pack` into a temporary folder, then a scratch project outside the repository
 * installs the tarball, type-checks a file that imports `agent-storage/client` (strict, NodeNext,
 * with the declarations checked too), and runs a script against a real server. The same script
 * runs once more with nothing but the package installed: the client needs none of the server's
 * dependencies (nor any framework's). `agent-storage/langgraph` is type-checked and run in the first
 * project with its peers (LangGraph's checkpoint package and @langchain/core) installed.
 *
 * Built in a staging folder, not in the repository's dist/, which `npm start` may be running.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const run = promisify(execFile);

let work: string;
let server: TestServer;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'agent-storage-pack-'));
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function node(args: string[], cwd: string): Promise<string> {
  return (await run(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 })).stdout;
}

async function npm(args: string[], cwd: string): Promise<string> {
  return (await run('npm', args, { cwd, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } })).stdout;
}

/** The package's folder as `npm pack` sees it: package.json, what `files` names, and dist/ freshly built. */
async function stage(): Promise<string> {
  const staging = join(work, 'package');
  mkdirSync(staging);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  for (const path of ['package.json', 'README.md', ...pkg.files.filter((f) => f !== 'dist')]) {
    cpSync(join(ROOT, path), join(staging, path), { recursive: true });
  }
  await node([join(ROOT, 'scripts', 'build.mjs'), `--outdir=${join(staging, 'dist')}`], ROOT);
  return staging;
}

/** The import specifiers of an ES module's text (static, dynamic, re-exports). */
function importsOf(code: string): string[] {
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)].map((m) => m[1]!);
}

const CHECK_TS = `
import { AgentStorageClient, AgentStorageError, GetSessionDocument, type Session, type StorageEvent } from 'agent-storage/client';

const client = new AgentStorageClient({ url: 'http://127.0.0.1:8084', apiKey: 'key', retry: { maxAttempts: 2 } });
export const created: Promise<Session> = client.sessions.create({ agentName: 'a', metadata: { any: 'json' } });
export const agentName: Promise<string | undefined> = client.request(GetSessionDocument, { id: 'x' }).then((r) => r.session?.agentName);
// @ts-expect-error GetSession takes \`id\`
void client.request(GetSessionDocument, { sessionId: 'x' });
// @ts-expect-error roles are the schema's enum
void client.history.append('s', { role: 'user', content: 'hi' });
export async function follow(): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of client.sessionEvents('s', { after: 'c' })) {
    const e: StorageEvent = event;
    if (e.__typename === 'MessageAdded') seen.push(e.message.content);
  }
  return seen;
}
export function code(error: unknown): string | undefined {
  return error instanceof AgentStorageError ? error.code : undefined;
}
`;

const RUN_MJS = `
import { AgentStorageClient, AgentStorageError } from 'agent-storage/client';

const client = new AgentStorageClient({ url: process.argv[2] });
const session = await client.sessions.create({ agentName: 'packed' });
await client.history.append(session.id, { role: 'USER', content: 'from the tarball', idempotencyKey: 'k1' });
const history = await client.history.list(session.id);
let code;
try {
  await client.sessions.update('session_missing', { status: 'ENDED' });
} catch (error) {
  code = error instanceof AgentStorageError ? error.code : String(error);
}
console.log(JSON.stringify({ agentName: session.agentName, contents: history.nodes.map((m) => m.content), code }));
`;

// agent-storage/langgraph, with its peers installed: typed against LangGraph's own declarations.
const CHECK_LANGGRAPH_TS = `
import { BaseCheckpointSaver, emptyCheckpoint, type CheckpointTuple } from '@langchain/langgraph-checkpoint';
import { AgentStorageClient } from 'agent-storage/client';
import { AgentStorageSaver } from 'agent-storage/langgraph';

const saver: BaseCheckpointSaver = new AgentStorageSaver({ url: 'http://127.0.0.1:8084', apiKey: 'key', ttlSeconds: 60 });
export const same: AgentStorageSaver = AgentStorageSaver.fromClient(new AgentStorageClient({ url: 'http://127.0.0.1:8084' }));
export const tuple: Promise<CheckpointTuple | undefined> = saver.getTuple({ configurable: { thread_id: 't' } });
export const put = saver.put({ configurable: { thread_id: 't' } }, emptyCheckpoint(), { source: 'input', step: -1, parents: {} }, {});
export const pruned: Promise<number> = same.prune(['t'], { keep: 1 }).then((counts) => counts.checkpoints);
// @ts-expect-error thread ids are strings
void same.copyThread(1, 't2');
`;

const RUN_LANGGRAPH_MJS = `
import { emptyCheckpoint } from '@langchain/langgraph-checkpoint';
import { AgentStorageSaver } from 'agent-storage/langgraph';

const saver = new AgentStorageSaver({ url: process.argv[2] });
const checkpoint = { ...emptyCheckpoint(), channel_values: { greeting: 'from the tarball' }, channel_versions: { greeting: 1 } };
const config = await saver.put({ configurable: { thread_id: 'packed' } }, checkpoint, { source: 'input', step: -1, parents: {} }, { greeting: 1 });
const tuple = await saver.getTuple(config);
console.log(JSON.stringify(tuple.checkpoint.channel_values));
`;

// agent-storage/openai-agents and agent-storage/ai-sdk, with their peers installed: typed against
// the frameworks' own declarations, and run.
const CHECK_ADAPTERS_TS = `
import type { Session, SessionHistoryTransactionAwareSession } from '@openai/agents-core';
import { validateUIMessages, type UIMessage } from 'ai';
import { AgentStorageSession } from 'agent-storage/openai-agents';
import { createChatStore } from 'agent-storage/ai-sdk';

export const session: Session & SessionHistoryTransactionAwareSession = new AgentStorageSession({ url: 'http://127.0.0.1:8084', apiKey: 'key' });
const store = createChatStore({ url: 'http://127.0.0.1:8084' });
export const loaded: Promise<UIMessage[]> = store.loadChat('session_x').then((messages) => validateUIMessages({ messages }));
export const saved: Promise<void> = store.saveChat({ chatId: 'session_x', messages: [] });
// @ts-expect-error items are the SDK's items
void session.addItems([1]);
`;

const RUN_ADAPTERS_MJS = `
import { AgentStorageSession } from 'agent-storage/openai-agents';
import { createChatStore } from 'agent-storage/ai-sdk';

const session = new AgentStorageSession({ url: process.argv[2], agentName: 'packed' });
await session.addItems([{ role: 'user', content: 'from the tarball' }]);
const items = await session.getItems();
const store = createChatStore({ url: process.argv[2] });
const chatId = await store.createChat();
await store.saveChat({ chatId, messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'hi' }] }] });
const chat = await store.loadChat(chatId);
console.log(JSON.stringify({ items, chat: chat.map((m) => m.parts) }));
`;

// agent-storage/adk, with @google/adk installed: typed against ADK's own declarations, and run.
const CHECK_ADK_TS = `
import { type BaseArtifactService, BaseSessionService, type Session } from '@google/adk';
import { AgentStorageClient } from 'agent-storage/client';
import { AgentStorageArtifactService, AgentStorageSessionService } from 'agent-storage/adk';

const service: BaseSessionService = new AgentStorageSessionService({ url: 'http://127.0.0.1:8084', apiKey: 'key' });
export const same = new AgentStorageSessionService({ client: new AgentStorageClient({ url: 'http://127.0.0.1:8084' }) });
export const session: Promise<Session> = service.createSession({ appName: 'a', userId: 'u', state: { 'user:name': 'x' } });
// @ts-expect-error appName is required
void service.listSessions({ userId: 'u' });
const artifacts: BaseArtifactService = new AgentStorageArtifactService({ url: 'http://127.0.0.1:8084' });
export const version: Promise<number> = artifacts.saveArtifact({ appName: 'a', userId: 'u', sessionId: 's', filename: 'f.txt', artifact: { text: 'x' } });
`;

const RUN_ADK_MJS = `
import { createEvent, createEventActions } from '@google/adk';
import { AgentStorageArtifactService, AgentStorageSessionService } from 'agent-storage/adk';

const service = new AgentStorageSessionService({ url: process.argv[2] });
const session = await service.createSession({ appName: 'packed', userId: 'u', state: { 'app:from': 'the tarball' } });
await service.appendEvent({ session, event: createEvent({ author: 'user', content: { role: 'user', parts: [{ text: 'hi' }] }, actions: createEventActions({ stateDelta: { 'temp:x': 1, seen: true } }) }) });
const read = await service.getSession({ appName: 'packed', userId: 'u', sessionId: session.id });
const artifacts = new AgentStorageArtifactService({ url: process.argv[2] });
const key = { appName: 'packed', userId: 'u', sessionId: session.id };
const version = await artifacts.saveArtifact({ ...key, filename: 'note.txt', artifact: { text: 'saved' } });
const artifact = await artifacts.loadArtifact({ ...key, filename: 'note.txt', version });
console.log(JSON.stringify({ state: read.state, texts: read.events.map((e) => e.content.parts[0].text), artifact }));
`;

const tsconfig = (compilerOptions: Record<string, unknown>, files = ['check.ts']) =>
  JSON.stringify({
    compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: false, ...compilerOptions },
    files,
  });

describe('npm pack', () => {
  it('makes a tarball that a project outside the repository installs, type-checks against and runs', async () => {
    const started = Date.now();
    const staging = await stage();
    const out = join(work, 'out');
    mkdirSync(out);
    const [packed] = JSON.parse(await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', out], staging)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed!.files.map((f) => f.path);
    for (const expected of ['package.json', 'README.md', 'schema.graphql', 'bin/agent-storage.mjs', 'bin/start.mjs', 'dist/main.js', 'dist/cli.js', 'dist/client/index.js', 'dist/client/index.d.ts', 'dist/adapters/langgraph/index.js', 'dist/adapters/langgraph/index.d.ts', 'dist/adapters/openai-agents/index.js', 'dist/adapters/openai-agents/index.d.ts', 'dist/adapters/ai-sdk/index.js', 'dist/adapters/ai-sdk/index.d.ts', 'dist/adapters/adk/index.js', 'dist/adapters/adk/index.d.ts', 'docs/client.md', 'docs/langgraph.md', 'docs/openai-agents.md', 'docs/ai-sdk.md', 'docs/adk.md', 'docs/console.md', 'dist/console/index.html']) {
      expect(files, expected).toContain(expected);
    }
    // The web console ships built (its page, one hashed script, one hashed style sheet): served
    // by the package's service without esbuild or the sources.
    expect(files.filter((f) => f.startsWith('dist/console/assets/')).map((f) => f.replace(/-[A-Z0-9]+\./, '-<hash>.')).sort()).toEqual([
      'dist/console/assets/console-<hash>.css',
      'dist/console/assets/console-<hash>.js',
    ]);
    expect(files.filter((f) => /^(src|test|bench|scripts)\//.test(f))).toEqual([]);

    // The client's bundle imports nothing but its own chunks: no package, no Node built-in; the
    // adapters', besides them, only their peers.
    const visit = (file: string, packages: RegExp, seen = new Set<string>()) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        if (packages.test(specifier)) continue;
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\.?\//);
        visit(resolve(dirname(file), specifier), packages, seen);
      }
    };
    visit(join(staging, 'dist', 'client', 'index.js'), /^$/);
    visit(join(staging, 'dist', 'adapters', 'langgraph', 'index.js'), /^@langchain\/langgraph-checkpoint$/);
    visit(join(staging, 'dist', 'adapters', 'openai-agents', 'index.js'), /^@openai\/agents-core$/);
    visit(join(staging, 'dist', 'adapters', 'ai-sdk', 'index.js'), /^ai$/);
    visit(join(staging, 'dist', 'adapters', 'adk', 'index.js'), /^@google\/adk$/);

    // A project of a user: installs the tarball (with the service's dependencies, as npm does).
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    await npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', join(out, packed!.filename)], project);
    writeFileSync(join(project, 'check.ts'), CHECK_TS);
    writeFileSync(join(project, 'run.mjs'), RUN_MJS);
    // Type-checked as a browser project would be (the DOM's fetch types, nothing of Node) …
    writeFileSync(join(project, 'tsconfig.json'), tsconfig({ types: [] }));
    await node([TSC, '-p', 'tsconfig.json'], project);
    // … and as a Node project without the DOM library.
    writeFileSync(join(project, 'tsconfig.node.json'), tsconfig({ lib: ['ES2022'], types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] }));
    await node([TSC, '-p', 'tsconfig.node.json'], project);
    const expected = { agentName: 'packed', contents: ['from the tarball'], code: 'NOT_FOUND' };
    expect(JSON.parse(await node(['run.mjs', server.url], project))).toEqual(expected);

    // agent-storage/langgraph with its (optional) peers installed: type-checked, and run.
    await npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '@langchain/langgraph-checkpoint@1.2.2', '@langchain/core@1.4.0'], project);
    writeFileSync(join(project, 'check-langgraph.ts'), CHECK_LANGGRAPH_TS);
    writeFileSync(join(project, 'run-langgraph.mjs'), RUN_LANGGRAPH_MJS);
    // (@langchain/core's own declarations name Symbol.asyncDispose: its users need that library.)
    writeFileSync(join(project, 'tsconfig.langgraph.json'), tsconfig({ lib: ['ES2022', 'ESNext.Disposable', 'DOM'], types: [] }, ['check-langgraph.ts']));
    await node([TSC, '-p', 'tsconfig.langgraph.json'], project);
    expect(JSON.parse(await node(['run-langgraph.mjs', server.url], project))).toEqual({ greeting: 'from the tarball' });

    // agent-storage/openai-agents and agent-storage/ai-sdk with their (optional) peers installed.
    // (Both frameworks' declarations are a Node project's: they name Node's modules, and the AI SDK's
    // name `json-schema`, whose types it leaves to its users.)
    await npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '@openai/agents-core@0.20.0', 'ai@6.0.333', '@types/json-schema@7.0.15'], project);
    writeFileSync(join(project, 'check-adapters.ts'), CHECK_ADAPTERS_TS);
    writeFileSync(join(project, 'run-adapters.mjs'), RUN_ADAPTERS_MJS);
    const nodeTypes = { types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] };
    writeFileSync(join(project, 'tsconfig.adapters.json'), tsconfig({ lib: ['ES2022', 'ESNext.Disposable', 'DOM'], ...nodeTypes }, ['check-adapters.ts']));
    await node([TSC, '-p', 'tsconfig.adapters.json'], project);
    expect(JSON.parse(await node(['run-adapters.mjs', server.url], project))).toEqual({
      items: [{ role: 'user', content: 'from the tarball' }],
      chat: [[{ type: 'text', text: 'hi' }]],
    });

    // agent-storage/adk with @google/adk installed (its declarations, like the frameworks' above,
    // are a Node project's). Not lib-checked: ADK's own declarations name types of packages it does
    // not install (express's, openapi-types, its optional peer @google-cloud/storage) and fail on
    // their own; check-adk.ts's use of ours against ADK's classes is still checked.
    await npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '@google/adk@2.0.0'], project);
    writeFileSync(join(project, 'check-adk.ts'), CHECK_ADK_TS);
    writeFileSync(join(project, 'run-adk.mjs'), RUN_ADK_MJS);
    writeFileSync(join(project, 'tsconfig.adk.json'), tsconfig({ lib: ['ES2022', 'ESNext.Disposable', 'DOM'], ...nodeTypes, skipLibCheck: true }, ['check-adk.ts']));
    await node([TSC, '-p', 'tsconfig.adk.json'], project);
    expect(JSON.parse(await node(['run-adk.mjs', server.url], project))).toEqual({ state: { 'app:from': 'the tarball', seen: true }, texts: ['hi'], artifact: { text: 'saved' } });

    // The same with the package alone: no dependency of it installed.
    const alone = join(work, 'alone');
    cpSync(join(project, 'node_modules', 'agent-storage'), join(alone, 'node_modules', 'agent-storage'), { recursive: true });
    for (const file of ['package.json', 'check.ts', 'run.mjs', 'tsconfig.json']) cpSync(join(project, file), join(alone, file));
    await node([TSC, '-p', 'tsconfig.json'], alone);
    expect(JSON.parse(await node(['run.mjs', server.url], alone))).toEqual(expected);

    console.info(`pack test: build, pack, install, type-check and run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);
});
