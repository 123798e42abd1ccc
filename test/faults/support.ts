import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN } from '../support/process.js';

/*
 * Fault injection with real processes and real files: the service runs as `src/main.ts` in a
 * child process (as in production), is killed, starved of disk, locked out, and restarted.
 */


/** Runs the service expecting it to fail at start: its exit code and everything it wrote. */
export function runUntilExit(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A fresh temporary folder; `cleanup` removes it. */
export function tempDir(prefix = 'agent-storage-fault-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A small tmpfs of its own (`size` like '4m'): a disk that can really fill up. Needs root (CI and
 * this machine run the tests as root); anywhere else this throws — the fault tests must not pass
 * by skipping what they are about.
 */
export function mountTmpfs(size: string): { dir: string; remount(options: string): void; unmount(): void } {
  const { dir, cleanup } = tempDir('agent-storage-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    cleanup();
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
    throw new Error(
      `Cannot mount a tmpfs for the fault tests (they need root, as on CI): ${detail}. ` +
        `Running as uid ${process.getuid?.()}.`,
    );
  }
  return {
    dir,
    remount: (options) => void execFileSync('mount', ['-o', `remount,${options}`, dir], { stdio: 'pipe' }),
    unmount: () => {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      } finally {
        cleanup();
      }
    },
  };
}

/** A folder inside `parent`, created if missing. */
export function subdir(parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** One JSON request; network failures (refused, reset) come back as status 0. */
export async function request(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  try {
    const response = await fetch(url + path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  } catch (error) {
    return { status: 0, headers: new Headers(), text: String((error as { cause?: unknown }).cause ?? error), body: undefined };
  }
}

/** What no response may ever contain: stack frames, SQL, driver or file-system internals. */
export const INTERNALS = /\bat [\w.<>]+ \(|\.ts:\d+|node_modules|SQLITE_|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\bDELETE FROM\b|ECONNREFUSED|ECONNRESET|ENOSPC|57P01|relation "|syntax error at/;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
