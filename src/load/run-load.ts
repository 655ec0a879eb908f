import { setMaxListeners } from 'node:events';
import { messageOf, sleep } from '../common/index.js';
import {
  createStack,
  judgeInvariants,
  type EngineProcess,
  type InvariantReport,
  type Stack,
} from '../stack/index.js';
import { modelOf, plannedOrders, type LoadConfig } from './config.js';
import { latenciesOf, machineInfo, totalsOf } from './figures.js';
import { driveClosed, driveOpen } from './generator.js';
import { LOAD_MARKETS, OrderFlow } from './order-flow.js';
import { LoadRecorder, type SecondRow } from './recorder.js';
import type { LoadResult } from './result.js';
import { judgeSla } from './sla.js';

/** How long the engine may take to see its first price: market orders need one for the risk check. */
const FIRST_ORDER_TIMEOUT_MS = 60_000;
/**
 * A load run measures the engine, not the venue's rate limits (the chaos
 * suite floods those on purpose): the simulator's are raised out of the way.
 */
const UNLIMITED = 1_000_000_000;
/** Order flow before the clock starts, ms (see warmUp). */
const WARM_UP_MS = 2_000;

export interface LoadProgress {
  phase: 'load' | 'verify';
  elapsedSeconds: number;
  planned: number;
  sent: number;
  placed: number;
  failed: number;
  /** The last complete second. */
  lastSecond: SecondRow | undefined;
}

export interface LoadRunOptions {
  config: LoadConfig;
  /** A real PostgreSQL for the journal; default the embedded PGlite. */
  databaseUrl?: string;
  /** Where the engine writes its CHAOS_EVENT log. */
  logDir?: string;
  /** Default a child process: the engine gets a core of its own, as in production. */
  engineProcess?: EngineProcess;
  /** Stops new orders; the run still stops the engine, checks invariants and reports, as aborted. */
  signal?: AbortSignal;
  /** About once a second during the load, and once at the verify phase. */
  onProgress?: (progress: LoadProgress) => void;
  /** Runs once the stack is up, before any order (a test adds a fault here). */
  onStackReady?: (stack: Stack) => Promise<void>;
}

/**
 * A load run: a fresh stack with no faults, the configured order flow from
 * the engine's own strategies through its risk gate, executor, journal and
 * exchange client, then the engine stopped (drain, reconcile), the journal
 * judged against the exchange's ledger, and the SLAs judged.
 */
export async function runLoad(options: LoadRunOptions): Promise<LoadResult> {
  const { config } = options;
  const signal = options.signal ?? new AbortController().signal;
  // Every strategy waits for its next burst on this signal.
  setMaxListeners(0, signal);
  const stack = await createStack({
    strategies: config.strategies,
    seed: config.seed,
    databaseUrl: options.databaseUrl,
    logDir: options.logDir,
    engineProcess: options.engineProcess ?? 'child',
    exchange: { rateLimits: { weightLimit: UNLIMITED, ordersPer10s: UNLIMITED } },
    engine: {
      autoTrade: false,
      symbols: Object.keys(LOAD_MARKETS),
      // The generator's own per-strategy cap governs; the risk gate's default (20) must not undercut it.
      risk: { limits: { maxOpenOrders: Math.max(20, config.maxConcurrentOrders) } },
    },
  });
  try {
    await options.onStackReady?.(stack);
    const flows = stack.engine.strategies.map((strategy) => new OrderFlow(strategy));
    await firstOrder(stack, flows[0]!, signal);
    const warmUpOrders = await warmUp(stack, flows, config.maxConcurrentOrders, signal);
    return { ...(await measure(options, stack, flows, signal)), warmUpOrders };
  } finally {
    await stack.close();
  }
}

async function measure(
  options: LoadRunOptions,
  stack: Stack,
  flows: OrderFlow[],
  signal: AbortSignal,
): Promise<Omit<LoadResult, 'warmUpOrders'>> {
  const { config } = options;
  const startedAt = Date.now();
  const recorder = new LoadRecorder(
    flows.map((flow) => flow.strategy.id),
    startedAt,
  );
  let peakRss = process.memoryUsage.rss();
  const progress = (phase: LoadProgress['phase']) => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    options.onProgress?.({
      phase,
      elapsedSeconds: Math.floor((Date.now() - startedAt) / 1000),
      planned: plannedOrders(config),
      sent: recorder.intents,
      placed: recorder.placed,
      failed: recorder.failed,
      lastSecond: recorder.lastSecond(),
    });
  };
  const ticker = setInterval(() => progress('load'), 1000);
  try {
    const drive = { config, flows, place: stack.engine.place, recorder, startedAt, signal };
    await (modelOf(config) === 'open' ? driveOpen(drive) : driveClosed(drive));
    if (modelOf(config) === 'closed') await sleep(config.cooldownS * 1000, signal);
  } finally {
    clearInterval(ticker);
  }
  progress('verify');
  let error: string | null = null;
  let summary;
  let invariants: InvariantReport | null = null;
  try {
    summary = await stack.engine.stop();
    invariants = await stack.invariants();
  } catch (failure) {
    error = `verify failed: ${messageOf(failure)}`;
  }
  const finishedAt = Date.now();
  const seconds = recorder.seconds();
  const totals = totalsOf(config, recorder, seconds);
  const latencies = latenciesOf(config, recorder);
  const judged = invariants
    ? judgeInvariants(invariants, summary)
    : { passed: false, detail: error ?? 'not checked' };
  const sla = judgeSla(config, {
    p95LatencyMs: latencies.latencyMs.p95,
    placed: recorder.placed,
    failureRate: totals.failureRate,
    throughputPerSecond: totals.throughputPerSecond,
    invariants: {
      ...judged,
      violations: invariants
        ? invariants.lost + invariants.duplicated + invariants.unresolved + invariants.mismatched
        : 0,
    },
  });
  const status = signal.aborted ? 'aborted' : 'completed';
  return {
    status,
    model: modelOf(config),
    config,
    startedAt,
    finishedAt,
    totals,
    failures: recorder.failures(),
    ...latencies,
    seconds,
    strategies: recorder.strategyStats(),
    sla,
    passed: status === 'completed' && error === null && sla.every((verdict) => verdict.passed),
    invariants,
    engine: summary
      ? {
          outcomes: summary.outcomes,
          ordersByStatus: summary.ordersByStatus,
          unresolved: summary.unresolved,
        }
      : null,
    machine: machineInfo(),
    peakRssMb: Math.round(peakRss / 1e6),
    error,
  };
}

/**
 * Waits until one order is placed before the clock starts: the engine must
 * have a price to check a market order's value. An engine that cannot place
 * one order fails the run here, with its reason, before any figure is taken.
 */
async function firstOrder(stack: Stack, flow: OrderFlow, signal: AbortSignal): Promise<void> {
  const giveUpAt = Date.now() + FIRST_ORDER_TIMEOUT_MS;
  for (;;) {
    const receipt = await stack.engine.place(flow.intent(Date.now()));
    if (receipt.kind === 'placed' || signal.aborted) return;
    const waitingForPrice = receipt.kind === 'refused' && receipt.detail === 'max_notional';
    if (!waitingForPrice || Date.now() > giveUpAt)
      throw new Error(
        `the engine did not place a first order: ${receipt.kind}${receipt.detail ? ` (${receipt.detail})` : ''}`,
      );
    await sleep(100, signal);
  }
}

/**
 * Before the clock starts, every strategy places orders for WARM_UP_MS with
 * as many at once as it may have in the run: the engine's connections to the
 * venue are open and its code compiled, as in an engine that has been trading
 * for hours. Without it the first seconds measure Node's compiler and TCP
 * handshakes, not the engine. These orders are journaled and judged by the
 * invariants like any other; the result says how many there were.
 */
async function warmUp(
  stack: Stack,
  flows: OrderFlow[],
  slotsPerStrategy: number,
  signal: AbortSignal,
): Promise<number> {
  const until = Date.now() + WARM_UP_MS;
  let orders = 0;
  const slot = async (flow: OrderFlow) => {
    do {
      await stack.engine.place(flow.intent(Date.now()));
      orders += 1;
    } while (Date.now() < until && !signal.aborted);
  };
  await Promise.all(
    flows.flatMap((flow) => Array.from({ length: slotsPerStrategy }, () => slot(flow))),
  );
  return orders;
}
