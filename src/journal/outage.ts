import type pg from 'pg';
import { BrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import { describeError } from './errors.js';
import type { JournalEvents, JournalMode } from './journal.js';
import type { JournalEntry } from './model.js';
import { SpoolFile } from './spool.js';
import { writeEntries } from './store.js';

/** What the outage machinery needs of the journal it serves; durations in ms. */
export interface OutageOptions {
  pool: pg.Pool;
  /** The breaker every database write and probe goes through. */
  breaker: CircuitBreakerPolicy;
  /** Most entries per replayed write. */
  maxBatchEntries: number;
  /** Interval between recovery probes while spooling, ms. */
  probeIntervalMs: number;
  now: () => number;
  /** A probe found the database back: the writer loop should run replay(). */
  onRecovered: () => void;
  emit: <E extends keyof JournalEvents>(event: E, ...args: JournalEvents[E]) => void;
  reportError: (error: unknown) => void;
}

/**
 * The journal's outage machinery: the spool file, the mode, the recovery
 * probe and the replay of the spool into the database. Only the journal's
 * writer loop calls spool() and replay(), so they never overlap.
 */
export class Outage {
  private currentMode: JournalMode = 'direct';
  private spoolingSince = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Entries written to the spool, and replayed from it, since open(). */
  readonly counts = { spooled: 0, replayed: 0 };

  private constructor(
    private readonly spoolFile: SpoolFile,
    private readonly options: OutageOptions,
  ) {}

  /** Opens (or creates) the spool at spoolPath, repairing a torn tail. */
  static async open(spoolPath: string, options: OutageOptions): Promise<Outage> {
    return new Outage(await SpoolFile.open(spoolPath), options);
  }

  get mode(): JournalMode {
    return this.currentMode;
  }

  /** Entries in the spool, not yet in the database. */
  get depth(): number {
    return this.spoolFile.depth;
  }

  /** Every spooled entry, in order. */
  async entries(): Promise<JournalEntry[]> {
    return this.spoolFile.depth > 0 ? this.spoolFile.readAll() : [];
  }

  /** A previous process left entries behind: spooling until they are replayed. */
  resume(): void {
    this.currentMode = 'spooling';
    this.spoolingSince = this.options.now();
  }

  /** A database write failed: later writes go to the spool until a probe succeeds. */
  start(error: unknown): void {
    if (this.currentMode !== 'direct') return;
    this.currentMode = 'spooling';
    this.spoolingSince = this.options.now();
    const at = this.spoolingSince;
    this.options.emit('spoolStarted', { at, error: describeError(error).error });
    this.scheduleProbe();
  }

  /** Appends entries and waits until they are on disk; throws if the disk fails. */
  async spool(entries: readonly JournalEntry[]): Promise<void> {
    await this.spoolFile.append(entries);
    this.counts.spooled += entries.length;
  }

  /**
   * Replays the spool in order, in batches. New appends keep going to the
   * spool meanwhile, so they stay durable and behind what is being replayed.
   * On failure it stays spooling and the next probe starts over: every
   * write is idempotent, so entries already replayed are harmless.
   * spoolQueued moves what was appended meanwhile into the spool; it runs
   * before each read and never throws.
   */
  async replay(spoolQueued: () => Promise<void>): Promise<void> {
    this.currentMode = 'replaying';
    let replayed = 0;
    try {
      replayed = await this.replayAll(spoolQueued);
      await this.spoolFile.truncate();
    } catch (error) {
      this.options.reportError(error);
      this.currentMode = 'spooling';
      this.scheduleProbe();
      return;
    }
    this.currentMode = 'direct';
    const at = this.options.now();
    this.options.emit('spoolDrained', { at, replayed, spooledForMs: at - this.spoolingSince });
  }

  /** No more probes: the journal is closing. */
  stopProbing(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
  }

  async close(): Promise<void> {
    this.stopProbing();
    await this.spoolFile.close();
  }

  /** Writes the whole spool to the database, up to its end; returns how many entries. */
  private async replayAll(spoolQueued: () => Promise<void>): Promise<number> {
    const { breaker, pool, maxBatchEntries } = this.options;
    let offset = 0;
    let replayed = 0;
    for (;;) {
      await spoolQueued();
      const { entries, nextOffset } = await this.spoolFile.read(offset, maxBatchEntries);
      if (entries.length === 0) return replayed;
      await breaker.execute(() => writeEntries(pool, entries));
      offset = nextOffset;
      replayed += entries.length;
      this.counts.replayed += entries.length;
    }
  }

  /** Probes at most probeIntervalMs apart; the breaker lets one through per half-open. */
  private scheduleProbe(): void {
    if (this.probeTimer !== undefined || this.stopped) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      void this.probe();
    }, this.options.probeIntervalMs).unref();
  }

  private async probe(): Promise<void> {
    if (this.currentMode !== 'spooling' || this.stopped) return;
    try {
      await this.options.breaker.execute(() => this.options.pool.query('select 1'));
    } catch (error) {
      if (!(error instanceof BrokenCircuitError)) this.options.reportError(error);
      this.scheduleProbe();
      return;
    }
    // close() may have begun (or finished) while the probe was out: it makes its own last attempt.
    if (!this.stopped) this.options.onRecovered();
  }
}
