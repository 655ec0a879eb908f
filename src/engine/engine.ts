import { EventEmitter, setMaxListeners } from 'node:events';
import { withDefaults, withLinkedSignal } from '../common/index.js';
import type { Journal, OrderRecord } from '../journal/index.js';
import { assembleParts } from './assembly.js';
import { componentHealth, type ComponentName } from './components.js';
import type { CcxtVenueClient } from './connector/index.js';
import { ENGINE_DEFAULTS, type EngineEvents, type EngineOptions } from './engine-options.js';
import { EXECUTOR_DEFAULTS, type OrderExecutor, type OrderStore } from './executor/index.js';
import {
  healthReport,
  startHealthServer,
  type ComponentHealth,
  type HealthServer,
} from './health/index.js';
import { engineMetrics } from './metrics.js';
import {
  checkBalances,
  type BalanceReport,
  type Reconciler,
  type ReconcileReport,
} from './reconciler/index.js';
import type { RiskGate } from './risk/index.js';
import { openDependencies } from './start-up.js';
import type { Strategy } from './strategies/index.js';
import { SummaryRecorder, type EngineSummary } from './summary.js';
import { Trading } from './trading.js';
import { wireWatchdog } from './watchdog-wiring.js';
import type { Watchdog } from '../watchdog/index.js';

/** Longest a balance check may take: every symbol's fills and the balances, paged. */
const BALANCE_CHECK_TIMEOUT_MS = 60_000;
/** Longest close() waits for aborted placements to settle. */
const CLOSE_DRAIN_MS = 5_000;

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
  /** Detection, diagnosis, alerts and recovery; announce chaos scenarios to it. */
  watchdog: Watchdog;
  /** The CHAOS_EVENT log of this engine. */
  chaosLogPath: string;
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
  const executorSettings = withDefaults(EXECUTOR_DEFAULTS, settings.executor);
  const lifetime = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, lifetime.signal])
    : lifetime.signal;
  // Every in-flight order and query listens on the engine's signal; hundreds at once are expected.
  setMaxListeners(0, lifetime.signal, signal);
  const deps = await openDependencies(options, settings.requestTimeoutMs, signal);
  const { venue, journal, rules, store } = deps;
  const parts = assembleParts(deps, {
    settings,
    executorSettings,
    strategies: strategyOption,
    symbols: options.symbols ?? settings.defaultSymbols,
    risk: options.risk,
    signal,
  });
  const { exchangeBreaker, executor, reconciler, strategies } = parts;
  const events = new EventEmitter<EngineEvents>();
  let lastReconcile: ReconcileReport | undefined;
  reconciler.on('report', (report) => {
    lastReconcile = report;
    events.emit('reconciled', report);
  });
  const components = () =>
    componentHealth({
      ...parts,
      venue,
      journal,
      maxInFlight: executorSettings.maxInFlight,
      strategyCount: strategies.length,
      lastReconcile: () => lastReconcile,
    });
  const registry = engineMetrics({
    ...{ executor, store, journal, venue, reconciler },
    exchangeBreaker: () => exchangeBreaker.state,
  });
  const { risk } = parts;
  const watchdog = wireWatchdog(
    options.watchdog ?? {},
    { events, venue, journal, heartbeatIntervalMs: settings.heartbeatIntervalMs },
    {
      pauseTrading: (reason) => risk.halt(`watchdog: ${reason}`),
      resumeTrading: () => risk.resume(),
      reconcile: async () => {
        const report = await reconciler.run();
        return {
          checked: report.checked,
          differences: report.differences.length,
          unresolved: report.unresolved.length,
        };
      },
      throttleNewOrders: (fraction, forMs) => risk.throttle(fraction, forMs),
    },
    registry,
  );
  const health = await startHealthServer({
    host: options.health?.host,
    port: options.health?.port,
    registry,
    report: () => healthReport(components(), Date.now()),
    routes: { 'GET /watchdog/status': () => ({ body: watchdog.watchdog.status() }) },
  });
  // Bounded: a stop must end even when the venue stops answering mid-check.
  const balances = (orders?: readonly OrderRecord[]) =>
    withLinkedSignal([signal], BALANCE_CHECK_TIMEOUT_MS, (bounded) =>
      checkBalances({ venue, journal, rules, signal: bounded, orders }),
    );
  const trading = new Trading({
    ...parts,
    ...{ settings, executorSettings, events, venue, journal, store, components, signal },
    summary: new SummaryRecorder(executor, journal),
    checkBalances: balances,
  });
  await reconciler.run();
  trading.startBackground();
  if (settings.autoTrade) trading.startTrading();
  return {
    healthUrl: `${health.url}/health`,
    metricsUrl: `${health.url}/metrics`,
    ...{ events, executor, journal, venue, reconciler, store, strategies, health, components },
    risk,
    watchdog: watchdog.watchdog,
    chaosLogPath: watchdog.logPath,
    checkBalances: () => balances(),
    startTrading: () => trading.startTrading(),
    stop: () => trading.stop(),
    close: async () => {
      lifetime.abort();
      // Aborted placements settle quickly; let them journal where they stand before the journal closes.
      await executor.drain(CLOSE_DRAIN_MS);
      await trading.close();
      exchangeBreaker.close();
      await health.close();
      await watchdog.close();
      await journal.close();
      await venue.close();
    },
  };
}
