import { LatencyRecorder, type LatencyPercentiles } from '../common/index.js';
import {
  ORDER_STATUSES,
  type Journal,
  type OrderRecord,
  type OrderStatus,
} from '../journal/index.js';
import type { OrderExecutor, PlaceOutcome } from './executor/index.js';
import type { BalanceReport } from './reconciler/index.js';

export type OutcomeKind = PlaceOutcome['kind'];

export interface EngineSummary {
  startedAt: number;
  stoppedAt: number;
  /** Seconds the strategies traded. */
  tradingSeconds: number;
  /** Intents by outcome, as the executor decided them. */
  outcomes: Record<OutcomeKind, number>;
  /** Journaled orders by status, after the final reconcile. */
  ordersByStatus: Record<OrderStatus, number>;
  /** Orders the venue acknowledged, per second of trading. */
  ordersPerSecond: number;
  /** From intent to the venue's acknowledgement, placed orders only. */
  latencyMs: LatencyPercentiles;
  /** Orders still PENDING or UNKNOWN after the final reconcile. */
  unresolved: number;
  /** The venue's balances explained from the journal's fills and the venue's fees. */
  balances: BalanceReport;
}

const OUTCOME_KINDS: readonly OutcomeKind[] = [
  'placed',
  'rejected',
  'abandoned',
  'unknown',
  'refused',
  'shed',
];

/** Counts outcomes and latencies as they happen, with bounded memory. */
export class SummaryRecorder {
  private readonly latency = new LatencyRecorder();
  private readonly outcomes = Object.fromEntries(OUTCOME_KINDS.map((kind) => [kind, 0])) as Record<
    OutcomeKind,
    number
  >;
  private tradingStartedAt: number | undefined;
  private tradingStoppedAt: number | undefined;
  private readonly startedAt = Date.now();

  constructor(
    executor: OrderExecutor,
    private readonly journal: Journal,
  ) {
    executor.on('outcome', ({ outcome }) => {
      this.outcomes[outcome.kind] += 1;
      if (outcome.kind === 'placed') this.latency.record(outcome.latencyMs);
    });
  }

  tradingStarted(): void {
    this.tradingStartedAt ??= Date.now();
  }

  tradingStopped(): void {
    this.tradingStoppedAt ??= Date.now();
  }

  /** `orders`: the journal's orders when the caller has just read them; read here otherwise. */
  async summary(
    unresolved: number,
    balances: BalanceReport,
    orders?: readonly OrderRecord[],
  ): Promise<EngineSummary> {
    const stoppedAt = Date.now();
    const tradingSeconds =
      ((this.tradingStoppedAt ?? stoppedAt) - (this.tradingStartedAt ?? stoppedAt)) / 1000;
    const ordersByStatus = Object.fromEntries(
      ORDER_STATUSES.map((status) => [status, 0]),
    ) as Record<OrderStatus, number>;
    for (const order of orders ?? (await this.journal.orders())) ordersByStatus[order.status] += 1;
    return {
      startedAt: this.startedAt,
      stoppedAt,
      tradingSeconds,
      outcomes: { ...this.outcomes },
      ordersByStatus,
      ordersPerSecond: tradingSeconds > 0 ? this.outcomes.placed / tradingSeconds : 0,
      latencyMs: this.latency.percentiles(),
      unresolved,
      balances,
    };
  }
}
