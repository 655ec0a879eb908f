import type {
  BalanceBaseline,
  JournalEntry,
  OrderEvent,
  OrderRecord,
  OrderStatus,
} from './model.js';

/** Where journal writes go right now. */
export type JournalMode = 'direct' | 'spooling' | 'replaying';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface JournalStatus {
  mode: JournalMode;
  /** Entries in the spool file, not yet in the database. */
  spoolDepth: number;
  /** Entries accepted by append() and not yet durable. */
  pendingWrites: number;
  /** The database circuit breaker. */
  breaker: BreakerState;
  /** Entries committed to the database since open(). */
  committed: number;
  /** Entries written to the spool since open(). */
  spooled: number;
  /** Entries replayed from the spool into the database since open(). */
  replayed: number;
  /** Database writes that committed entries since open(): one per group commit. */
  batches?: number;
  /** Time those writes took, summed, ms: with `batches`, the database's write latency. */
  batchMsTotal?: number;
}

/** Typed events a journal emits; the engine forwards them to the watchdog. */
export interface JournalEvents {
  /** The database became unreachable: writes now go to the spool. */
  spoolStarted: [{ at: number; error: string }];
  /** The spool was replayed into the database and emptied; writes go direct again. */
  spoolDrained: [{ at: number; replayed: number; spooledForMs: number }];
  breaker: [{ at: number; state: BreakerState }];
  /** A database write or probe failed (also while spooling). */
  databaseError: [{ at: number; error: string; code: string | undefined }];
}

/**
 * The order journal. Writes are durable before append() resolves: committed to
 * the database, or fsync'd to the spool file while the database is down.
 */
export interface Journal {
  /** Runs migrations and replays any spool a previous process left. Retries until the database answers or the signal aborts. */
  open(signal?: AbortSignal): Promise<void>;
  /**
   * Records one change durably. Entries of one order must be appended in
   * version order; entries are applied in append order. Idempotent by
   * (clientOrderId, version): appending the same entry twice changes nothing.
   */
  append(entry: JournalEntry): Promise<void>;
  /** Orders from the database, optionally only those with the given statuses. Throws while the database is unreachable. */
  orders(filter?: { statuses?: readonly OrderStatus[] }): Promise<OrderRecord[]>;
  /** One order, or undefined. */
  order(clientOrderId: string): Promise<OrderRecord | undefined>;
  /** Every event of one order, by version. */
  events(clientOrderId: string): Promise<OrderEvent[]>;
  /** The highest client order sequence number used per strategy (the `<seq>` of `<strategyId>-<seq>`). */
  lastSequences(): Promise<Map<string, number>>;
  /** The account's balances at the last quiet start, if recorded. Throws while the database is unreachable. */
  balanceBaseline(): Promise<BalanceBaseline | undefined>;
  /** Replaces the baseline: taken when no order is live, so later fills alone must explain any change. */
  recordBalanceBaseline(baseline: BalanceBaseline): Promise<void>;
  status(): JournalStatus;
  on<E extends keyof JournalEvents>(event: E, listener: (...args: JournalEvents[E]) => void): this;
  off<E extends keyof JournalEvents>(event: E, listener: (...args: JournalEvents[E]) => void): this;
  /** Waits for every pending write to be durable (database or spool). */
  flush(): Promise<void>;
  /** Flushes, tries once to replay the spool, and closes the pool. */
  close(): Promise<void>;
}
