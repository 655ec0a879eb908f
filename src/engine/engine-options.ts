import type { BreakerState } from '../journal/index.js';
import type { CcxtVenueClientOptions, FailureKind } from './connector/index.js';
import type { ComponentName } from './components.js';
import type { EXECUTOR_DEFAULTS, PlaceOutcome } from './executor/index.js';
import type { ComponentHealth } from './health/index.js';
import type { ReconcileReport } from './reconciler/index.js';
import type { RiskGateOptions } from './risk/index.js';
import type { Strategy } from './strategies/index.js';
import type { WatchdogSettings } from './watchdog-wiring.js';

export interface EngineOptions {
  /** How to reach the exchange: a base URL (simulator, proxy) for binance, or an exchange id and keys. */
  exchange: CcxtVenueClientOptions & { apiKey: string; secret: string };
  /** The journal's database; `embedded` for PGlite served by pglite-socket (one connection). */
  database: { url: string; embedded?: boolean };
  /** Where the outage spool lives (`journal.spool`). */
  dataDir: string;
  /** A number of built-in strategies, or the strategies themselves. Default 50. */
  strategies?: number | readonly Strategy[];
  /** Unified symbols to trade. Default BTC/USDT and ETH/USDT. */
  symbols?: readonly string[];
  /** Seed of the strategies' decisions. Default 1. */
  seed?: number;
  /** Strategy loop interval, ms. Default 1000. */
  strategyIntervalMs?: number;
  /** Start the strategies as soon as the engine is up. Default true. */
  autoTrade?: boolean;
  /** The health and metrics server. Default 127.0.0.1, an ephemeral port. */
  health?: { host?: string; port?: number };
  executor?: Partial<typeof EXECUTOR_DEFAULTS>;
  risk?: RiskGateOptions;
  /** ccxt's per-request timeout, ms. Default 3000: a partition is noticed in seconds, not tens. */
  requestTimeoutMs?: number;
  /** Open time of the exchange breaker before a probe, ms. Default 250: a healed venue is back within a quarter second; a ping 4× a second costs a down venue nothing. */
  breakerHalfOpenAfterMs?: number;
  /** Periodic reconcile, ms. Default 5000. */
  reconcileIntervalMs?: number;
  /** Heartbeat of every component, ms. Default 1000. */
  heartbeatIntervalMs?: number;
  /** stop(): longest wait for in-flight orders, ms. Default 30 000. */
  drainTimeoutMs?: number;
  /** stop(): cancel resting orders before the final reconcile. Default true. */
  cancelOpenOrdersOnStop?: boolean;
  /** The watchdog's log and notifiers. */
  watchdog?: WatchdogSettings;
  /** Aborting stops everything, as close() does. */
  signal?: AbortSignal;
}

export const ENGINE_DEFAULTS = {
  strategies: 50,
  defaultSymbols: ['BTC/USDT', 'ETH/USDT'] as readonly string[],
  seed: 1,
  strategyIntervalMs: 1000,
  autoTrade: true,
  executor: {} as Partial<typeof EXECUTOR_DEFAULTS>,
  requestTimeoutMs: 3000,
  breakerHalfOpenAfterMs: 250,
  reconcileIntervalMs: 5000,
  heartbeatIntervalMs: 1000,
  drainTimeoutMs: 30_000,
  cancelOpenOrdersOnStop: true,
};

export interface ComponentHeartbeat {
  component: ComponentName;
  at: number;
  health: ComponentHealth;
}

/** What the engine tells the watchdog and runners; core code emits, the edges listen. */
export interface EngineEvents {
  heartbeat: [ComponentHeartbeat];
  breaker: [
    {
      dependency: 'exchange' | 'database';
      state: BreakerState;
      at: number;
      /** What tripped it (exchange, on opening): the classified failure, never message text. */
      lastFailure?: { kind: FailureKind; errorClass: string; httpStatus: number | undefined };
    },
  ];
  rateLimited: [{ at: number; until: number; httpStatus: number }];
  spool: [{ state: 'started' | 'drained'; at: number; detail: Record<string, unknown> }];
  reconciled: [ReconcileReport];
  outcome: [{ strategyId: string; outcome: PlaceOutcome }];
}
