/**
 * Closed-loop HTTP load: a fixed number of in-flight slots, each sending its
 * next request as soon as the previous answer arrives, over a pool of
 * keep-alive connections. Requests started during the warm-up are sent but
 * not counted, so JIT and connection set-up do not skew the numbers.
 *
 * It knows nothing about what it sends: a benchmark supplies the target (and
 * what counts as a good answer) and a factory producing each request.
 */
import { performance } from 'node:perf_hooks';
import { Pool, type Dispatcher } from 'undici';
import { type CpuSample, cpuPerRequest, sampleCpu } from './process-cpu.js';
import { round } from './report.js';

/** How long a single request may hang before it counts as an error. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Where to send requests and what counts as a successful answer. */
export interface Target {
  name: string;
  url: string;
  /** The server's process id, to read its CPU time. */
  pid: number | undefined;
  accepts: (status: number, body: string) => boolean;
}

/** One request to send; a factory builds a fresh one each time (new timestamps, signatures). */
export interface HttpRequest {
  method: Dispatcher.HttpMethod;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export type RequestFactory = () => HttpRequest;

export interface LoadSettings {
  /** Measured seconds, after the warm-up. */
  durationS: number;
  /** Seconds of load before measuring, not counted. */
  warmupS: number;
  /** Keep-alive connections in the pool. */
  connections: number;
  /** Requests in flight at once. */
  inFlight: number;
  /** Counted requests at most; bounds the latency buffer. */
  maxRequests: number;
}

export interface TargetResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
  warmupErrors: number;
  outcomes: Record<string, number>;
  measuredS: number;
  /** Connections the pool held at the end: equal to --connections when keep-alive works. */
  connectionsOpen: number;
  /** Server CPU (user+system) per counted request; null where /proc is unavailable. */
  serverCpuUsPerRequest: number | null;
  /** The load generator's own CPU per counted request: near 1e6/rps means it was the bottleneck. */
  clientCpuUsPerRequest: number;
  exitCode?: number | null;
}

/** Share of counted requests that failed; 1 when nothing was counted, which is a failure too. */
export function errorRate(result: TargetResult): number {
  return result.requests === 0 ? 1 : result.errors / result.requests;
}

/** Latencies and outcomes of the counted requests; a fixed buffer bounds memory. */
class Recorder {
  readonly latencies: Float64Array;
  count = 0;
  errors = 0;
  warmupErrors = 0;
  lastDone = 0;
  readonly outcomes = new Map<string, number>();

  constructor(capacity: number) {
    this.latencies = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.count >= this.latencies.length;
  }

  /** Counts one request; once the buffer is full, late finishers are not counted at all. */
  record(startMs: number, doneMs: number, outcome: string): void {
    if (this.full) return;
    this.latencies[this.count++] = doneMs - startMs;
    this.lastDone = Math.max(this.lastDone, doneMs);
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
    if (outcome !== 'ok') this.errors++;
  }
}

interface Window {
  /** Requests started from here on are counted. */
  measureFromMs: number;
  /** No request starts after this. */
  endMs: number;
}

/** Sends one request and reads the whole answer, so the connection is free for the next. */
async function send(pool: Pool, request: HttpRequest): Promise<{ status: number; text: string }> {
  const response = await pool.request(request);
  return { status: response.statusCode, text: await response.body.text() };
}

/** What one request came to: 'ok', or a label such as 'HTTP 400' or 'UND_ERR_SOCKET'. */
async function outcomeOf(pool: Pool, target: Target, next: RequestFactory): Promise<string> {
  const request = next();
  try {
    const { status, text } = await send(pool, request);
    return target.accepts(status, text) ? 'ok' : `HTTP ${status}`;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : 'request failed';
  }
}

/** One in-flight slot: sends requests back to back until the window closes. */
async function worker(
  pool: Pool,
  target: Target,
  next: RequestFactory,
  window: Window,
  rec: Recorder,
): Promise<void> {
  for (;;) {
    const start = performance.now();
    if (start >= window.endMs || rec.full) return;
    const outcome = await outcomeOf(pool, target, next);
    const done = performance.now();
    if (start >= window.measureFromMs) rec.record(start, done, outcome);
    else if (outcome !== 'ok') rec.warmupErrors++;
  }
}

/** Fails fast (before any timing) when the target does not accept our requests at all. */
async function preflight(pool: Pool, target: Target, next: RequestFactory): Promise<void> {
  const { status, text } = await send(pool, next());
  if (!target.accepts(status, text)) {
    throw new Error(`${target.name} refused a test request: HTTP ${status} ${text}`);
  }
}

/** The q-quantile (0..1) of an ascending array, nearest-rank. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

function summarize(
  rec: Recorder,
  window: Window,
  cpu: { from: CpuSample | undefined; to: CpuSample },
  connectionsOpen: number,
): TargetResult {
  const sorted = rec.latencies.slice(0, rec.count).sort();
  const measuredMs = Math.max(rec.lastDone - window.measureFromMs, 1);
  return {
    rps: round(rec.count / (measuredMs / 1000), 1),
    p50Ms: round(quantile(sorted, 0.5), 3),
    p99Ms: round(quantile(sorted, 0.99), 3),
    errors: rec.errors,
    requests: rec.count,
    warmupErrors: rec.warmupErrors,
    outcomes: Object.fromEntries(rec.outcomes),
    measuredS: round(measuredMs / 1000, 3),
    connectionsOpen,
    serverCpuUsPerRequest: cpuPerRequest(cpu.from?.serverMs, cpu.to.serverMs, rec.count),
    clientCpuUsPerRequest: cpuPerRequest(cpu.from?.clientMs, cpu.to.clientMs, rec.count) ?? 0,
  };
}

/** A fresh pool per target, so no connection (or its state) carries over between targets. */
function openPool(url: string, connections: number): Pool {
  return new Pool(url, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
}

/**
 * Runs warm-up then the measured window against one target. CPU is sampled
 * when the warm-up ends and again when the last worker stops, so the
 * per-request CPU covers the measured window only.
 */
export async function measure(
  target: Target,
  settings: LoadSettings,
  next: RequestFactory,
): Promise<TargetResult> {
  const pool = openPool(target.url, settings.connections);
  try {
    await preflight(pool, target, next);
    const now = performance.now();
    const window: Window = {
      measureFromMs: now + settings.warmupS * 1000,
      endMs: now + (settings.warmupS + settings.durationS) * 1000,
    };
    const rec = new Recorder(settings.maxRequests);
    let cpuFrom: CpuSample | undefined;
    const sampleAtStart = setTimeout(
      () => (cpuFrom = sampleCpu(target.pid)),
      settings.warmupS * 1000,
    );
    const workers = Array.from({ length: settings.inFlight }, () =>
      worker(pool, target, next, window, rec),
    );
    await Promise.all(workers);
    clearTimeout(sampleAtStart);
    const cpu = { from: cpuFrom, to: sampleCpu(target.pid) };
    return summarize(rec, window, cpu, pool.stats.connected);
  } finally {
    await pool.destroy();
  }
}
