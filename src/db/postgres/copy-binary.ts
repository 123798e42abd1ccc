/** A piece of one value of a `COPY … TO STDOUT (FORMAT binary)` result, as it came off the socket. */
export interface CopyValuePiece {
  /** The row's index in the output (0, 1, …). */
  row: number;
  column: number;
  bytes: Buffer;
  /** This piece ends the value. */
  end: boolean;
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** The signature, the flags field and the header extension's length. */
const HEADER_BYTES = SIGNATURE.length + 8;

/**
 * The values of a binary COPY's output, in order, each in one or more pieces that are slices of the
 * input (never copied, never gathered: a 1 MiB value goes out as the socket's buffers). Written here
 * because the format is three fixed-size fields (PostgreSQL's "Binary Format" of COPY): the package
 * that parses it (pg-copy-streams-binary) decodes whole rows into values, which is what this avoids.
 * NULL values are refused: the callers read NOT NULL columns.
 */
export async function* copyBinaryValues(source: AsyncIterable<Buffer>): AsyncGenerator<CopyValuePiece> {
  type State = 'header' | 'extension' | 'fieldCount' | 'length' | 'value' | 'trailer';
  let state: State = 'header';
  let need = HEADER_BYTES; // bytes of the fixed-size field being read
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let columns = 0;
  let column = 0;
  let row = -1;
  let remaining = 0; // bytes of the value (or of the header extension) still to come

  for await (const chunk of source) {
    let at = 0;
    while (at < chunk.length) {
      if (state === 'trailer') throw new Error('COPY output goes on after its trailer');
      if (state === 'value' || state === 'extension') {
        const n = Math.min(remaining, chunk.length - at);
        remaining -= n;
        if (state === 'value') yield { row, column, bytes: chunk.subarray(at, at + n), end: remaining === 0 };
        at += n;
        if (remaining === 0) state = state === 'value' ? nextColumn() : 'fieldCount';
        continue;
      }
      const n = Math.min(need - pendingBytes, chunk.length - at);
      pending.push(chunk.subarray(at, at + n));
      pendingBytes += n;
      at += n;
      if (pendingBytes < need) continue;
      const field = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      if (state === 'header') {
        if (!field.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not the binary COPY format');
        remaining = field.readUInt32BE(SIGNATURE.length + 4);
        state = remaining > 0 ? 'extension' : 'fieldCount';
        need = 2;
      } else if (state === 'fieldCount') {
        columns = field.readInt16BE(0);
        if (columns === -1) {
          state = 'trailer';
        } else {
          row += 1;
          column = 0;
          state = columns === 0 ? 'fieldCount' : 'length';
          need = columns === 0 ? 2 : 4;
        }
      } else {
        const length = field.readInt32BE(0);
        if (length < 0) throw new Error(`NULL in column ${column} of a binary COPY`);
        remaining = length;
        state = 'value';
        if (length === 0) {
          yield { row, column, bytes: Buffer.alloc(0), end: true };
          state = nextColumn();
        }
      }
    }
  }
  if (state !== 'trailer') throw new Error('COPY output ended before its trailer');

  function nextColumn(): State {
    column += 1;
    if (column < columns) {
      need = 4;
      return 'length';
    }
    need = 2;
    return 'fieldCount';
  }
}
