import { EventEmitter, setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { formatAmount, signedAmount, sleep, withDefaults } from '../common/index.js';
import { createPgJournal, EMBEDDED_POOL_SIZE, type Journal } from '../journal/index.js';
import { componentHealth, type ComponentName } from './components.js';
import { CcxtVenueClient, type MarketRules } from './connector/index.js';
import type { EngineEvents, EngineOptions } from './engine-options.js';
import { ENGINE_DEFAULTS } from './engine-options.js';
import {
  ClientOrderIds,
  DependencyBreaker,
  EXECUTOR_DEFAULTS,
  isExchangeFault,
  OrderExecutor,
  OrderStore,
} from './executor/index.js';
import {
  healthReport,
  startHealthServer,
  type ComponentHealth,
  type HealthServer,
} from './health/index.js';
import { MarketDataFeed } from './market-data/index.js';
import { engineMetrics } from './metrics.js';
import {
  checkBalances,
  Reconciler,
  type BalanceReport,
  type ReconcileReport,
} from './reconciler/index.js';
import { RiskGate } from './risk/index.js';
import { buildStrategies, StrategyRunner, type Strategy } from './strategies/index.js';
import { restoreStore } from './restore.js';
import { SummaryRecorder, type EngineSummary } from './summary.js';
import { Trading } from './trading.js';

export interface Engine {
  healthUrl: string;
  metricsUrl: string;
  events: EventEmitter<EngineEvents>;
  executor: OrderExecutor;
  journal: Journal;
  venue: CcxtVenueClient;
  risk: RiskGate;
  reconciler: Reconciler;
  store: OrderStore;
  strategies: readonly Strategy[];
  health: HealthServer;
  /** Each component's health now, as heartbeats and /health report it. */
  components(): Record<ComponentName, ComponentHealth>;
  /** Explains the venue's balances from the journal; meaningful only when nothing is in flight. */
  checkBalances(): Promise<BalanceReport>;
  /** Starts the strategy loops (createEngine does unless `autoTrade` is false). */
  startTrading(): void;
  /** Stops strategies, drains, cancels resting orders, reconciles, and says what happened. */
  stop(): Promise<EngineSummary>;
  /** Releases everything; stop() first for an orderly end. */
  close(): Promise<void>;
}

/**
 * Starts the trading engine: journal first (an order is journaled before it
 * is sent), then the venue's rules, a reconcile of whatever a previous process
 * left, and only then trading.
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { strategies: strategyOption, ...rest } = options;
  const settings = withDefaults(ENGINE_DEFAULTS, rest);
  const lifetime = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, lifetime.signal])
    : lifetime.signal;
  // Every in-flight order and query listens on the engine's signal; hundreds at once are expected.
  setMaxListeners(0, lifetime.signal, signal);
  const events = new EventEmitter<EngineEvents>();
  const venue = new CcxtVenueClient({ timeoutMs: settings.requestTimeoutMs, ...options.exchange });
  const journal = createPgJournal({
    connectionString: options.database.url,
    spoolPath: join(options.dataDir, 'journal.spool'),
    poolSize: options.database.embedded ? EMBEDDED_POOL_SIZE : undefined,
  });
  await journal.open(signal);
  const rules = await untilAnswered((s) => venue.markets(s), signal);
  const symbols = options.symbols ?? settings.defaultSymbols;
  const store = new OrderStore();
  const ids = new ClientOrderIds();
  ids.restore(await journal.lastSequences());
  if ((await restoreStore(journal, store)) === 0) {
    // A new journal: what the account holds now is what its fills will have to explain.
    await journal.recordBalanceBaseline({
      at: Date.now(),
      balances: await totalBalances(venue, signal),
    });
  }
  const exchangeBreaker = new DependencyBreaker({
    isFailure: isExchangeFault,
    probe: (s) => venue.ping(s),
    halfOpenAfterMs: settings.breakerHalfOpenAfterMs,
  });
  const risk = new RiskGate(options.risk);
  const feed = new MarketDataFeed({ venue, symbols, signal });
  const executorSettings = withDefaults(EXECUTOR_DEFAULTS, settings.executor);
  const executor = new OrderExecutor({
    ...executorSettings,
    venue,
    journal,
    risk,
    breaker: exchangeBreaker,
    store,
    ids,
    priceOf: (symbol) => midOf(feed.book(symbol)),
    signal,
  });
  const strategies =
    typeof strategyOption === 'object'
      ? strategyOption
      : buildStrategies({
          count: strategyOption ?? settings.strategies,
          symbols: symbols.filter((symbol) => rules.has(symbol)),
          seed: settings.seed,
          intervalMs: settings.strategyIntervalMs,
        });
  const strategyIds = new Set(strategies.map((strategy) => strategy.id));
  const reconciler = new Reconciler({
    venue,
    journal,
    store,
    breaker: exchangeBreaker,
    now: Date.now,
    signal,
    symbols,
    queryTimeoutMs: settings.requestTimeoutMs * 2,
    orderDeadlineMs: executorSettings.orderDeadlineMs,
    clockMarginMs: executorSettings.clockMarginMs,
    isPlacing: (id) => executor.isPlacing(id),
    ownsClientOrderId: (id) => strategyIds.has(id.slice(0, id.lastIndexOf('-'))),
  });
  const runner = new StrategyRunner({
    strategies,
    book: (symbol) => feed.freshBook(symbol),
    rules: (symbol: string): MarketRules | undefined => rules.get(symbol),
    openOrders: (id) => store.openOrders(id),
    position: (id, symbol) => store.position(id, symbol),
    inFlight: (id) => store.inFlight(id),
    submit: (action) =>
      action.kind === 'place'
        ? executor.place(action.intent)
        : executor.cancel(action.clientOrderId),
    seed: settings.seed,
    signal,
  });
  let lastReconcile: ReconcileReport | undefined;
  reconciler.on('report', (report) => {
    lastReconcile = report;
    events.emit('reconciled', report);
  });
  const summary = new SummaryRecorder(executor, journal);
  const registry = engineMetrics({
    executor,
    store,
    journal,
    venue,
    reconciler,
    exchangeBreaker: () => exchangeBreaker.state,
  });
  const components = () =>
    componentHealth({
      venue,
      exchangeBreaker,
      journal,
      executor,
      maxInFlight: executorSettings.maxInFlight,
      risk,
      runner,
      strategyCount: strategies.length,
      feed,
      lastReconcile: () => lastReconcile,
    });
  const health = await startHealthServer({
    host: options.health?.host,
    port: options.health?.port,
    registry,
    report: () => healthReport(components(), Date.now()),
  });
  const trading = new Trading({
    settings,
    executorSettings,
    events,
    venue,
    journal,
    exchangeBreaker,
    executor,
    reconciler,
    runner,
    feed,
    store,
    summary,
    components,
    checkBalances: () => checkBalances({ venue, journal, rules, signal }),
    signal,
  });
  await reconciler.run();
  trading.startBackground();
  if (settings.autoTrade) trading.startTrading();
  return {
    healthUrl: `${health.url}/health`,
    metricsUrl: `${health.url}/metrics`,
    events,
    executor,
    journal,
    venue,
    risk,
    reconciler,
    store,
    strategies,
    health,
    components,
    checkBalances: () => checkBalances({ venue, journal, rules, signal }),
    startTrading: () => trading.startTrading(),
    stop: () => trading.stop(),
    close: async () => {
      lifetime.abort();
      await trading.close();
      exchangeBreaker.close();
      await health.close();
      await journal.close();
      await venue.close();
    },
  };
}

async function totalBalances(
  venue: CcxtVenueClient,
  signal: AbortSignal,
): Promise<Record<string, string>> {
  const balances = await untilAnswered((s) => venue.balances(s), signal);
  return Object.fromEntries(
    [...balances].map(([asset, { free, locked }]) => [
      asset,
      formatAmount(signedAmount(free) + signedAmount(locked)),
    ]),
  );
}

function midOf(book: { bid: number; ask: number } | undefined): number | undefined {
  return book ? (book.bid + book.ask) / 2 : undefined;
}

/** Retries a venue call until it answers: the engine cannot trade without the venue's rules. */
async function untilAnswered<T>(
  call: (signal: AbortSignal) => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  for (;;) {
    try {
      return await call(signal);
    } catch (error) {
      if (signal.aborted) throw error;
      await sleep(500, signal);
    }
  }
}
