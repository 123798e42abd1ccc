import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteConnection } from '../../src/db/sqlite/runner.js';

/*
 * `agent-storage restore` renames a new database over the path while it holds the old file's lock.
 * A service that opened the old file just before, and waited for that lock, must end up on the new
 * file, not on the replaced one that nobody will read again.
 */

const dir = mkdtempSync(join(tmpdir(), 'agent-storage-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function databaseWith(file: string, marker: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE marker (v TEXT)');
  db.prepare('INSERT INTO marker VALUES (?)').run(marker);
  db.close();
}

/**
 * Another process that locks `target` as restore does, waits until this process has the file open
 * (its descriptors, in /proc), then renames `replacement` over it and lets the lock go.
 */
const SWAPPER = `
const Database = require(process.argv[1]);
const fs = require('node:fs');
const [target, replacement, pid] = process.argv.slice(2);
const db = new Database(target, { timeout: 0, fileMustExist: true });
db.pragma('locking_mode = EXCLUSIVE');
db.pragma('journal_mode = DELETE');
db.exec('BEGIN EXCLUSIVE');
db.exec('ROLLBACK');
console.log('locked');
const opened = () => fs.readdirSync('/proc/' + pid + '/fd').some((fd) => {
  try { return fs.readlinkSync('/proc/' + pid + '/fd/' + fd) === target; } catch { return false; }
});
const timer = setInterval(() => {
  if (!opened()) return;
  clearInterval(timer);
  fs.renameSync(replacement, target);
  console.log('renamed while open');
  db.close();
}, 5);
`;

describe('openSqliteConnection', () => {
  it('opens the file that is at the path once the lock is free, also when it was renamed there while waiting', async () => {
    const target = join(dir, 'storage.db');
    const replacement = join(dir, 'restored.db');
    databaseWith(target, 'old');
    databaseWith(replacement, 'new');

    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const child = spawn(process.execPath, ['-e', SWAPPER, driver, target, replacement, String(process.pid)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('locked')) resolve();
      });
      void exited.then(() => reject(new Error(`the swapper ended early:\n${output}`)));
    });

    // Blocks (synchronously) on the swapper's lock until it has renamed the new file into place.
    const db = openSqliteConnection({ filename: target });
    try {
      expect(db.prepare('SELECT v FROM marker').get()).toEqual({ v: 'new' });
    } finally {
      db.close();
    }
    expect(await exited).toBe(0);
    expect(output).toContain('renamed while open'); // the case above really happened
  });
});
