import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { BrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import { sleep } from '../common/index.js';
import { breakerState, createDatabaseBreaker } from './breaker.js';
import { describeError, JournalError } from './errors.js';
import type { Journal, JournalEvents, JournalMode, JournalStatus } from './journal.js';
import { migrate } from './migrations.js';
import type {
  BalanceBaseline,
  JournalEntry,
  OrderEvent,
  OrderRecord,
  OrderStatus,
} from './model.js';
import { createPool, type PoolOptions } from './pool.js';
import { invalidEntry, parseClientOrderId } from './rows.js';
import { SpoolFile } from './spool.js';
import {
  readBalanceBaseline,
  readEvents,
  readLastSequences,
  readOrder,
  readOrders,
  writeBalanceBaseline,
  writeEntries,
} from './store.js';

/** Options of createPgJournal; durations in ms, defaults in DEFAULTS. */
export interface PgJournalOptions extends PoolOptions {
  /** The outage spool file (JSON lines); its directory is created. */
  spoolPath: string;
  /** Most entries per database write (group commit). Default 500. */
  maxBatchEntries?: number;
  /** Consecutive failed database calls that open the breaker. Default 2. */
  breakerThreshold?: number;
  /** Open breaker turns half-open after this, ms. Default 500. */
  halfOpenAfterMs?: number;
  /** Interval between recovery probes while spooling, ms. Default 250. */
  probeIntervalMs?: number;
  /** Clock for event times, ms since the epoch. Default Date.now. */
  now?: () => number;
}

const DEFAULTS = {
  maxBatchEntries: 500,
  breakerThreshold: 2,
  halfOpenAfterMs: 500,
  probeIntervalMs: 250,
};

interface Pending {
  entry: JournalEntry;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A journal on PostgreSQL (or PGlite over the wire), with group commit and an outage spool. */
export function createPgJournal(options: PgJournalOptions): Journal {
  return new PgJournal(options);
}

/**
 * One writer loop owns every write: it takes what append() queued (up to
 * maxBatchEntries) and commits it in one statement, or, once a write failed,
 * appends it to the spool until a probe finds the database back and the loop
 * replays the spool. A single writer is what keeps entries in append order.
 */
class PgJournal extends EventEmitter<JournalEvents> implements Journal {
  private readonly pool: pg.Pool;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly now: () => number;
  private readonly maxBatch: number;
  private readonly probeIntervalMs: number;
  private spool: SpoolFile | undefined;
  private queue: Pending[] = [];
  private inFlight = 0;
  private writer: Promise<void> | undefined;
  private mode: JournalMode = 'direct';
  private replayWanted = false;
  private spoolingSince = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private readonly counts = { committed: 0, spooled: 0, replayed: 0, batches: 0 };

  constructor(private readonly options: PgJournalOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.maxBatch = options.maxBatchEntries ?? DEFAULTS.maxBatchEntries;
    this.probeIntervalMs = options.probeIntervalMs ?? DEFAULTS.probeIntervalMs;
    this.pool = createPool(options, (error) => this.reportError(error));
    this.breaker = createDatabaseBreaker({
      threshold: options.breakerThreshold ?? DEFAULTS.breakerThreshold,
      halfOpenAfterMs: options.halfOpenAfterMs ?? DEFAULTS.halfOpenAfterMs,
      onState: (state) => this.safeEmit('breaker', { at: this.now(), state }),
    });
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (this.closing) throw new JournalError('CLOSED', 'journal is closed');
    this.spool ??= await SpoolFile.open(this.options.spoolPath);
    await this.migrateWhenReachable(signal);
    if (this.spool.depth === 0) return;
    // A previous process left entries behind: replay them before anything new.
    this.mode = 'spooling';
    this.spoolingSince = this.now();
    this.replayWanted = true;
    this.kick();
    await this.writer;
  }

  append(entry: JournalEntry): Promise<void> {
    if (this.closing) return Promise.reject(new JournalError('CLOSED', 'journal is closed'));
    if (this.spool === undefined) {
      return Promise.reject(new JournalError('NOT_OPEN', 'append() before open()'));
    }
    const invalid = invalidEntry(entry);
    if (invalid !== undefined) return Promise.reject(new JournalError('INVALID_ENTRY', invalid));
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.kick();
    });
  }

  orders(filter?: { statuses?: readonly OrderStatus[] }): Promise<OrderRecord[]> {
    return readOrders(this.pool, filter?.statuses);
  }

  order(clientOrderId: string): Promise<OrderRecord | undefined> {
    return readOrder(this.pool, clientOrderId);
  }

  events(clientOrderId: string): Promise<OrderEvent[]> {
    return readEvents(this.pool, clientOrderId);
  }

  balanceBaseline(): Promise<BalanceBaseline | undefined> {
    return readBalanceBaseline(this.pool);
  }

  async recordBalanceBaseline(baseline: BalanceBaseline): Promise<BalanceBaseline> {
    await writeBalanceBaseline(this.pool, baseline);
    return (await readBalanceBaseline(this.pool)) ?? baseline;
  }

  /** From the database, raised by entries still in the spool or queue, so no sequence is reused. */
  async lastSequences(): Promise<Map<string, number>> {
    const sequences = await readLastSequences(this.pool);
    const local = [...(this.spool?.depth ? await this.spool.readAll() : [])];
    for (const { entry } of this.queue) local.push(entry);
    for (const entry of local) {
      const parsed = parseClientOrderId(entry.order.clientOrderId);
      if (parsed === undefined) continue;
      const known = sequences.get(parsed.strategyId);
      if (known === undefined || parsed.seq > known) sequences.set(parsed.strategyId, parsed.seq);
    }
    return sequences;
  }

  status(): JournalStatus {
    return {
      mode: this.mode,
      spoolDepth: this.spool?.depth ?? 0,
      pendingWrites: this.queue.length + this.inFlight,
      breaker: breakerState(this.breaker.state),
      ...this.counts,
    };
  }

  async flush(): Promise<void> {
    while (this.writer !== undefined || this.queue.length > 0) {
      this.kick();
      await this.writer;
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.flush();
    if (this.mode !== 'direct' && (this.spool?.depth ?? 0) > 0) {
      // One last attempt, so a clean shutdown after an outage leaves no spool behind.
      this.replayWanted = true;
      this.kick();
      await this.flush();
    }
    clearTimeout(this.probeTimer);
    await this.pool.end().catch(() => undefined);
    await this.spool?.close();
  }

  /** Starts the writer loop unless it runs; it restarts itself while work remains. */
  private kick(): void {
    if (this.writer !== undefined) return;
    if (this.queue.length === 0 && !this.replayWanted) return;
    this.writer = this.drain().finally(() => {
      this.writer = undefined;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.replayWanted && this.mode !== 'direct') {
        this.replayWanted = false;
        await this.replay();
        continue;
      }
      this.replayWanted = false;
      const batch = this.queue.splice(0, this.maxBatch);
      if (batch.length === 0) return;
      this.inFlight = batch.length;
      await this.write(batch);
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    if (this.mode === 'direct') {
      try {
        await this.breaker.execute(() =>
          writeEntries(
            this.pool,
            batch.map((p) => p.entry),
          ),
        );
        this.counts.committed += batch.length;
        this.counts.batches += 1;
        this.settle(batch);
        return;
      } catch (error) {
        this.reportError(error);
        this.startSpooling(error);
      }
    }
    await this.spoolBatch(batch);
  }

  /** Appends to the spool; only a failing disk rejects, as then nothing is durable. */
  private async spoolBatch(batch: Pending[]): Promise<void> {
    try {
      await this.spool?.append(batch.map((p) => p.entry));
      this.counts.spooled += batch.length;
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

  /**
   * Replays the spool in order, in batches. New appends keep going to the
   * spool meanwhile, so they stay durable and behind what is being replayed.
   * On failure it stays spooling and the next probe starts over: every
   * write is idempotent, so entries already replayed are harmless.
   */
  private async replay(): Promise<void> {
    const spool = this.spool;
    if (spool === undefined) return;
    this.mode = 'replaying';
    let offset = 0;
    let replayed = 0;
    try {
      for (;;) {
        const queued = this.queue.splice(0, this.maxBatch);
        if (queued.length > 0) await this.spoolBatch(queued);
        const { entries, nextOffset } = await spool.read(offset, this.maxBatch);
        if (entries.length === 0) break;
        await this.breaker.execute(() => writeEntries(this.pool, entries));
        offset = nextOffset;
        replayed += entries.length;
        this.counts.replayed += entries.length;
      }
      await spool.truncate();
    } catch (error) {
      this.reportError(error);
      this.mode = 'spooling';
      this.scheduleProbe();
      return;
    }
    this.mode = 'direct';
    const at = this.now();
    this.safeEmit('spoolDrained', { at, replayed, spooledForMs: at - this.spoolingSince });
  }

  private startSpooling(error: unknown): void {
    if (this.mode !== 'direct') return;
    this.mode = 'spooling';
    this.spoolingSince = this.now();
    this.safeEmit('spoolStarted', { at: this.spoolingSince, error: describeError(error).error });
    this.scheduleProbe();
  }

  /** Probes at most probeIntervalMs apart; the breaker lets one through per half-open. */
  private scheduleProbe(): void {
    if (this.probeTimer !== undefined || this.closing) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      void this.probe();
    }, this.probeIntervalMs).unref();
  }

  private async probe(): Promise<void> {
    if (this.mode !== 'spooling' || this.closing) return;
    try {
      await this.breaker.execute(() => this.pool.query('select 1'));
      this.replayWanted = true;
      this.kick();
    } catch (error) {
      if (!(error instanceof BrokenCircuitError)) this.reportError(error);
      this.scheduleProbe();
    }
  }

  /** Connects (retrying with backoff until the signal aborts) and migrates. */
  private async migrateWhenReachable(signal: AbortSignal | undefined): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      signal?.throwIfAborted();
      let client: pg.PoolClient | undefined;
      try {
        client = await this.pool.connect();
        await migrate(client);
        client.release();
        return;
      } catch (error) {
        client?.release(error instanceof Error ? error : true);
        this.reportError(error);
      }
      await sleep(Math.min(1_000, 100 * 2 ** attempt), signal);
    }
  }

  private reportError(error: unknown): void {
    this.safeEmit('databaseError', { at: this.now(), ...describeError(error) });
  }

  /** A throwing listener must not break the writer loop. */
  private safeEmit<E extends keyof JournalEvents>(event: E, ...args: JournalEvents[E]): void {
    try {
      (this.emit as (event: E, ...args: JournalEvents[E]) => boolean)(event, ...args);
    } catch {
      // The listener's problem; the journal carries on.
    }
  }
}
