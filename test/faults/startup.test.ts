import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../src/domain/ids.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock } from '../support/fixtures.js';
import { mountTmpfs, runUntilExit, tempDir } from './support.js';

/**
 * A database the service cannot use is refused at start: one log line that names the file and
 * says what is wrong, and a non-zero exit code — never a stack trace, never a half-started server.
 */

const STACK = /\n\s+at |\.ts:\d+/;

/** The fatal log line of a failed start. */
function fatal(output: string): string {
  const line = output.split('\n').find((l) => l.includes('"level":60'));
  expect(line, output).toBeDefined();
  return (JSON.parse(line!) as { msg: string }).msg;
}

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

/** A database file with a session in it, closed cleanly. */
async function populated(dir: string): Promise<string> {
  const filename = join(dir, 'storage.db');
  const backend = new SqliteBackend({ filename });
  const clock = new ManualClock();
  await new Storage(backend, clock, createIdGenerator(clock)).sessions.create({ agentName: 'before', userId: null, status: 'active', metadata: {} });
  await backend.close();
  return filename;
}

describe('a database the service cannot use', () => {
  it('a file that is not a database: exit 1, the file named, no stack trace', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const filename = join(dir, 'storage.db');
    writeFileSync(filename, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251)));
    const { code, output } = await runUntilExit({ DATABASE_URL: `sqlite:${filename}` });
    expect(code).toBe(1);
    expect(output).not.toMatch(STACK);
    const message = fatal(output);
    expect(message).toContain(filename);
    expect(message).toMatch(/file is not a database.*damaged or not a SQLite database/);
  });

  it('a damaged database (its schema page overwritten): exit 1, the file named, no stack trace', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const filename = await populated(dir);
    const fd = openSync(filename, 'r+');
    writeSync(fd, Buffer.alloc(3000, 0xa5), 0, 3000, 100); // right after the 100-byte header
    closeSync(fd);
    const { code, output } = await runUntilExit({ DATABASE_URL: `sqlite:${filename}` });
    expect(code).toBe(1);
    expect(output).not.toMatch(STACK);
    const message = fatal(output);
    expect(message).toContain(filename);
    expect(message).toMatch(/malformed.*damaged or not a SQLite database/);
  });

  it('a database on a read-only file system: exit 1, the file named, the cause said, no stack trace', async () => {
    // Root ignores file permissions, so "read-only" is a read-only mount, as a container's
    // readOnlyRootFilesystem would be.
    const disk = mountTmpfs('8m');
    cleanups.push(() => disk.unmount());
    const filename = await populated(disk.dir);
    const before = readFileSync(filename);
    disk.remount('ro');
    const { code, output } = await runUntilExit({ DATABASE_URL: `sqlite:${filename}` });
    expect(code).toBe(1);
    expect(output).not.toMatch(STACK);
    const message = fatal(output);
    expect(message).toContain(filename);
    expect(message).toContain('read-only');
    expect(readFileSync(filename).equals(before)).toBe(true); // untouched

    // A database that would have to be created there: the same.
    const missing = join(disk.dir, 'new', 'storage.db');
    const second = await runUntilExit({ DATABASE_URL: `sqlite:${missing}` });
    expect(second.code).toBe(1);
    expect(second.output).not.toMatch(STACK);
    expect(fatal(second.output)).toContain(missing);
    expect(fatal(second.output)).toContain('read-only');
  });

  it('a port already taken: exit 1, the address named, PORT suggested, no stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const { code, output } = await runUntilExit({ DATABASE_URL: 'sqlite::memory:', PORT: String(port) });
      expect(code).toBe(1);
      expect(output).not.toMatch(STACK);
      expect(fatal(output)).toBe(
        `Cannot listen on 127.0.0.1:${port}: the port is already in use (another agent-storage?). ` +
          `Stop what uses it, or start on another port, e.g. PORT=${port + 1} npm start`,
      );
    } finally {
      blocker.close();
    }
  });

  it('a HOST that is not an address of this machine: exit 1, HOST suggested, no stack trace', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a real machine.
    const { code, output } = await runUntilExit({ DATABASE_URL: 'sqlite::memory:', HOST: '192.0.2.1', AUTH_MODE: 'apikey' });
    expect(code).toBe(1);
    expect(output).not.toMatch(STACK);
    expect(fatal(output)).toMatch(/^Cannot listen on 192\.0\.2\.1:0: 192\.0\.2\.1 is not an address of this machine\. Set HOST to one of its addresses, e\.g\. HOST=127\.0\.0\.1/);
  });
});

describe('a configuration the service cannot use', () => {
  it('exit 2 before anything is opened, every bad variable listed, no secret repeated, no stack trace', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const filename = join(dir, 'storage.db');
    const { code, output } = await runUntilExit({
      DATABASE_URL: `sqlite:${filename}`,
      PORT: 'abc',
      MAX_PAGE_SIZE: '0',
      STORAGE_ADMIN_KEY: 'short-secret',
      CACHE_BACKEND: 'redis',
      REDIS_URL: '', // counts as unset
    });
    expect(code).toBe(2);
    expect(output).not.toMatch(STACK);
    expect(output).toContain(
      [
        'Invalid configuration:',
        '  - PORT: must be a whole number from 0 to 65535 (got "abc")',
        '  - MAX_PAGE_SIZE: must be a whole number from 1 to 1000000 (got "0")',
        '  - STORAGE_ADMIN_KEY: must be at least 32 characters without spaces (e.g. openssl rand -hex 32)',
        '  - REDIS_URL: must be set when CACHE_BACKEND=redis (e.g. redis://127.0.0.1:6379)',
      ].join('\n'),
    );
    expect(output).not.toContain('short-secret');
    expect(existsSync(filename)).toBe(false);
  });
});
