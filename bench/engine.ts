/**
 * Engine benchmark: orders per second and order latency of the trading
 * engine end to end, on a real stack from createStack(): every order is
 * journaled to the embedded database through the tcp-mode fault proxy and
 * sent with ccxt through the http-mode fault proxy (no toxics) to the
 * exchange simulator.
 *
 * The stack runs with 50 strategies' worth of order flow, but with the
 * built-in strategy loops off (autoTrade: false): this process drives the
 * executor itself, closed loop, a fixed number of intents in flight, MARKET
 * orders for strategies bench01…bench50 on BTC/USDT and ETH/USDT with sides
 * alternating per strategy and symbol so no balance or position runs away.
 *
 * Note what "the stack" is here: createStack() with an in-process engine puts
 * the simulator, both proxies, PGlite and the engine on this one event loop,
 * so the figure is the sum of what every part costs per order on one core.
 * The same run measures a raw node:http echo server (its own process, as in
 * the other benchmarks) with the same number of requests in flight, so the
 * report carries both figures and their ratio.
 *
 * Afterwards the engine is stopped (drain, reconcile) and its journal judged
 * against the exchange's ledger: nothing may be lost or duplicated.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  LatencyRecorder,
  roundedPercentiles,
  type LatencyPercentiles,
} from '../src/common/index.js';
import type { EngineSummary, OrderIntent, PlaceOutcome } from '../src/engine/index.js';
import { createStack, type InvariantReport, type Stack } from '../src/stack/index.js';
import { measureCcxtDirect, type CcxtDirectResult } from './engine-baseline.js';
import { startCpuProfile, type CpuProfiler, type ProfileSummary } from './engine-profile.js';
import { guardChildren } from './lib/child-server.js';
import { measureEcho } from './lib/echo-baseline.js';
import { errorRate, type TargetResult } from './lib/http-load.js';
import { cliBenchmark, numberOption } from './lib/options.js';
import { printTable, round, runInfo, writeResults, type RunInfo } from './lib/report.js';
import type { Benchmark } from './run.js';

/** Target on a 2-core machine: at least this many placed orders per second… */
const TARGET_ORDERS_PER_S = 5_000;
/** …with a 95th percentile (coordinated-omission corrected) no higher than this. */
const TARGET_P95_MS = 20;
/** Above this share of intents not placed the throughput means nothing: the run fails. */
const MAX_ERROR_RATE = 0.01;
/** Latencies kept for the measured window; bounds memory. */
const MAX_SAMPLES = 5_000_000;
/** How long the engine may take to see its first price (market orders need one for risk). */
const PREFLIGHT_TIMEOUT_MS = 60_000;

const SYMBOLS = [
  { symbol: 'BTC/USDT', wire: 'BTCUSDT', quantity: '0.001' },
  { symbol: 'ETH/USDT', wire: 'ETHUSDT', quantity: '0.01' },
] as const;

const EXIT_PASS = 0;
const EXIT_FAIL = 1;

interface Settings {
  durationS: number;
  warmupS: number;
  inFlight: number;
  strategies: number;
  echoDurationS: number;
  echoConnections: number;
  /** Expected interval per in-flight slot for the coordinated-omission correction; undefined: measured. */
  expectedIntervalMs: number | undefined;
  profile: boolean;
}

const USAGE = `usage: npm run bench -- engine [options]

  --duration S              measured seconds of engine load (default 15)
  --warmup S                seconds of load before measuring, not counted (default 3)
  --inflight N              intents in flight at once, closed loop (default 64)
  --strategies N            strategy ids the flow is spread over (default 50)
  --echo-duration S         measured seconds on the raw echo server (default 10)
  --echo-connections N      keep-alive connections to the echo server (default: --inflight)
  --expected-interval-ms X  pace of one in-flight slot for the latency correction
                            (default: measured, --inflight / orders per second)
  --profile                 CPU-profile the measured window and summarise it
                            (costs throughput: compare figures of unprofiled runs)`;

// ---------------------------------------------------------------- settings

function parseSettings(args: string[]): Settings | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      inflight: { type: 'string' },
      strategies: { type: 'string' },
      'echo-duration': { type: 'string' },
      'echo-connections': { type: 'string' },
      'expected-interval-ms': { type: 'string' },
      profile: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const inFlight = numberOption(values.inflight, 'inflight', 64, [1, 4096], true);
  const interval = values['expected-interval-ms'];
  return {
    durationS: numberOption(values.duration, 'duration', 15, [0.1, 600], false),
    warmupS: numberOption(values.warmup, 'warmup', 3, [0, 60], false),
    inFlight,
    strategies: numberOption(values.strategies, 'strategies', 50, [1, 999], true),
    echoDurationS: numberOption(values['echo-duration'], 'echo-duration', 10, [0.1, 600], false),
    echoConnections: numberOption(
      values['echo-connections'],
      'echo-connections',
      inFlight,
      [1, 1024],
      true,
    ),
    expectedIntervalMs:
      interval === undefined
        ? undefined
        : numberOption(interval, 'expected-interval-ms', 0, [0.001, 60_000], false),
    profile: values.profile ?? false,
  };
}

// ---------------------------------------------------------------- echo baseline

function measureEngineEcho(settings: Settings): Promise<TargetResult> {
  return measureEcho({
    durationS: settings.echoDurationS,
    warmupS: Math.min(settings.warmupS, 2),
    connections: settings.echoConnections,
    inFlight: settings.inFlight,
    maxRequests: MAX_SAMPLES,
  });
}

// ---------------------------------------------------------------- engine load

/** Intents for `strategies` strategy ids, round robin, sides alternating per strategy and symbol. */
class IntentSource {
  private next = 0;
  private readonly ids: string[];
  private readonly buys: boolean[];

  constructor(strategies: number) {
    this.ids = Array.from(
      { length: strategies },
      (_, i) => `bench${String(i + 1).padStart(2, '0')}`,
    );
    this.buys = new Array<boolean>(strategies * SYMBOLS.length).fill(true);
  }

  intent(): OrderIntent {
    const slot = this.next++ % this.buys.length;
    const strategy = slot % this.ids.length;
    const market = SYMBOLS[Math.floor(slot / this.ids.length)]!;
    const buy = this.buys[slot]!;
    this.buys[slot] = !buy;
    return {
      strategyId: this.ids[strategy]!,
      symbol: market.symbol,
      side: buy ? 'BUY' : 'SELL',
      type: 'MARKET',
      quantity: market.quantity,
      price: null,
      timeInForce: null,
      intendedAt: Date.now(),
    };
  }
}

interface LoadWindow {
  measureFromMs: number;
  endMs: number;
}

/** What the closed loop saw in its measured window. */
class LoadRecord {
  /** place() call to its resolution, performance.now(): what the strategy waits. */
  readonly roundTrips = new Float64Array(MAX_SAMPLES);
  /** The engine's own figure: intent to the venue's acknowledgement (placed orders). */
  readonly acks = new Float64Array(MAX_SAMPLES);
  count = 0;
  acksCount = 0;
  placed = 0;
  lastDoneMs = 0;
  warmupIntents = 0;
  warmupNotPlaced = 0;
  readonly outcomes = new Map<string, number>();

  get full(): boolean {
    return this.count >= this.roundTrips.length;
  }

  record(startMs: number, doneMs: number, outcome: PlaceOutcome): void {
    if (this.full) return;
    this.roundTrips[this.count++] = doneMs - startMs;
    this.lastDoneMs = Math.max(this.lastDoneMs, doneMs);
    const label = outcome.kind === 'refused' ? `refused:${outcome.reason}` : outcome.kind;
    this.outcomes.set(label, (this.outcomes.get(label) ?? 0) + 1);
    if (outcome.kind === 'placed') {
      this.placed += 1;
      this.acks[this.acksCount++] = outcome.latencyMs;
    }
  }
}

async function slot(
  stack: Stack,
  source: IntentSource,
  window: LoadWindow,
  rec: LoadRecord,
): Promise<void> {
  const executor = stack.engine.engine!.executor;
  for (;;) {
    const start = performance.now();
    if (start >= window.endMs || rec.full) return;
    const outcome = await executor.place(source.intent());
    const done = performance.now();
    if (start >= window.measureFromMs) rec.record(start, done, outcome);
    else {
      rec.warmupIntents += 1;
      if (outcome.kind !== 'placed') rec.warmupNotPlaced += 1;
    }
  }
}

/** Fails fast (before any timing) unless a single order gets placed; waits for the first price. */
async function preflight(stack: Stack, source: IntentSource): Promise<void> {
  const executor = stack.engine.engine!.executor;
  const giveUpAt = Date.now() + PREFLIGHT_TIMEOUT_MS;
  for (;;) {
    const outcome = await executor.place(source.intent());
    if (outcome.kind === 'placed') return;
    // Market orders are refused as max_notional until the market-data feed has a price.
    if (Date.now() > giveUpAt || !(outcome.kind === 'refused' && outcome.reason === 'max_notional'))
      throw new Error(`the engine did not place a test order: ${JSON.stringify(outcome)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Utilisation {
  /** Process CPU (user+system) over wall time: 1.0 is one core busy. */
  processCores: number;
  /** Share of the measured window the event loop was busy (perf_hooks ELU). */
  eventLoop: number;
  cpuUsPerOrder: number | null;
}

interface EngineLoad {
  rec: LoadRecord;
  window: LoadWindow;
  utilisation: Utilisation;
  profile: ProfileSummary | undefined;
}

async function driveEngine(stack: Stack, settings: Settings): Promise<EngineLoad> {
  const source = new IntentSource(settings.strategies);
  await preflight(stack, source);
  const now = performance.now();
  const window: LoadWindow = {
    measureFromMs: now + settings.warmupS * 1000,
    endMs: now + (settings.warmupS + settings.durationS) * 1000,
  };
  const rec = new LoadRecord();
  let from: { cpu: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization> };
  from = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() };
  let profiler: Promise<CpuProfiler> | undefined;
  const atMeasureStart = setTimeout(() => {
    from = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() };
    if (settings.profile) profiler = startCpuProfile(`engine-${Date.now()}`);
  }, settings.warmupS * 1000);
  await Promise.all(
    Array.from({ length: settings.inFlight }, () => slot(stack, source, window, rec)),
  );
  clearTimeout(atMeasureStart);
  const profile = await (await profiler)?.stop();
  const cpu = process.cpuUsage(from.cpu);
  const elu = performance.eventLoopUtilization(from.elu);
  const wallMs = Math.max(rec.lastDoneMs - window.measureFromMs, 1);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const utilisation = {
    processCores: round(cpuMs / wallMs, 2),
    eventLoop: round(elu.utilization, 3),
    cpuUsPerOrder: rec.placed > 0 ? round((cpuMs * 1000) / rec.placed, 1) : null,
  };
  return { rec, window, utilisation, profile };
}

// ---------------------------------------------------------------- report

interface Latencies {
  /** As measured, closed loop. */
  raw: LatencyPercentiles;
  /** With the samples a steady sender at the expected interval would have seen. */
  corrected: LatencyPercentiles;
}

function latencies(samples: Float64Array, count: number, expectedIntervalMs: number): Latencies {
  const raw = new LatencyRecorder();
  const corrected = new LatencyRecorder();
  for (let i = 0; i < count; i++) {
    raw.record(samples[i]!);
    corrected.recordCorrected(samples[i]!, expectedIntervalMs);
  }
  return {
    raw: roundedPercentiles(raw.percentiles()),
    corrected: roundedPercentiles(corrected.percentiles()),
  };
}

interface EngineResult {
  ordersPerSecond: number;
  intents: number;
  placed: number;
  notPlaced: number;
  outcomes: Record<string, number>;
  warmupIntents: number;
  warmupNotPlaced: number;
  measuredS: number;
  expectedIntervalMs: number;
  /** place() call to its resolution, ms. The pass/fail figure (corrected p95). */
  roundTripMs: Latencies;
  /** The engine's outcome.latencyMs: intent to venue acknowledgement, placed orders, ms. */
  ackMs: Latencies;
  utilisation: Utilisation;
}

interface Report extends RunInfo {
  benchmark: 'engine';
  settings: Settings;
  echo: TargetResult;
  engine: EngineResult;
  /** Engine orders/s over echo requests/s. */
  ratio: number;
  /** The same ccxt client straight to the simulator: the ceiling for any engine on ccxt. */
  ccxtDirect: CcxtDirectResult;
  /** Engine orders/s over ccxt-direct orders/s: what the proxy, journal and engine cost. */
  ratioToCcxtDirect: number;
  engineSummary: Omit<EngineSummary, 'latencyMs'> & { latencyMs: LatencyPercentiles };
  invariants: InvariantReport;
  target: { ordersPerSecond: number; p95Ms: number };
  checks: { throughput: boolean; latency: boolean; errors: boolean; invariants: boolean };
  pass: boolean;
  profile?: ProfileSummary;
}

function engineResult(load: EngineLoad, settings: Settings): EngineResult {
  const { rec, window } = load;
  const measuredMs = Math.max(rec.lastDoneMs - window.measureFromMs, 1);
  const ordersPerSecond = rec.placed / (measuredMs / 1000);
  // Closed loop: each slot sends its next intent when the previous resolves, so one slot's
  // steady pace is in-flight / intents per second.
  const expectedIntervalMs =
    settings.expectedIntervalMs ??
    (rec.count > 0 ? (settings.inFlight * measuredMs) / rec.count : 1);
  return {
    ordersPerSecond: round(ordersPerSecond, 1),
    intents: rec.count,
    placed: rec.placed,
    notPlaced: rec.count - rec.placed,
    outcomes: Object.fromEntries(rec.outcomes),
    warmupIntents: rec.warmupIntents,
    warmupNotPlaced: rec.warmupNotPlaced,
    measuredS: round(measuredMs / 1000, 3),
    expectedIntervalMs: round(expectedIntervalMs, 3),
    roundTripMs: latencies(rec.roundTrips, rec.count, expectedIntervalMs),
    ackMs: latencies(rec.acks, rec.acksCount, expectedIntervalMs),
    utilisation: load.utilisation,
  };
}

function buildReport(
  settings: Settings,
  echo: TargetResult,
  ccxtDirect: CcxtDirectResult,
  engine: EngineResult,
  summary: EngineSummary,
  invariants: InvariantReport,
  profile: ProfileSummary | undefined,
): Report {
  const notPlacedRate = engine.intents === 0 ? 1 : engine.notPlaced / engine.intents;
  const checks = {
    throughput: engine.ordersPerSecond >= TARGET_ORDERS_PER_S,
    latency: engine.roundTripMs.corrected.p95 <= TARGET_P95_MS,
    errors: notPlacedRate <= MAX_ERROR_RATE && errorRate(echo) <= MAX_ERROR_RATE,
    invariants: invariants.ok,
  };
  return {
    benchmark: 'engine',
    ...runInfo(),
    settings,
    echo,
    engine,
    ratio: echo.rps > 0 ? round(engine.ordersPerSecond / echo.rps, 3) : 0,
    ccxtDirect,
    ratioToCcxtDirect:
      ccxtDirect.ordersPerSecond > 0
        ? round(engine.ordersPerSecond / ccxtDirect.ordersPerSecond, 3)
        : 0,
    engineSummary: summary,
    invariants,
    target: { ordersPerSecond: TARGET_ORDERS_PER_S, p95Ms: TARGET_P95_MS },
    checks,
    pass: Object.values(checks).every(Boolean),
    ...(profile && { profile }),
  };
}

function printSummary(report: Report): void {
  const { engine, echo } = report;
  const rt = engine.roundTripMs;
  printTable(
    [
      { header: 'target', cell: (row: string[]) => row[0]! },
      { header: 'per second', cell: (row) => row[1]! },
      { header: 'p50 ms', cell: (row) => row[2]! },
      { header: 'p95 ms', cell: (row) => row[3]! },
      { header: 'p99 ms', cell: (row) => row[4]! },
      { header: 'not ok', cell: (row) => row[5]! },
    ],
    [
      ['echo (raw node:http)', echo.rps, echo.p50Ms, '-', echo.p99Ms, echo.errors],
      [
        'ccxt direct to simulator',
        report.ccxtDirect.ordersPerSecond,
        report.ccxtDirect.latencyMs.p50,
        report.ccxtDirect.latencyMs.p95,
        report.ccxtDirect.latencyMs.p99,
        0,
      ],
      ['engine, raw', engine.ordersPerSecond, rt.raw.p50, rt.raw.p95, rt.raw.p99, engine.notPlaced],
      ['engine, corrected', '', rt.corrected.p50, rt.corrected.p95, rt.corrected.p99, ''],
      [
        'engine ack (intent→ack)',
        '',
        engine.ackMs.raw.p50,
        engine.ackMs.raw.p95,
        engine.ackMs.raw.p99,
        '',
      ],
    ].map((row) => row.map((cell) => (typeof cell === 'number' ? cell.toFixed(1) : cell))),
  );
  console.log('');
  const u = engine.utilisation;
  console.log(
    `engine: ${engine.placed} orders placed in ${engine.measuredS}s, outcomes ${JSON.stringify(engine.outcomes)}; ` +
      `${u.cpuUsPerOrder ?? '?'} µs CPU per order, ${u.processCores} cores busy, event loop ${(u.eventLoop * 100).toFixed(1)}% busy; ` +
      `latency correction interval ${engine.expectedIntervalMs} ms`,
  );
  console.log(
    `echo: ${echo.requests} requests, ${echo.serverCpuUsPerRequest ?? '?'} µs server CPU per request`,
  );
  console.log(
    `ccxt direct: ${report.ccxtDirect.clientCpuUsPerOrder} µs client CPU per order; ` +
      `engine/ccxt-direct ratio ${report.ratioToCcxtDirect.toFixed(3)}`,
  );
  const inv = report.invariants;
  console.log(
    `invariants after stop: ${inv.ok ? 'OK' : 'BROKEN'} (lost ${inv.lost}, duplicated ${inv.duplicated}, ` +
      `unresolved ${inv.unresolved}, mismatched ${inv.mismatched}; ${inv.journalOrders} journaled, ` +
      `${inv.exchangeOrders} at the exchange)`,
  );
  if (report.profile) printProfile(report.profile);
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  console.log(
    `ratio engine/echo: ${report.ratio.toFixed(3)}; target >= ${TARGET_ORDERS_PER_S} orders/s ` +
      `(${verdict(report.checks.throughput)}), corrected p95 <= ${TARGET_P95_MS} ms ` +
      `(${verdict(report.checks.latency)}), errors <= 1% (${verdict(report.checks.errors)}), ` +
      `invariants (${verdict(report.checks.invariants)}): ${report.pass ? 'PASS' : 'FAIL'}`,
  );
}

function printProfile(profile: ProfileSummary): void {
  console.log(
    `\nCPU profile of the measured window (${profile.sampledMs} ms sampled): ${profile.file}`,
  );
  console.log('self time by owning component:');
  for (const row of profile.byComponent)
    console.log(`  ${row.percent.toFixed(1).padStart(5)}%  ${row.name}`);
  console.log('top functions by self time:');
  for (const row of profile.topFunctions.slice(0, 15))
    console.log(`  ${row.percent.toFixed(1).padStart(5)}%  ${row.name}`);
  console.log('top functions by self time plus the Node core and native code they called:');
  for (const row of profile.topOwners.slice(0, 15))
    console.log(`  ${row.percent.toFixed(1).padStart(5)}%  ${row.name}`);
  console.log('');
}

// ---------------------------------------------------------------- entry

async function runEngineBenchmark(settings: Settings): Promise<number> {
  return guardChildren(async () => {
    console.error(
      `engine benchmark: ${settings.durationS}s after ${settings.warmupS}s warm-up, ` +
        `${settings.inFlight} intents in flight over ${settings.strategies} strategies` +
        (settings.profile ? ', CPU-profiled' : ''),
    );
    const echo = await measureEngineEcho(settings);
    console.error('ccxt direct: the same client straight to the simulator, measuring…');
    const ccxtDirect = await measureCcxtDirect(settings.echoDurationS, settings.inFlight);
    console.error('engine: starting the stack…');
    const stack = await createStack({
      strategies: settings.strategies,
      exchange: { rateLimits: { weightLimit: 10_000_000, ordersPer10s: 10_000_000 } },
      engine: {
        autoTrade: false,
        // MARKET orders never rest, so the open-order limit cannot refuse them; raised regardless.
        risk: { limits: { maxOpenOrders: 1_000_000 } },
      },
    });
    try {
      console.error(`engine: stack up (exchange via ${stack.endpoints.exchangeProxy}), measuring…`);
      const load = await driveEngine(stack, settings);
      console.error('engine: stopping (drain, reconcile) and checking invariants…');
      const summary = await stack.engine.stop();
      const invariants = await stack.invariants();
      const report = buildReport(
        settings,
        echo,
        ccxtDirect,
        engineResult(load, settings),
        summary,
        invariants,
        load.profile,
      );
      printSummary(report);
      console.log(`results: ${await writeResults('engine', report)}`);
      return report.pass ? EXIT_PASS : EXIT_FAIL;
    } finally {
      await stack.close();
    }
  });
}

export const benchmark: Benchmark = cliBenchmark(USAGE, parseSettings, runEngineBenchmark);
