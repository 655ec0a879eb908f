import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/**
 * An append-only file of JSON lines: evidence is written as it happens and
 * never held in memory, so a long run costs disk, not heap. The stream's own
 * buffer is the only thing kept; `close()` flushes it.
 */
export class JsonLinesWriter<T> {
  private readonly stream: WriteStream;
  private closing: Promise<void> | undefined;
  private failure: Error | undefined;
  private written = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'a' });
    // A write error (disk full) is kept and reported at close, never thrown mid-run.
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  /** Records written so far. */
  get count(): number {
    return this.written;
  }

  append(record: T): void {
    if (this.closing) return;
    this.written += 1;
    this.stream.write(`${JSON.stringify(record)}\n`);
  }

  /**
   * Resolves once everything appended so far has reached the file (the file
   * stays open); rejects when a write failed, so evidence is never judged
   * with a hole in it.
   */
  async flush(): Promise<void> {
    if (this.closing) return this.closing;
    await new Promise<void>((resolve) => this.stream.write('', () => resolve()));
    if (this.failure) throw this.failure;
  }

  /** Flushes and closes the file; rejects when any write failed. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stream.end();
      if (!this.stream.closed) await once(this.stream, 'close').catch(() => undefined);
      if (this.failure) throw this.failure;
    })();
    return this.closing;
  }
}

/** Which part of a file to read, and whether blank lines count. */
export interface ReadLinesOptions {
  /** Start at this byte (a line boundary: where the file ended earlier). Default 0. */
  start?: number;
  /** Read only the first this many bytes (a snapshot of a file still being written). */
  bytes?: number;
  /** Yield blank lines too (as ''), so line numbers stay the file's. Default false. */
  keepBlank?: boolean;
}

/** The lines of a file, one at a time, streamed; a missing file reads as empty. */
export async function* readLines(
  path: string,
  options: ReadLinesOptions = {},
): AsyncGenerator<string> {
  const exists = await access(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (!exists) return;
  if (options.bytes === 0) return;
  const end = options.bytes === undefined ? undefined : options.bytes - 1;
  const input = createReadStream(path, { encoding: 'utf8', start: options.start, end });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) if (options.keepBlank || line.trim() !== '') yield line;
  } finally {
    lines.close();
    input.destroy();
  }
}

/** The records of a JSON-lines file written by JsonLinesWriter, streamed in file order (up to `bytes`). */
export async function* readJsonLines<T>(path: string, bytes?: number): AsyncGenerator<T> {
  for await (const line of readLines(path, { bytes })) yield JSON.parse(line) as T;
}
