import type pg from 'pg';
import type { CircuitBreakerPolicy } from 'cockatiel';
import type { JournalEntry } from './model.js';
import type { Outage } from './outage.js';
import { writeEntries } from './store.js';

/** What the writer needs of the journal that owns it. */
export interface WriterOptions {
  pool: pg.Pool;
  /** The breaker every database write goes through. */
  breaker: CircuitBreakerPolicy;
  /** Most entries per database write (group commit). */
  maxBatchEntries: number;
  reportError: (error: unknown) => void;
}

interface Pending {
  entry: JournalEntry;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * One writer loop owns every write: it takes what enqueue() queued (up to
 * maxBatchEntries) and commits it in one statement, or, once a write failed,
 * appends it to the spool until a probe finds the database back and the loop
 * replays the spool (see Outage). A single writer is what keeps entries in
 * append order.
 */
export class Writer {
  private queue: Pending[] = [];
  private inFlight = 0;
  private running: Promise<void> | undefined;
  private replayWanted = false;
  /** Entries committed to the database, the writes that did it and their summed time, since open(). */
  readonly counts = { committed: 0, batches: 0, batchMsTotal: 0 };

  constructor(
    private readonly outage: Outage,
    private readonly options: WriterOptions,
  ) {}

  /** Entries accepted and not yet durable. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Entries waiting for the writer, in order. */
  queued(): JournalEntry[] {
    return this.queue.map((p) => p.entry);
  }

  /** Resolves once the entry is durable: committed, or fsync'd to the spool. */
  enqueue(entry: JournalEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.kick();
    });
  }

  /** Has the loop replay the spool before its next batch, if the journal is not direct. */
  requestReplay(): void {
    this.replayWanted = true;
    this.kick();
  }

  /** Waits until the loop has nothing left to do. */
  async flush(): Promise<void> {
    while (this.running !== undefined || this.queue.length > 0) {
      this.kick();
      await this.running;
    }
  }

  /** Starts the writer loop unless it runs; it restarts itself while work remains. */
  private kick(): void {
    if (this.running !== undefined) return;
    if (this.queue.length === 0 && !this.replayWanted) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.replayWanted && this.outage.mode !== 'direct') {
        this.replayWanted = false;
        await this.outage.replay(() => this.spoolBatch(this.takeBatch()));
        continue;
      }
      this.replayWanted = false;
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      await this.write(batch);
    }
  }

  private takeBatch(): Pending[] {
    const batch = this.queue.splice(0, this.options.maxBatchEntries);
    this.inFlight = batch.length;
    return batch;
  }

  private async write(batch: Pending[]): Promise<void> {
    if (this.outage.mode === 'direct') {
      const { pool, breaker } = this.options;
      try {
        const entries = batch.map((p) => p.entry);
        const startedAt = performance.now();
        await breaker.execute(() => writeEntries(pool, entries));
        this.counts.committed += batch.length;
        this.counts.batches += 1;
        this.counts.batchMsTotal += performance.now() - startedAt;
        this.settle(batch);
        return;
      } catch (error) {
        this.options.reportError(error);
        this.outage.start(error);
      }
    }
    await this.spoolBatch(batch);
  }

  /** Appends to the spool; only a failing disk rejects, as then nothing is durable. */
  private async spoolBatch(batch: Pending[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      await this.outage.spool(batch.map((p) => p.entry));
      this.settle(batch);
    } catch (error) {
      this.settle(batch, error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Settles a batch; no longer pending by the time its callers see the result. */
  private settle(batch: Pending[], failure?: Error): void {
    this.inFlight = 0;
    for (const pending of batch) {
      if (failure === undefined) pending.resolve();
      else pending.reject(failure);
    }
  }
}
