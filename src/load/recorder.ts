import { LatencyRecorder, type LatencyPercentiles } from '../common/index.js';
import type { OrderReceipt } from '../stack/index.js';

/** One second of the run, by when orders were sent and when they settled. */
export interface SecondRow {
  /** Seconds since the run started. */
  second: number;
  sent: number;
  placed: number;
  failed: number;
  /** p95 of the orders placed in this second, intent to ack, ms; null when none. */
  p95Ms: number | null;
}

export interface StrategyStats {
  id: string;
  intents: number;
  placed: number;
  failed: number;
  latencyMs: LatencyPercentiles;
}

interface StrategyTally {
  intents: number;
  placed: number;
  failed: number;
  latency: LatencyRecorder;
}

/**
 * Everything a load run measures, in memory that does not grow with the
 * number of orders: HDR histograms, counters, one row per second and one
 * tally per strategy. No per-order arrays, so a million-order run costs what
 * a thousand-order one does.
 */
export class LoadRecorder {
  /** Intent to the venue's acknowledgement, placed orders (the SLA figure). */
  readonly latency = new LatencyRecorder();
  /** Hand-over to the engine to the acknowledgement: what the engine alone took. */
  readonly service = new LatencyRecorder();
  intents = 0;
  placed = 0;
  /** Sent later than LATE_AFTER_MS after their intended time (open model). */
  late = 0;
  /** Never sent: their strategy's backlog was full (open model). */
  dropped = 0;
  firstSentAt: number | undefined;
  lastSettledAt: number | undefined;
  private latencySumMs = 0;
  private readonly failureCounts = new Map<string, number>();
  private readonly rows: SecondRow[] = [];
  private readonly secondLatency = new LatencyRecorder({ significantDigits: 2 });
  private secondOfLatency = -1;
  private readonly strategies: StrategyTally[];

  constructor(
    private readonly strategyIds: readonly string[],
    /** When the run started, ms since the epoch: second 0. */
    private readonly startedAt: number,
    private readonly now: () => number = Date.now,
  ) {
    this.strategies = strategyIds.map(() => ({
      intents: 0,
      placed: 0,
      failed: 0,
      latency: new LatencyRecorder({ significantDigits: 2 }),
    }));
  }

  sent(strategy: number, intendedAt: number, sentAt: number, lateAfterMs: number): void {
    this.intents += 1;
    this.strategies[strategy]!.intents += 1;
    this.firstSentAt ??= sentAt;
    this.row(sentAt).sent += 1;
    if (sentAt - intendedAt > lateAfterMs) this.late += 1;
  }

  settled(strategy: number, intendedAt: number, sentAt: number, receipt: OrderReceipt): void {
    const at = this.now();
    this.lastSettledAt = at;
    const tally = this.strategies[strategy]!;
    const row = this.row(at);
    if (receipt.kind !== 'placed' || receipt.ackAt === null) {
      tally.failed += 1;
      row.failed += 1;
      this.fail(receipt.detail === null ? receipt.kind : `${receipt.kind}:${receipt.detail}`);
      return;
    }
    const latencyMs = receipt.ackAt - intendedAt;
    this.placed += 1;
    this.latencySumMs += Math.max(0, latencyMs);
    tally.placed += 1;
    row.placed += 1;
    this.latency.record(latencyMs);
    this.service.record(receipt.ackAt - sentAt);
    tally.latency.record(latencyMs);
    if (row.second !== this.secondOfLatency) this.closeSecond(row.second);
    this.secondLatency.record(latencyMs);
  }

  /** An arrival its strategy could not take: counted as an intent and a failure. */
  drop(strategy: number): void {
    this.intents += 1;
    this.dropped += 1;
    const tally = this.strategies[strategy]!;
    tally.intents += 1;
    tally.failed += 1;
    this.row(this.now()).failed += 1;
    this.fail('dropped');
  }

  get failed(): number {
    return this.intents - this.placed;
  }

  /** Mean intent-to-ack latency of placed orders, ms. */
  get meanLatencyMs(): number {
    return this.placed === 0 ? 0 : this.latencySumMs / this.placed;
  }

  failures(): Record<string, number> {
    return Object.fromEntries([...this.failureCounts].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Per-second rows up to now, gaps filled with zeros; the current second's p95 so far. */
  seconds(): SecondRow[] {
    const current = this.rows[this.secondOfLatency];
    if (current !== undefined && this.secondLatency.count > 0)
      current.p95Ms = this.secondLatency.percentiles().p95;
    const filled: SecondRow[] = [];
    for (let second = 0; second < this.rows.length; second++)
      filled.push(this.rows[second] ?? { second, sent: 0, placed: 0, failed: 0, p95Ms: null });
    return filled;
  }

  strategyStats(): StrategyStats[] {
    return this.strategies.map((tally, index) => ({
      id: this.strategyIds[index]!,
      intents: tally.intents,
      placed: tally.placed,
      failed: tally.failed,
      latencyMs: tally.latency.percentiles(),
    }));
  }

  /** The newest complete second's row, for progress lines. */
  lastSecond(): SecondRow | undefined {
    const current = Math.floor((this.now() - this.startedAt) / 1000);
    return this.rows[current - 1];
  }

  private fail(type: string): void {
    this.failureCounts.set(type, (this.failureCounts.get(type) ?? 0) + 1);
  }

  private row(at: number): SecondRow {
    const second = Math.max(0, Math.floor((at - this.startedAt) / 1000));
    return (this.rows[second] ??= { second, sent: 0, placed: 0, failed: 0, p95Ms: null });
  }

  /** Writes the p95 of the second being collected into its row and starts `next`. */
  private closeSecond(next: number): void {
    const row = this.rows[this.secondOfLatency];
    if (row !== undefined && this.secondLatency.count > 0)
      row.p95Ms = this.secondLatency.percentiles().p95;
    this.secondLatency.reset();
    this.secondOfLatency = next;
  }
}
