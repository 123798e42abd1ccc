import { close as closeFd, constants, createWriteStream, fsync, open as openFd } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { LineSink } from './export.js';

/** An expected failure of the CLI: its message is shown as it is, with exit code 1. */
export class CliFailure extends Error {}

/** Writes to a stream, waiting for 'drain' whenever its buffer is full, and surfaces its errors. */
export class StreamSink implements LineSink {
  private failure: Error | null = null;

  constructor(
    private readonly stream: Writable,
    private readonly name: string,
  ) {
    stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.writeError(this.failure);
    if (!this.stream.write(text)) await this.drained();
  }

  /** Resolves once everything written so far has left the buffer. */
  async flush(): Promise<void> {
    if (this.failure) throw this.writeError(this.failure);
    if (this.stream.writableNeedDrain) await this.drained();
  }

  private drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        this.stream.off('drain', onDrain);
        this.stream.off('error', onError);
        this.stream.off('close', onClose);
        if (error) reject(this.writeError(error));
        else resolve();
      };
      const onDrain = () => done();
      const onError = (error: Error) => done(error);
      const onClose = () => done(this.failure ?? new Error('the stream was closed'));
      this.stream.on('drain', onDrain);
      this.stream.on('error', onError);
      this.stream.on('close', onClose);
    });
  }

  private writeError(error: Error): CliFailure {
    return new CliFailure(`cannot write ${this.name}: ${describeFsError(error)}`);
  }
}

export interface Output {
  sink: StreamSink;
  /** Makes the output complete (for a file: flushed to disk and moved into place). */
  commit(): Promise<void>;
  /** Gives up: a partial file is removed, so that no half bundle is left behind. */
  abort(): Promise<void>;
}

export function stdoutOutput(stdout: Writable): Output {
  const sink = new StreamSink(stdout, 'standard output');
  return { sink, commit: () => sink.flush(), abort: async () => {} };
}

/**
 * A file output. A regular file is written under a temporary name beside it and renamed once
 * complete, so `--out` never names a half-written bundle; devices and pipes are written directly.
 */
export async function fileOutput(path: string): Promise<Output> {
  const existing = await stat(path).catch(() => null);
  const direct = existing !== null && !existing.isFile();
  if (existing?.isDirectory()) throw new CliFailure(`cannot write ${path}: it is a directory`);
  const target = direct ? path : join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  let fd: number;
  try {
    fd = await new Promise<number>((resolve, reject) =>
      openFd(target, direct ? 'w' : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666, (error, opened) =>
        error ? reject(error) : resolve(opened),
      ),
    );
  } catch (error) {
    throw new CliFailure(`cannot write ${path}: ${describeFsError(error as Error)}`);
  }
  // A plain descriptor rather than a FileHandle: the stream must not close it before the fsync,
  // and a FileHandle whose stream does not auto-close never finishes closing.
  const stream = createWriteStream('', { fd, autoClose: false });
  const sink = new StreamSink(stream, path);
  const finished = () =>
    new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(resolve);
    });
  const onFd = (op: typeof fsync) => new Promise<void>((resolve, reject) => op(fd, (error) => (error ? reject(error) : resolve())));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await onFd(closeFd);
  };
  const output: Output = {
    sink,
    async commit() {
      try {
        await finished();
        await onFd(fsync);
        await close();
        if (!direct) await rename(target, path);
      } catch (error) {
        await output.abort();
        throw error instanceof CliFailure ? error : new CliFailure(`cannot write ${path}: ${describeFsError(error as Error)}`);
      }
    },
    async abort() {
      stream.destroy();
      await close().catch(() => {});
      if (!direct) await unlink(target).catch(() => {});
    },
  };
  return output;
}

/** Opens a bundle for reading; a file that cannot be opened fails here, before any database is touched. */
export async function fileInput(path: string): Promise<Readable> {
  try {
    const handle = await open(path, 'r');
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    return handle.createReadStream();
  } catch (error) {
    throw new CliFailure(`cannot read ${path}: ${describeFsError(error as Error)}`);
  }
}

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EEXIST: 'the file exists',
  EPIPE: 'the reader went away (broken pipe)',
  EMFILE: 'too many open files',
};

export function describeFsError(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && FS_ERRORS[code]) || error.message;
}

/** An error from the file system or a stream (they carry an errno-style code), as opposed to a bug. */
export function isFsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
