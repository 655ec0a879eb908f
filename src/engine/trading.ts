import type { EventEmitter } from 'node:events';
import { OPEN_STATUSES, type Journal, type OrderRecord } from '../journal/index.js';
import { componentAlive, type ComponentName } from './components.js';
import type { VenueClient } from './connector/index.js';
import type { ENGINE_DEFAULTS, EngineEvents } from './engine-options.js';
import {
  failureOf,
  type DependencyBreaker,
  type EXECUTOR_DEFAULTS,
  type OrderExecutor,
  type OrderStore,
} from './executor/index.js';
import type { ComponentHealth } from './health/index.js';
import type { MarketDataFeed } from './market-data/index.js';
import type { BalanceReport, Reconciler } from './reconciler/index.js';
import type { StrategyRunner } from './strategies/index.js';
import type { EngineSummary, SummaryRecorder } from './summary.js';

export interface TradingParts {
  settings: typeof ENGINE_DEFAULTS;
  executorSettings: typeof EXECUTOR_DEFAULTS;
  events: EventEmitter<EngineEvents>;
  venue: VenueClient;
  journal: Journal;
  exchangeBreaker: DependencyBreaker;
  executor: OrderExecutor;
  reconciler: Reconciler;
  runner: StrategyRunner;
  feed: MarketDataFeed;
  store: OrderStore;
  summary: SummaryRecorder;
  components: () => Record<ComponentName, ComponentHealth>;
  checkBalances: (orders?: readonly OrderRecord[]) => Promise<BalanceReport>;
  signal: AbortSignal;
}

const UNCHECKED = { checked: false, assets: [], fillMismatches: [], unknownFills: 0, ok: false };

/**
 * The engine's running life: the strategies, the background work around them
 * (heartbeats, periodic and after-recovery reconciles), and an orderly stop.
 */
export class Trading {
  private readonly timers: NodeJS.Timeout[] = [];
  private stopping: Promise<EngineSummary> | undefined;

  constructor(private readonly parts: TradingParts) {}

  startTrading(): void {
    if (this.stopping) return;
    this.parts.summary.tradingStarted();
    this.parts.runner.start();
  }

  /** Heartbeats, reconciles, and the events the watchdog listens to. */
  startBackground(): void {
    const { settings, events, venue, journal, exchangeBreaker, executor, reconciler, feed } =
      this.parts;
    feed.start();
    const reconcileSoon = () => void reconciler.run().catch(() => undefined);
    exchangeBreaker.on('state', ({ state, at, lastError }) => {
      const lastFailure = lastError === undefined ? undefined : failureOf(lastError);
      events.emit('breaker', { dependency: 'exchange', state, at, lastFailure });
      // A healed exchange may have left orders UNKNOWN: settle them now, not at the next period.
      if (state === 'closed') reconcileSoon();
    });
    journal.on('breaker', ({ state, at }) =>
      events.emit('breaker', { dependency: 'database', state, at }),
    );
    journal.on('spoolStarted', (detail) =>
      events.emit('spool', { state: 'started', at: detail.at, detail }),
    );
    journal.on('spoolDrained', (detail) => {
      events.emit('spool', { state: 'drained', at: detail.at, detail });
      reconcileSoon();
    });
    venue.on('rateLimited', (event) => events.emit('rateLimited', event));
    executor.on('outcome', (event) => events.emit('outcome', event));
    this.every(settings.reconcileIntervalMs, reconcileSoon);
    this.every(settings.heartbeatIntervalMs, () => this.heartbeat());
  }

  /** Stops the strategies, drains in-flight orders, cancels resting ones, settles the journal. */
  stop(): Promise<EngineSummary> {
    // A failed stop (say, the database away) can be tried again; a good one is kept.
    this.stopping ??= this.orderlyStop().catch((error: unknown) => {
      this.stopping = undefined;
      throw error;
    });
    return this.stopping;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    await this.parts.runner.stop();
    this.parts.feed.stop();
  }

  private async orderlyStop(): Promise<EngineSummary> {
    const { settings, runner, executor, reconciler, summary } = this.parts;
    await runner.stop();
    summary.tradingStopped();
    await executor.drain(settings.drainTimeoutMs);
    if (settings.cancelOpenOrdersOnStop) await this.cancelResting();
    await this.parts.journal.flush();
    const report = await reconciler.settle(this.settleTimeoutMs());
    // Read once for both the balance check and the summary: a long run's journal is large.
    const orders = await this.parts.journal.orders().catch(() => undefined);
    const balances = await this.parts.checkBalances(orders).catch((error: unknown) => ({
      ...UNCHECKED,
      at: Date.now(),
      reason: `the venue or the journal could not be read: ${String(error)}`,
    }));
    return summary.summary(report.unresolved.length, balances, orders);
  }

  private async cancelResting(): Promise<void> {
    const { store, executor } = this.parts;
    const open = store.orders().filter((order) => OPEN_STATUSES.has(order.status));
    for (let i = 0; i < open.length; i += 16) {
      const batch = open.slice(i, i + 16);
      await Promise.all(batch.map((order) => executor.cancel(order.clientOrderId)));
    }
  }

  /** Long enough for every unresolved order to pass the point where the venue's answer is final. */
  private settleTimeoutMs(): number {
    const { orderDeadlineMs, clockMarginMs } = this.parts.executorSettings;
    return orderDeadlineMs + this.parts.venue.recvWindowMs + clockMarginMs + 5_000;
  }

  private heartbeat(): void {
    const at = Date.now();
    const { runner, settings } = this.parts;
    for (const [name, health] of Object.entries(this.parts.components())) {
      const component = name as ComponentName;
      // A component whose loop stopped stays silent: the watchdog notices the missed beats.
      if (!componentAlive(component, runner, at, settings.heartbeatIntervalMs)) continue;
      this.parts.events.emit('heartbeat', { component, at, health });
    }
  }

  private every(intervalMs: number, fn: () => void): void {
    if (this.parts.signal.aborted) return;
    this.timers.push(setInterval(fn, intervalMs).unref());
  }
}
