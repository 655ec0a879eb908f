import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { sleep } from '../common/index.js';
import { breakerState, createDatabaseBreaker } from './breaker.js';
import { describeError, JournalError } from './errors.js';
import type { Journal, JournalEvents, JournalStatus } from './journal.js';
import { migrateWhenReachable } from './migrations.js';
import type {
  BalanceBaseline,
  JournalEntry,
  OrderEvent,
  OrderRecord,
  OrderStatus,
} from './model.js';
import { Outage } from './outage.js';
import { createPool, type PoolOptions } from './pool.js';
import { invalidEntry, parseClientOrderId } from './rows.js';
import {
  readBalanceBaseline,
  readEvents,
  readLastSequences,
  readOrder,
  readOrders,
  writeBalanceBaseline,
} from './store.js';
import { Writer } from './writer.js';

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

/** A journal on PostgreSQL (or PGlite over the wire), with group commit and an outage spool. */
export function createPgJournal(options: PgJournalOptions): Journal {
  return new PgJournal(options);
}

/**
 * The Journal API over one pool: reads go straight to the database, writes
 * go through the single Writer loop, which spools through Outage while the
 * database is down.
 */
class PgJournal extends EventEmitter<JournalEvents> implements Journal {
  private readonly pool: pg.Pool;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly now: () => number;
  private outage: Outage | undefined;
  private writer: Writer | undefined;
  private closing = false;

  constructor(private readonly options: PgJournalOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.pool = createPool(options, (error) => this.reportError(error));
    this.breaker = createDatabaseBreaker({
      threshold: options.breakerThreshold ?? DEFAULTS.breakerThreshold,
      halfOpenAfterMs: options.halfOpenAfterMs ?? DEFAULTS.halfOpenAfterMs,
      onState: (state) => this.safeEmit('breaker', { at: this.now(), state }),
    });
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (this.closing) throw new JournalError('CLOSED', 'journal is closed');
    const outage = (this.outage ??= await this.openOutage());
    await migrateWhenReachable(this.pool, signal, (error) => this.reportError(error));
    // Only now: an append before the migration and the replay below would overtake the spool.
    const writer = (this.writer ??= this.createWriter(outage));
    if (outage.depth === 0) return;
    // A previous process left entries behind: replay them before anything new.
    outage.resume();
    writer.requestReplay();
    await writer.flush();
    // Until they are in, the database is stale, and callers rebuild their memory from it next.
    while (outage.mode !== 'direct') {
      if (this.closing) throw new JournalError('CLOSED', 'journal is closed');
      signal?.throwIfAborted();
      await sleep(this.probeIntervalMs, signal);
    }
  }

  append(entry: JournalEntry): Promise<void> {
    if (this.closing) return Promise.reject(new JournalError('CLOSED', 'journal is closed'));
    if (this.writer === undefined) {
      return Promise.reject(new JournalError('NOT_OPEN', 'append() before open()'));
    }
    const invalid = invalidEntry(entry);
    if (invalid !== undefined) return Promise.reject(new JournalError('INVALID_ENTRY', invalid));
    return this.writer.enqueue(entry);
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

  /** In one transaction, so a reader never sees half the old baseline and half the new. */
  async recordBalanceBaseline(baseline: BalanceBaseline): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await writeBalanceBaseline(client, baseline);
      await client.query('commit');
      client.release();
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  /** From the database, raised by entries still in the spool or queue, so no sequence is reused. */
  async lastSequences(): Promise<Map<string, number>> {
    const sequences = await readLastSequences(this.pool);
    const local = [...((await this.outage?.entries()) ?? []), ...(this.writer?.queued() ?? [])];
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
      mode: this.outage?.mode ?? 'direct',
      spoolDepth: this.outage?.depth ?? 0,
      pendingWrites: this.writer?.pending ?? 0,
      breaker: breakerState(this.breaker.state),
      committed: this.writer?.counts.committed ?? 0,
      spooled: this.outage?.counts.spooled ?? 0,
      replayed: this.outage?.counts.replayed ?? 0,
      batches: this.writer?.counts.batches ?? 0,
      batchMsTotal: Math.round(this.writer?.counts.batchMsTotal ?? 0),
    };
  }

  async flush(): Promise<void> {
    await this.writer?.flush();
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.outage?.stopProbing();
    await this.flush();
    const { outage, writer } = this;
    if (
      writer !== undefined &&
      outage !== undefined &&
      outage.mode !== 'direct' &&
      outage.depth > 0
    ) {
      // One last attempt, so a clean shutdown after an outage leaves no spool behind.
      writer.requestReplay();
      await writer.flush();
    }
    await this.pool.end().catch(() => undefined);
    await this.outage?.close();
  }

  private get probeIntervalMs(): number {
    return this.options.probeIntervalMs ?? DEFAULTS.probeIntervalMs;
  }

  private openOutage(): Promise<Outage> {
    return Outage.open(this.options.spoolPath, {
      pool: this.pool,
      breaker: this.breaker,
      maxBatchEntries: this.options.maxBatchEntries ?? DEFAULTS.maxBatchEntries,
      probeIntervalMs: this.probeIntervalMs,
      now: this.now,
      onRecovered: () => this.writer?.requestReplay(),
      emit: (event, ...args) => this.safeEmit(event, ...args),
      reportError: (error) => this.reportError(error),
    });
  }

  private createWriter(outage: Outage): Writer {
    return new Writer(outage, {
      pool: this.pool,
      breaker: this.breaker,
      maxBatchEntries: this.options.maxBatchEntries ?? DEFAULTS.maxBatchEntries,
      reportError: (error) => this.reportError(error),
    });
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
