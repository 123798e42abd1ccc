import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDatabase } from '../support/fixtures.js';

/*
 * `npm start` as a user, systemd or a process manager runs it: SIGTERM to the npm process must stop
 * the server (gracefully) and leave no process behind. npm runs the script through `sh -c`, and a
 * shell that stays as the parent of node (dash, Debian's sh, does) neither forwards the signal nor
 * waits: npm exits and the server keeps listening, orphaned.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The live (not zombie) processes of a process group, from /proc. */
function processGroup(pgid: number): { pid: number; command: string }[] {
  const members: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) !== pgid || state === 'Z') continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {}
    members.push({ pid: Number(entry), command });
  }
  return members;
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(100);
  }
  return condition();
}

let npm: ChildProcess | undefined;
let cleanup: (() => void) | undefined;
afterEach(() => {
  // Whatever the test left running (the old launcher leaves the server behind): its own process
  // group, which it was started in.
  if (npm?.pid) {
    try {
      process.kill(-npm.pid, 'SIGKILL');
    } catch {}
  }
  npm = undefined;
  cleanup?.();
});

describe('npm start', () => {
  it('stops, with every process it started, when npm gets SIGTERM', async () => {
    const db = tempDatabase();
    cleanup = db.cleanup;
    // detached: a process group of its own, as under systemd or a process manager, so that the
    // test can see every process of the tree.
    npm = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `sqlite:${db.filename}`, LOG_LEVEL: 'info', npm_config_update_notifier: 'false' },
    });
    let output = '';
    npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const npmExited = new Promise<void>((done) => npm!.once('exit', () => done()));

    const url = () => /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"agent storage listening"/.exec(output)?.[1];
    expect(await waitFor(() => url() !== undefined, 60_000), output).toBe(true);
    const port = Number(new URL(url()!).port);
    expect((await fetch(`${url()}/health`)).status).toBe(200);
    const pgid = npm.pid!;
    const tree = processGroup(pgid);
    expect(tree.map((p) => p.command).join('\n')).toMatch(/bin\/start\.mjs/);

    process.kill(npm.pid!, 'SIGTERM');

    const gone = await waitFor(() => processGroup(pgid).length === 0, 20_000);
    expect(gone ? [] : processGroup(pgid), output).toEqual([]);
    expect(await listening(port)).toBe(false);
    await npmExited;
    // Stopped by the signal, gracefully: the server's own shutdown ran to its end.
    expect(output).toMatch(/"signal":"SIGTERM"[^\n]*"msg":"shutting down: finishing in-flight requests"/);
    expect(output).toMatch(/"msg":"stopped"/);
  }, 90_000);
});
