import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A PostgreSQL server of the test's own, on a free port in a temporary folder, that the test may
 * stop and start at will — never the machine's shared one, which other tests use at the same time.
 * PostgreSQL refuses to run as root, so its tools run as the `postgres` OS user (`runuser`).
 */

const run = promisify(execFile);

/** The newest PostgreSQL server binaries installed (Debian layout), or null. */
function binaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  for (const version of ['17', '16', '15', '14', '13']) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface PrivatePostgres {
  url: string;
  port: number;
  /** Stops the server (`fast`: sessions are terminated, as in a restart or a failover). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops it if running and removes its folder. */
  destroy(): Promise<void>;
  log(): string;
}

/** Creates and starts one; throws (loudly) when it cannot, saying why. */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const bin = binaries();
  if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/<version>/bin');
  const dir = mkdtempSync(join(tmpdir(), 'agent-storage-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = await freePort();
  const asPostgres = (tool: string, args: string[]) => {
    const command = process.getuid?.() === 0 ? 'runuser' : join(bin, tool);
    const argv = process.getuid?.() === 0 ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    return run(command, argv, { timeout: 60_000 });
  };
  try {
    if (process.getuid?.() === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    // -N: no fsync of the fresh cluster (it is thrown away); the server itself runs with fsync on.
    await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '-N']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new Error(`Cannot create a private PostgreSQL for the fault tests: ${detail}`);
  }
  let running = false;
  const instance: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await asPostgres('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
      running = true;
    },
    async stop(mode = 'fast') {
      await asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    async destroy() {
      try {
        if (running) await instance.stop('immediate');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };
  try {
    await instance.start();
  } catch (error) {
    const log = instance.log();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Cannot start the private PostgreSQL: ${(error as { stderr?: string }).stderr ?? (error as Error).message}\n${log}`);
  }
  return instance;
}
