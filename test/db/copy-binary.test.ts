import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRunner } from '../../src/db/postgres/runner.js';
import { type CopyValuePiece, copyBinaryValues } from '../../src/db/postgres/copy-binary.js';
import { TEST_PG_URL } from '../support/postgres.js';

/*
 * The binary COPY reader: the values of every row, whole, whatever the socket's chunks — built by
 * hand from the format's description (property), and read from the real PostgreSQL, including
 * values that span many chunks and a reader that stops early (the connection must not go back to
 * the pool mid-COPY).
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}
function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** The binary COPY output of `rows`, with a header extension of `extension` bytes. */
function encode(rows: Uint8Array[][], extension: Uint8Array): Buffer {
  const parts = [SIGNATURE, int32(0), int32(extension.length), Buffer.from(extension)];
  for (const row of rows) {
    parts.push(int16(row.length));
    for (const value of row) parts.push(int32(value.length), Buffer.from(value));
  }
  parts.push(int16(-1));
  return Buffer.concat(parts);
}

async function* cut(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const position of [...cuts].sort((a, b) => a - b)) {
    yield bytes.subarray(at, position);
    at = position;
  }
  yield bytes.subarray(at);
}

/** The values read, gathered per row and column. */
async function gather(pieces: AsyncIterable<CopyValuePiece>): Promise<Buffer[][]> {
  const rows: Buffer[][] = [];
  let current: Buffer[] = [];
  for await (const { row, column, bytes, end } of pieces) {
    rows[row] ??= [];
    current.push(Buffer.from(bytes)); // the reader's pieces are slices; keep copies
    if (end) {
      rows[row]![column] = Buffer.concat(current);
      current = [];
    }
  }
  return rows;
}

describe('copyBinaryValues', () => {
  it('reads every value whole, however the output is cut', async () => {
    const value = fc.uint8Array({ maxLength: 40 });
    const rows = fc.array(fc.array(value, { minLength: 1, maxLength: 3 }), { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(rows, fc.uint8Array({ maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), async (input, extension, positions) => {
        const bytes = encode(input, extension);
        const read = await gather(copyBinaryValues(cut(bytes, positions.map((p) => p % (bytes.length + 1)))));
        expect(read).toEqual(input.map((row) => row.map((v) => Buffer.from(v))));
      }),
    );
  });

  it('refuses what is not a complete binary COPY output', async () => {
    const whole = encode([[Buffer.from('abc')]], new Uint8Array());
    await expect(gather(copyBinaryValues(cut(whole.subarray(0, whole.length - 2), [])))).rejects.toThrow(/before its trailer/);
    await expect(gather(copyBinaryValues(cut(Buffer.from('not binary copy output at all'), [])))).rejects.toThrow(/binary COPY format/);
    const nullValue = Buffer.concat([SIGNATURE, int32(0), int32(0), int16(1), int32(-1), int16(-1)]);
    await expect(gather(copyBinaryValues(cut(nullValue, [])))).rejects.toThrow(/NULL/);
  });
});

describe('PostgresRunner.copyOut on the real PostgreSQL', () => {
  let pool: pg.Pool;
  let runner: PostgresRunner;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: TEST_PG_URL, max: 1 });
    runner = new PostgresRunner(pool);
  });
  afterAll(() => pool.end());

  // A 3 MiB value arrives in many socket chunks; an empty one in none.
  const select = `SELECT i, decode(repeat(lpad(to_hex(i), 2, '0'), i * 1024 * 1024), 'hex') AS data FROM generate_series(0, 3) AS i ORDER BY i`;

  it('streams the values of a select, the same as its rows', async () => {
    const read = await gather(runner.copyOut('copyTest', select));
    const { rows } = await pool.query<{ i: number; data: Buffer }>(select);
    expect(read.length).toBe(4);
    for (const [index, row] of rows.entries()) {
      expect(read[index]![0]!.readInt32BE(0)).toBe(row.i);
      expect(read[index]![1]!.equals(row.data)).toBe(true);
    }
    // The connection went back to the pool ready for the next statement.
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('a reader that stops early leaves the pool usable', async () => {
    for await (const piece of runner.copyOut('copyTest', select)) {
      if (piece.row === 2) break;
    }
    expect((await pool.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    expect(pool.totalCount).toBeLessThanOrEqual(1);
  });

  it('a failing select is an error, and the pool goes on', async () => {
    await expect(gather(runner.copyOut('copyTest', 'SELECT 1/0'))).rejects.toThrow(/division by zero/);
    expect((await pool.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });
});
