/**
 * Exchange benchmark: how many signed MARKET orders per second the real
 * `n1v1 exchange` process accepts over keep-alive connections, next to a raw
 * `node:http` echo server that receives the very same requests.
 *
 * Both servers run as child processes and are measured one after the other,
 * so neither shares a CPU with an idle peer and the load generator's own cost
 * (signing, undici) is identical for both. The ratio exchange/echo therefore
 * says how much of Node's plain HTTP throughput the venue keeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { DEFAULT_ACCOUNT, sign } from '../src/exchange/index.js';
import type { Benchmark } from './run.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(BENCH_DIR, '..');
const CLI_PATH = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const ECHO_PATH = join(BENCH_DIR, 'echo-server.ts');
const RESULTS_DIR = join(BENCH_DIR, 'results');

const ORDER_PATH = '/api/v3/order';
/** Smallest BTCUSDT step multiple that clears the 5 USDT min notional at ~65 000. */
const ORDER_QUANTITY = '0.001';
/** The exchange must keep at least this share of the echo server's requests/s. */
const TARGET_RATIO = 0.5;
/** Above this share of failed requests the numbers mean nothing: the run fails. */
const MAX_ERROR_RATE = 0.01;
/** Ceiling on a child's start-up, so a broken build fails fast instead of hanging. */
const START_TIMEOUT_MS = 15_000;
/** Grace after SIGTERM before a child is killed outright. */
const STOP_TIMEOUT_MS = 5_000;
/** How long a single request may hang before it counts as an error. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Bytes of a child's stderr kept to explain a failure. */
const STDERR_TAIL_BYTES = 4096;

const EXIT_PASS = 0;
const EXIT_FAIL = 1;
const EXIT_USAGE = 2;

interface Settings {
  durationS: number;
  warmupS: number;
  connections: number;
  inFlight: number;
  maxRequests: number;
}

const USAGE = `usage: npm run bench -- exchange [options]

  --duration S       measured seconds per target (default 10)
  --warmup S         seconds of load before measuring, not counted (default 2)
  --connections N    keep-alive connections per target (default 32)
  --inflight N       requests in flight at once (default: --connections)
  --max-requests N   stop measuring a target after N requests (default 2000000)`;

// ---------------------------------------------------------------- settings

/** A numeric option within [min, max], integral when asked; throws a usage message otherwise. */
function numberOption(
  raw: string | undefined,
  name: string,
  fallback: number,
  [min, max]: [number, number],
  integer: boolean,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const valid =
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value));
  if (!valid) {
    const kind = integer ? 'an integer' : 'a number';
    throw new TypeError(`--${name} must be ${kind} from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** Parses the benchmark's own options; undefined means "print usage". */
function parseSettings(args: string[]): Settings | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      inflight: { type: 'string' },
      'max-requests': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const connections = numberOption(values.connections, 'connections', 32, [1, 1024], true);
  return {
    durationS: numberOption(values.duration, 'duration', 10, [0.1, 600], false),
    warmupS: numberOption(values.warmup, 'warmup', 2, [0, 60], false),
    connections,
    inFlight: numberOption(values.inflight, 'inflight', connections, [1, 4096], true),
    maxRequests: numberOption(values['max-requests'], 'max-requests', 2_000_000, [1, 5e7], true),
  };
}

// ---------------------------------------------------------------- children

interface ChildServer {
  name: string;
  url: string;
  child: ChildProcess;
  stderrTail: () => string;
}

/** Every child not yet known to have exited; the SIGINT and exit hooks kill these. */
const liveChildren = new Set<ChildProcess>();

/** Keeps the last few KB of a stream, enough to show why a child died. */
function tailOf(stream: NodeJS.ReadableStream | null): () => string {
  let tail = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL_BYTES);
  });
  return () => tail;
}

/** Resolves with the URL of the child's first stdout line `listening http://…`. */
function waitForListening(name: string, child: ChildProcess, stderr: () => string) {
  return new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited early (code ${code}, signal ${signal})`);
    const onError = (error: Error) => fail(error.message);
    const timer = setTimeout(
      () => fail(`no listening line in ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    // Whatever happens first settles the promise; the other watchers are removed.
    const settle = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      lines.close();
    };
    const fail = (why: string) => {
      settle();
      reject(new Error(`${name}: ${why}\n${stderr()}`));
    };
    child.once('exit', onExit);
    child.once('error', onError);
    lines.once('line', (line) => {
      const match = /^listening (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (!match?.[1]) return fail(`unexpected first line: ${line}`);
      settle();
      resolve(match[1]);
    });
  });
}

/** Spawns a server process and waits until it listens on loopback. */
async function startChild(name: string, args: string[]): Promise<ChildServer> {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  const stderrTail = tailOf(child.stderr);
  const url = await waitForListening(name, child, stderrTail);
  // Later stdout lines are not read; draining them keeps the pipe from filling.
  child.stdout?.resume();
  return { name, url, child, stderrTail };
}

/** SIGTERM, then SIGKILL after a grace period; resolves with the exit code (null if killed). */
async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
  });
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/**
 * Children must never outlive the benchmark: Ctrl-C (or a SIGTERM from CI)
 * stops them gracefully, and any exit path, an exception included, kills
 * whatever is left synchronously.
 */
function installChildGuards(): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping servers`);
    const code = signal === 'SIGINT' ? 130 : 143;
    void Promise.all([...liveChildren].map(stopChild)).finally(() => process.exit(code));
  };
  const onExit = () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', onExit);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  };
}

// ---------------------------------------------------------------- load

/** One target: where to send orders and what counts as a successful answer. */
interface Target {
  name: string;
  url: string;
  /** The server's process id, to read its CPU time. */
  pid: number | undefined;
  accepts: (status: number, body: string) => boolean;
}

interface OrderRequest {
  body: string;
  headers: Record<string, string>;
}

let orderCount = 0;

/**
 * A freshly signed order, as a real client would send it: the timestamp (and
 * so the HMAC) changes per request. Sides alternate so balances never drain.
 */
function nextOrder(): OrderRequest {
  const side = orderCount++ % 2 === 0 ? 'BUY' : 'SELL';
  const payload =
    `symbol=BTCUSDT&side=${side}&type=MARKET&quantity=${ORDER_QUANTITY}` +
    `&timestamp=${Date.now()}`;
  return {
    body: `${payload}&signature=${sign(DEFAULT_ACCOUNT.apiSecret, payload)}`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-mbx-apikey': DEFAULT_ACCOUNT.apiKey,
    },
  };
}

/** What one request came to: 'ok', or a label such as 'HTTP 400' or 'UND_ERR_SOCKET'. */
async function sendOrder(pool: Pool, target: Target): Promise<string> {
  const { body, headers } = nextOrder();
  try {
    const response = await pool.request({ path: ORDER_PATH, method: 'POST', headers, body });
    const text = await response.body.text();
    return target.accepts(response.statusCode, text) ? 'ok' : `HTTP ${response.statusCode}`;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : 'request failed';
  }
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

  record(startMs: number, doneMs: number, outcome: string): void {
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

/** One in-flight slot: sends requests back to back until the window closes. */
async function worker(pool: Pool, target: Target, window: Window, rec: Recorder): Promise<void> {
  for (;;) {
    const start = performance.now();
    if (start >= window.endMs || rec.full) return;
    const outcome = await sendOrder(pool, target);
    const done = performance.now();
    if (start >= window.measureFromMs) rec.record(start, done, outcome);
    else if (outcome !== 'ok') rec.warmupErrors++;
  }
}

/** Fails fast (before any timing) when the target does not accept our orders at all. */
async function preflight(pool: Pool, target: Target): Promise<void> {
  const { body, headers } = nextOrder();
  const response = await pool.request({ path: ORDER_PATH, method: 'POST', headers, body });
  const text = await response.body.text();
  if (!target.accepts(response.statusCode, text)) {
    throw new Error(`${target.name} refused a test order: HTTP ${response.statusCode} ${text}`);
  }
}

interface TargetResult {
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

/** CPU time used so far, in ms, by the server child and by this process. */
interface CpuSample {
  serverMs: number | undefined;
  clientMs: number;
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS_PER_S = 100;

/**
 * User+system CPU of another process from /proc/<pid>/stat (utime and stime,
 * fields 14 and 15); undefined off Linux. It tells whether the server or the
 * load generator was the one short of CPU.
 */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name start at field 3 (state).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_S : undefined;
  } catch {
    return undefined;
  }
}

function sampleCpu(pid: number | undefined): CpuSample {
  const { user, system } = process.cpuUsage();
  return { serverMs: processCpuMs(pid), clientMs: (user + system) / 1000 };
}

/** The q-quantile (0..1) of an ascending array, nearest-rank. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/** Per-request CPU in µs between two samples; null when either is unknown. */
function cpuPerRequest(from: number | undefined, to: number | undefined, requests: number) {
  if (from === undefined || to === undefined || requests === 0) return null;
  return round(((to - from) * 1000) / requests, 1);
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

/** Runs warm-up then the measured window against one target, with a fresh pool. */
async function measure(target: Target, settings: Settings): Promise<TargetResult> {
  const pool = new Pool(target.url, {
    connections: settings.connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  try {
    await preflight(pool, target);
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
      worker(pool, target, window, rec),
    );
    await Promise.all(workers);
    clearTimeout(sampleAtStart);
    const cpu = { from: cpuFrom, to: sampleCpu(target.pid) };
    return summarize(rec, window, cpu, pool.stats.connected);
  } finally {
    await pool.destroy();
  }
}

/** Starts a server, measures it, and always stops it again. */
async function runTarget(
  name: string,
  args: string[],
  accepts: Target['accepts'],
  settings: Settings,
): Promise<TargetResult> {
  const server = await startChild(name, args);
  let result: TargetResult | undefined;
  try {
    console.error(`${name}: ${server.url} (pid ${server.child.pid}), measuring…`);
    result = await measure({ name, url: server.url, pid: server.child.pid, accepts }, settings);
  } finally {
    const exitCode = await stopChild(server.child);
    if (exitCode !== 0) {
      console.error(`${name}: exited with ${exitCode} after SIGTERM\n${server.stderrTail()}`);
    }
    if (result) result.exitCode = exitCode;
  }
  return result;
}

const echoAccepts = (status: number): boolean => status >= 200 && status < 300;

/** A valid order answer is 2xx with a FILLED order; anything else is an error. */
const exchangeAccepts = (status: number, body: string): boolean =>
  status >= 200 && status < 300 && body.includes('"status":"FILLED"');

function exchangeArgs(): string[] {
  const unlimited = '1000000000';
  return [
    CLI_PATH,
    'exchange',
    '--port',
    '0',
    '--orders-limit-per-10s',
    unlimited,
    '--weight-limit-per-min',
    unlimited,
  ];
}

/** The echo server is TypeScript; tsx's loader (resolved absolutely) runs it in the child. */
function echoArgs(): string[] {
  return ['--import', import.meta.resolve('tsx'), ECHO_PATH];
}

// ---------------------------------------------------------------- report

interface Report {
  benchmark: 'exchange';
  timestamp: string;
  nodeVersion: string;
  cpuCount: number;
  cpuModel: string;
  settings: Settings;
  echo: TargetResult;
  exchange: TargetResult;
  ratio: number;
  target: number;
  pass: boolean;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function errorRate(result: TargetResult): number {
  return result.requests === 0 ? 1 : result.errors / result.requests;
}

function buildReport(settings: Settings, echo: TargetResult, exchange: TargetResult): Report {
  const ratio = echo.rps > 0 ? round(exchange.rps / echo.rps, 3) : 0;
  const errorsOk = errorRate(echo) <= MAX_ERROR_RATE && errorRate(exchange) <= MAX_ERROR_RATE;
  return {
    benchmark: 'exchange',
    timestamp: new Date().toISOString(),
    nodeVersion: process.version,
    cpuCount: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    settings,
    echo,
    exchange,
    ratio,
    target: TARGET_RATIO,
    pass: errorsOk && ratio >= TARGET_RATIO,
  };
}

function printTable(report: Report): void {
  const header = ['target', 'requests/s', 'p50 ms', 'p99 ms', 'errors'];
  const rows = (['echo', 'exchange'] as const).map((name) => {
    const r = report[name];
    return [name, r.rps.toFixed(1), r.p50Ms.toFixed(3), r.p99Ms.toFixed(3), String(r.errors)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  console.log(format(header));
  for (const row of rows) console.log(format(row));
  console.log('');
  const cpu = (r: TargetResult) =>
    `${r.serverCpuUsPerRequest ?? '?'} µs server + ${r.clientCpuUsPerRequest} µs client`;
  console.log(`CPU per request: echo ${cpu(report.echo)}; exchange ${cpu(report.exchange)}`);
  const verdict = report.pass ? 'PASS' : 'FAIL';
  console.log(
    `ratio exchange/echo: ${report.ratio.toFixed(3)} (target >= ${report.target}) ${verdict}`,
  );
}

/** Explains errors: any makes the run suspect, more than 1% makes it fail. */
function printErrorNotes(report: Report): void {
  for (const name of ['echo', 'exchange'] as const) {
    const r = report[name];
    if (r.errors === 0 && r.warmupErrors === 0) continue;
    const failed = errorRate(r) > MAX_ERROR_RATE ? ' (over 1%: run invalid)' : '';
    console.log(
      `${name}: ${r.errors} errors, ${r.warmupErrors} during warm-up${failed}: ` +
        JSON.stringify(r.outcomes),
    );
  }
}

/** Writes a timestamped result and overwrites `exchange-latest.json`. */
async function writeResults(report: Report): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const file = join(RESULTS_DIR, `exchange-${report.timestamp.replaceAll(':', '')}.json`);
  await writeFile(file, json);
  await writeFile(join(RESULTS_DIR, 'exchange-latest.json'), json);
  return file;
}

// ---------------------------------------------------------------- entry

async function runExchangeBenchmark(settings: Settings): Promise<number> {
  if (!existsSync(CLI_PATH)) {
    console.error(`${CLI_PATH} is missing: run \`npm run build\` first.`);
    return EXIT_FAIL;
  }
  const removeGuards = installChildGuards();
  try {
    const { durationS, warmupS, connections, inFlight } = settings;
    console.error(
      `exchange benchmark: ${durationS}s per target after ${warmupS}s warm-up, ` +
        `${connections} connections, ${inFlight} in flight`,
    );
    const echo = await runTarget('echo', echoArgs(), echoAccepts, settings);
    const exchange = await runTarget('exchange', exchangeArgs(), exchangeAccepts, settings);
    const report = buildReport(settings, echo, exchange);
    printTable(report);
    printErrorNotes(report);
    console.log(`results: ${await writeResults(report)}`);
    return report.pass ? EXIT_PASS : EXIT_FAIL;
  } finally {
    await Promise.all([...liveChildren].map(stopChild));
    removeGuards();
  }
}

export const benchmark: Benchmark = {
  async run(args) {
    let settings: Settings | undefined;
    try {
      settings = parseSettings(args);
    } catch (error) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (!settings) {
      console.log(USAGE);
      return EXIT_PASS;
    }
    return runExchangeBenchmark(settings);
  },
};
