import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { ROOT } from './options.js';

/**
 * Child processes of the benchmark: the servers under test, the baselines and the load generator
 * each run in their own process, so that no two share an event loop.
 */

/** A TCP port nobody listens on right now (there is a small race; fine for a benchmark). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** A minimal GET with node:http (no keep-alive, no fetch start-up cost): status and body. */
export function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolveGet, reject) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Resident set size of a process in MB, from /proc (Linux); null where unavailable. */
export function rssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS until stopped: the peak and the last value. */
export function sampleRss(pid: number, intervalMs = 200): { stop(): { peakMb: number | null; lastMb: number | null } } {
  let peak: number | null = null;
  let last: number | null = null;
  const take = () => {
    const v = rssMb(pid);
    if (v === null) return;
    last = v;
    peak = peak === null ? v : Math.max(peak, v);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakMb: peak, lastMb: last };
    },
  };
}

export interface ServerChild {
  name: string;
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first 200 on the health path. */
  startMs: number;
  /** The last lines the process wrote to stderr/stdout (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Path answered with 200 once the server is ready. */
  healthPath: string;
  timeoutMs?: number;
}

function tail(buffer: string[], text: string): void {
  buffer.push(text);
  while (buffer.length > 50) buffer.shift();
}

/** Kills a child: SIGTERM (the service shuts down gracefully), SIGKILL if it lingers. */
function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

const running = new Set<ChildProcess>();

/** Stops every child still running (on an error or Ctrl-C). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child, 3000)));
}

/**
 * Starts an HTTP server as a child process on a free port and waits (polling every few ms) until
 * its health path answers 200. The time measured is the cold start: process spawn to first 200.
 */
export async function startServer(spec: ServerSpec): Promise<ServerChild> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const started = performance.now();
  const child = spawn(spec.command, spec.args, {
    cwd: ROOT,
    env: { ...process.env, ...spec.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.stdout!.setEncoding('utf8').on('data', (text: string) => tail(output, text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => tail(output, text));
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));

  const deadline = started + (spec.timeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`${spec.name} ${exited} before it was ready:\n${output.join('').trim()}`);
    try {
      const { status } = await httpGet(url + spec.healthPath, 1000);
      if (status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      await stopChild(child, 1000);
      throw new Error(`${spec.name} did not answer ${spec.healthPath} within ${spec.timeoutMs ?? 30_000} ms:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 3));
  }
  const startMs = performance.now() - started;
  return { name: spec.name, pid: child.pid!, url, startMs, output: () => output.join(''), stop: () => stopChild(child) };
}

/** Runs a Node script as a child with JSON on stdin; resolves with its stdout parsed as JSON. */
export function runJsonChild<T>(args: string[], input: unknown, onPid?: (pid: number) => void): Promise<T> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(child);
    if (child.pid !== undefined) onPid?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.once('error', reject);
    child.once('exit', (code) => {
      running.delete(child);
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with code ${code}:\n${stderr.trim()}`));
      try {
        resolveRun(JSON.parse(stdout) as T);
      } catch {
        reject(new Error(`${args.join(' ')} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
    child.stdin!.end(JSON.stringify(input));
  });
}

/** Runs a command to completion (e.g. the build); rejects with its output when it fails. */
export function runCommand(command: string, args: string[], cwd = ROOT): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (t: string) => (output += t));
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (output += t));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`${command} ${args.join(' ')} failed:\n${output}`))));
  });
}
