import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Fault injection with real processes and real files: the service runs as `src/main.ts` in a
 * child process (as in production), is killed, starved of disk, locked out, and restarted.
 */

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface Service {
  url: string;
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** The JSON log lines written so far. */
  logs(): Record<string, unknown>[];
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the service; resolves once it is listening (or rejects with its output if it exits). */
export function startService(env: Record<string, string>, timeoutMs = 30_000): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const logs = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          return {};
        }
      });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"agent storage listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          child,
          output: () => output,
          logs,
          exited,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

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
