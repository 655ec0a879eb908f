import type { Journal } from '../journal/index.js';
import type { VenueClient } from './connector/index.js';
import type { DependencyBreaker, OrderExecutor } from './executor/index.js';
import type { ComponentHealth } from './health/index.js';
import type { MarketDataFeed } from './market-data/index.js';
import type { ReconcileReport } from './reconciler/index.js';
import type { RiskGate } from './risk/index.js';
import type { StrategyRunner } from './strategies/index.js';

/** The engine's parts the watchdog watches, by the names heartbeats carry. */
export type ComponentName =
  'exchange' | 'database' | 'executor' | 'reconciler' | 'strategies' | 'market_data';

export interface ComponentSources {
  venue: VenueClient;
  exchangeBreaker: DependencyBreaker;
  journal: Journal;
  executor: OrderExecutor;
  maxInFlight: number;
  risk: RiskGate;
  runner: StrategyRunner;
  strategyCount: number;
  feed: MarketDataFeed;
  lastReconcile: () => ReconcileReport | undefined;
}

/**
 * Each component's health, from its own state: breaker and gate for the
 * exchange, journal mode for the database, queue fill for the executor.
 * The same figures go into heartbeats, /health and the watchdog's view.
 */
export function componentHealth(sources: ComponentSources): Record<ComponentName, ComponentHealth> {
  const breaker = sources.exchangeBreaker.state;
  const gateMs = sources.venue.gateRemainingMs();
  const journal = sources.journal.status();
  const inFlight = sources.executor.inFlight;
  const report = sources.lastReconcile();
  const feed = sources.feed.stats;
  return {
    exchange: {
      status:
        breaker === 'open'
          ? 'failing'
          : breaker === 'half-open' || gateMs > 0
            ? 'degraded'
            : 'healthy',
      breaker,
      rateLimitGateRemainingMs: gateMs,
    },
    database: {
      status:
        journal.breaker === 'open' ? 'failing' : journal.mode === 'direct' ? 'healthy' : 'degraded',
      ...journal,
    },
    executor: {
      status: inFlight >= sources.maxInFlight ? 'degraded' : 'healthy',
      inFlight,
      halted: sources.risk.halted,
    },
    reconciler: {
      status:
        report === undefined ? 'unknown' : report.unresolved.length > 0 ? 'degraded' : 'healthy',
      lastRunAt: report?.at ?? null,
      unresolved: report?.unresolved.length ?? null,
      differences: report?.differences.length ?? null,
    },
    strategies: {
      status: sources.risk.halted ? 'degraded' : 'healthy',
      running: sources.runner.isRunning,
      count: sources.strategyCount,
    },
    market_data: {
      status: feed.stale ? 'degraded' : 'healthy',
      ...feed,
    },
  };
}

/**
 * Whether a component's own loop still turns, so that its heartbeat proves
 * it is alive and not only that the heartbeat timer runs. The strategies are
 * the component with a loop of its own: running, they tick at least once per
 * their longest interval. The others act when called, and their trouble
 * shows in their status and in the engine's immediate signals.
 */
export function componentAlive(
  component: ComponentName,
  runner: StrategyRunner,
  at: number,
  heartbeatIntervalMs: number,
): boolean {
  if (component !== 'strategies' || !runner.isRunning) return true;
  const since = runner.lastTickAt;
  // Before the first tick, the first loop's start offset is at most its interval.
  if (since === undefined) return true;
  return at - since <= runner.longestIntervalMs + heartbeatIntervalMs;
}
