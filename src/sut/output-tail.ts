import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Lines kept for the report: enough to see why a bot died, bounded whatever it prints. */
const KEPT_LINES = 20;
/** A line longer than this is cut in the kept tail (the log file keeps it whole). */
const KEPT_LINE_CHARS = 500;

/**
 * A process's stdout and stderr, copied whole to a log file as they come,
 * with the last lines kept in memory for the report and each line offered to
 * a listener (readiness patterns).
 */
export class OutputCapture {
  private readonly file: WriteStream;
  private readonly tail: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();
  private readonly done: Promise<unknown>;

  constructor(
    readonly path: string,
    streams: Array<Readable | null>,
  ) {
    this.file = createWriteStream(path, { flags: 'a' });
    this.file.on('error', () => undefined);
    const ends = streams.flatMap((stream) => (stream ? [this.follow(stream)] : []));
    // A broken pipe ends the capture, never the runner.
    this.done = Promise.all(ends).catch(() => undefined);
  }

  /** The last lines printed, oldest first. */
  lastLines(): string[] {
    return [...this.tail];
  }

  /** Calls `listener` with each line from now on; returns a function that stops it (see also lastLines()). */
  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the streams to end (or at most `timeoutMs`), then closes the log file. */
  async close(timeoutMs = 2_000): Promise<void> {
    await Promise.race([this.done, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    this.file.end();
    if (!this.file.closed) await once(this.file, 'close').catch(() => undefined);
  }

  private async follow(stream: Readable): Promise<void> {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    for await (const line of lines) {
      this.file.write(`${line}\n`);
      this.tail.push(line.length > KEPT_LINE_CHARS ? `${line.slice(0, KEPT_LINE_CHARS)}…` : line);
      if (this.tail.length > KEPT_LINES) this.tail.shift();
      for (const listener of this.listeners) listener(line);
    }
  }
}
