import { EventEmitter } from 'node:events';
import { withDefaults } from '../../common/index.js';
import { bulkhead, BulkheadRejectedError, type BulkheadPolicy } from 'cockatiel';
import type { Journal, OrderEventKind, OrderRecord } from '../../journal/index.js';
import type { VenueClient, VenueFailure } from '../connector/index.js';
import type { RiskGate, RiskRefusalReason } from '../risk/index.js';
import type { OrderIntent } from '../strategies/index.js';
import { cancelOrder, type CancelOutcome } from './cancellation.js';
import type { ClientOrderIds } from './client-ids.js';
import type { DependencyBreaker } from './dependency-breaker.js';
import type { OrderStore } from './order-store.js';
import { placeOrder, type PlacementContext, type PlacementResult } from './placement.js';
import { newOrderRecord } from './records.js';

export interface ExecutorOptions {
  venue: VenueClient;
  journal: Journal;
  risk: RiskGate;
  /** The exchange's circuit breaker, shared with the reconciler and market data. */
  breaker: DependencyBreaker;
  store: OrderStore;
  ids: ClientOrderIds;
  /** Reference price of a symbol for risk checks of market orders, or undefined when none is known. */
  priceOf: (symbol: string) => number | undefined;
  now?: () => number;
  /** Orders being placed at once (the bulkhead). Default 256. */
  maxInFlight?: number;
  /** Orders waiting for a bulkhead slot; beyond this, intents are shed. Default 10 000. */
  maxQueued?: number;
  /** No placement request is sent later than this after the intent, ms. Default 10 000. */
  orderDeadlineMs?: number;
  /** How long to keep querying an UNKNOWN order before leaving it to the reconciler, ms. Default 30 000. */
  resolveDeadlineMs?: number;
  /** Added to the venue's recvWindow before a "no such order" is trusted, ms. Default 1000. */
  clockMarginMs?: number;
  /** First retry delay, ms (exponential with jitter). Default 50. */
  retryInitialDelayMs?: number;
  /** Longest retry delay, ms. Default 1000. */
  retryMaxDelayMs?: number;
  /**
   * Broken on purpose, never for trading: resend an order whose answer was
   * lost at once, without asking the venue, as naive bots do. It exists so a
   * chaos run can show that the invariant check catches the duplicates this
   * makes. Default false.
   */
  unsafeBlindRetry?: boolean;
  signal?: AbortSignal;
}

export const EXECUTOR_DEFAULTS = {
  maxInFlight: 256,
  maxQueued: 10_000,
  orderDeadlineMs: 10_000,
  resolveDeadlineMs: 30_000,
  clockMarginMs: 1_000,
  retryInitialDelayMs: 50,
  retryMaxDelayMs: 1_000,
  unsafeBlindRetry: false,
};

export type PlaceOutcome =
  | (PlacementResult & { latencyMs: number })
  | { kind: 'refused'; reason: RiskRefusalReason }
  | { kind: 'shed' };

export interface ExecutorEvents {
  /** An order changed, after the change was journaled. */
  order: [{ order: OrderRecord; kind: OrderEventKind }];
  /** An intent reached an outcome. */
  outcome: [{ strategyId: string; outcome: PlaceOutcome }];
  retry: [{ failure: VenueFailure }];
}

/**
 * Turns intents into venue orders: risk check, bulkhead, journal, send, and
 * a definite outcome (see placement.ts for the rules against duplicates).
 */
export class OrderExecutor extends EventEmitter<ExecutorEvents> {
  private readonly bulkhead: BulkheadPolicy;
  private readonly context: PlacementContext;
  private readonly now: () => number;
  private readonly cancelling = new Set<string>();
  /** Client order ids whose placement is running: the reconciler leaves these to us. */
  private readonly placingIds = new Set<string>();
  private placing = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: ExecutorOptions) {
    super();
    const settings = withDefaults(EXECUTOR_DEFAULTS, options);
    this.now = options.now ?? Date.now;
    this.bulkhead = bulkhead(settings.maxInFlight, settings.maxQueued);
    this.context = {
      ...settings,
      venue: options.venue,
      journal: options.journal,
      breaker: options.breaker,
      now: this.now,
      signal: options.signal ?? new AbortController().signal,
      onChange: (order, kind) => {
        options.store.put(order);
        this.emit('order', { order, kind });
      },
      onRetry: (failure) => this.emit('retry', { failure }),
    };
  }

  /** Orders accepted by place() and not yet at an outcome (queued ones included). */
  get inFlight(): number {
    return this.placing;
  }

  isPlacing(clientOrderId: string): boolean {
    return this.placingIds.has(clientOrderId);
  }

  /** Places one intent and resolves with its outcome; never rejects. */
  async place(intent: OrderIntent): Promise<PlaceOutcome> {
    const outcome = await this.tryPlace(intent);
    this.emit('outcome', { strategyId: intent.strategyId, outcome });
    return outcome;
  }

  /** Cancels an open order by client order id. */
  cancel(clientOrderId: string): Promise<CancelOutcome> {
    return cancelOrder(this.context, this.options.store, this.cancelling, clientOrderId);
  }

  /** Resolves when nothing is in flight, or false after timeoutMs. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.placing === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs).unref();
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private async tryPlace(intent: OrderIntent): Promise<PlaceOutcome> {
    const { store, risk } = this.options;
    const verdict = risk.check(intent, {
      openOrders: store.orders(intent.strategyId).length,
      positionBase: store.position(intent.strategyId, intent.symbol),
      price: intent.price !== null ? Number(intent.price) : this.options.priceOf(intent.symbol),
    });
    if (!verdict.ok) return { kind: 'refused', reason: verdict.reason };
    this.placing += 1;
    try {
      // No signal for the bulkhead: cockatiel never wakes the next queued task after an
      // aborted one, so queued intents would never settle. Each task checks the signal itself.
      return await this.bulkhead.execute(() => this.journalAndPlace(intent));
    } catch (error) {
      if (error instanceof BulkheadRejectedError) return { kind: 'shed' };
      throw error;
    } finally {
      this.placing -= 1;
      if (this.placing === 0) this.wakeIdleWaiters();
    }
  }

  private async journalAndPlace(intent: OrderIntent): Promise<PlaceOutcome> {
    // Shutting down: an intent not yet journaled is dropped, never half-started.
    if (this.context.signal.aborted) return { kind: 'shed' };
    const order = newOrderRecord(intent, this.options.ids.next(intent.strategyId), this.now());
    // The intent is durable before anything is sent: a crash after this point is recoverable.
    this.placingIds.add(order.clientOrderId);
    try {
      await this.options.journal.append({ kind: 'INTENT', order });
      this.context.onChange(order, 'INTENT');
      const result = await placeOrder(this.context, order);
      const ackAt = result.kind === 'placed' ? result.ackAt : this.now();
      return { ...result, latencyMs: ackAt - intent.intendedAt };
    } finally {
      this.placingIds.delete(order.clientOrderId);
    }
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
