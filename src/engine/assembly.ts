import type { ENGINE_DEFAULTS, EngineOptions } from './engine-options.js';
import type { EXECUTOR_DEFAULTS } from './executor/index.js';
import {
  DependencyBreaker,
  isExchangeFault,
  isVenueAnswer,
  OrderExecutor,
} from './executor/index.js';
import { MarketDataFeed } from './market-data/index.js';
import { Reconciler } from './reconciler/index.js';
import { RiskGate } from './risk/index.js';
import type { Dependencies } from './start-up.js';
import { buildStrategies, StrategyRunner, type Strategy } from './strategies/index.js';

/** The engine's working parts, wired to each other and to its dependencies. */
export interface Parts {
  exchangeBreaker: DependencyBreaker;
  risk: RiskGate;
  feed: MarketDataFeed;
  executor: OrderExecutor;
  strategies: readonly Strategy[];
  reconciler: Reconciler;
  runner: StrategyRunner;
}

export interface AssemblySettings {
  settings: typeof ENGINE_DEFAULTS;
  executorSettings: typeof EXECUTOR_DEFAULTS;
  strategies: EngineOptions['strategies'];
  symbols: readonly string[];
  risk: EngineOptions['risk'];
  signal: AbortSignal;
}

/** Builds the parts; nothing runs until the engine starts them. */
export function assembleParts(deps: Dependencies, config: AssemblySettings): Parts {
  const { venue, journal, rules, store, ids } = deps;
  const { settings, executorSettings, symbols, signal } = config;
  const exchangeBreaker = new DependencyBreaker({
    isFailure: isExchangeFault,
    isAnswer: isVenueAnswer,
    probe: (s) => venue.ping(s),
    halfOpenAfterMs: settings.breakerHalfOpenAfterMs,
    probeTimeoutMs: settings.requestTimeoutMs,
  });
  const risk = new RiskGate(config.risk);
  const feed = new MarketDataFeed({ venue, symbols, signal });
  const executor = new OrderExecutor({
    ...executorSettings,
    ...{ venue, journal, risk, store, ids, signal },
    breaker: exchangeBreaker,
    priceOf: (symbol) => midOf(feed.book(symbol)),
  });
  const strategies =
    typeof config.strategies === 'object'
      ? config.strategies
      : buildStrategies({
          count: config.strategies ?? settings.strategies,
          symbols: symbols.filter((symbol) => rules.has(symbol)),
          seed: settings.seed,
          intervalMs: settings.strategyIntervalMs,
        });
  const strategyIds = new Set(strategies.map((strategy) => strategy.id));
  const reconciler = new Reconciler({
    ...{ venue, journal, store, signal, symbols },
    breaker: exchangeBreaker,
    now: Date.now,
    queryTimeoutMs: settings.requestTimeoutMs * 2,
    orderDeadlineMs: executorSettings.orderDeadlineMs,
    clockMarginMs: executorSettings.clockMarginMs,
    isPlacing: (id) => executor.isPlacing(id),
    ownsClientOrderId: (id) => strategyIds.has(id.slice(0, id.lastIndexOf('-'))),
  });
  const runner = new StrategyRunner({
    strategies,
    book: (symbol) => feed.freshBook(symbol),
    rules: (symbol) => rules.get(symbol),
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
  return { exchangeBreaker, risk, feed, executor, strategies, reconciler, runner };
}

function midOf(book: { bid: number; ask: number } | undefined): number | undefined {
  return book ? (book.bid + book.ask) / 2 : undefined;
}
