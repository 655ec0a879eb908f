import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JournalEntry } from './model.js';

const NEWLINE = 0x0a;
const READ_CHUNK_BYTES = 1 << 20;

/** A slice of the spool: entries in append order, and where the next read starts. */
export interface SpoolRead {
  entries: JournalEntry[];
  nextOffset: number;
}

/**
 * The outage spool: an append-only JSON-lines file of journal entries, one
 * line each, fsync'd before append() returns. A crash can leave a torn last
 * line; open() cuts it off (its append never resolved, so nobody was told it
 * was durable), so later appends start on a clean line.
 */
export class SpoolFile {
  private entryCount = 0;
  /** Bytes of complete lines in the file: where a failed append is cut back to. */
  private byteLength = 0;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  /** Opens or creates the spool, repairs a torn tail, and counts its entries. */
  static async open(path: string): Promise<SpoolFile> {
    await mkdir(dirname(path), { recursive: true });
    const spool = new SpoolFile(path, await open(path, 'a+'));
    try {
      await spool.repair();
    } catch (error) {
      await spool.close();
      throw error;
    }
    return spool;
  }

  /** Entries in the file. */
  get depth(): number {
    return this.entryCount;
  }

  /** Appends entries and waits until they are on disk. */
  async append(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const text = entries.map((entry) => JSON.stringify(entry) + '\n').join('');
    try {
      // writeFile loops over short writes; one write() can stop short (a full disk) without an error.
      await this.file.writeFile(text);
      // datasync flushes the data and the size, which is all a reader needs.
      await this.file.datasync();
    } catch (error) {
      // Cut off what got out, or the next append would glue its first line to the fragment.
      await this.file.truncate(this.byteLength).catch(() => undefined);
      throw error;
    }
    this.byteLength += Buffer.byteLength(text);
    this.entryCount += entries.length;
  }

  /** Up to maxEntries complete entries from byte offset fromOffset. */
  async read(fromOffset: number, maxEntries: number): Promise<SpoolRead> {
    const entries: JournalEntry[] = [];
    let offset = fromOffset;
    let chunkBytes = READ_CHUNK_BYTES;
    while (entries.length < maxEntries) {
      const buffer = Buffer.alloc(chunkBytes);
      const { bytesRead } = await this.file.read(buffer, 0, chunkBytes, offset);
      const end = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE);
      if (end < 0) {
        // No complete line here: either the end of the file or a line longer than the chunk.
        if (bytesRead < chunkBytes) break;
        chunkBytes *= 2;
        continue;
      }
      let start = 0;
      while (start <= end && entries.length < maxEntries) {
        const stop = buffer.indexOf(NEWLINE, start);
        const entry = parseLine(buffer.toString('utf8', start, stop));
        if (entry !== undefined) entries.push(entry);
        start = stop + 1;
      }
      offset += start;
    }
    return { entries, nextOffset: offset };
  }

  /** Every entry in the file, in order. */
  async readAll(): Promise<JournalEntry[]> {
    const { entries } = await this.read(0, Number.POSITIVE_INFINITY);
    return entries;
  }

  /** Empties the file, durably: its entries are in the database now. */
  async truncate(): Promise<void> {
    await this.file.truncate(0);
    await this.file.datasync();
    this.entryCount = 0;
    this.byteLength = 0;
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  private async repair(): Promise<void> {
    const { size } = await this.file.stat();
    if (size === 0) return;
    const content = await readFile(this.path);
    const keep = content.lastIndexOf(NEWLINE) + 1;
    if (keep < size) {
      await this.file.truncate(keep);
      await this.file.datasync();
    }
    this.byteLength = keep;
    this.entryCount = (await this.read(0, Number.POSITIVE_INFINITY)).entries.length;
  }
}

/** An entry, or undefined for a line a crash or an editor mangled. */
function parseLine(line: string): JournalEntry | undefined {
  try {
    const value = JSON.parse(line) as JournalEntry;
    return typeof value === 'object' && value !== null && 'order' in value ? value : undefined;
  } catch {
    return undefined;
  }
}
