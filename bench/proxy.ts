/**
 * Proxy benchmark: what the fault-injecting proxy (src/proxy) costs when no
 * toxic is active, in three parts, all in one run:
 *
 * 1. Keep-alive HTTP throughput against a raw `node:http` echo server,
 *    directly, through a tcp-mode proxy and through an http-mode proxy.
 *    Target: tcp-proxied/direct >= 0.5 (Toxiproxy 2.8 measures about 0.49 on
 *    a 2-core machine). The http-mode ratio is information.
 * 2. Added latency on one connection with one request in flight: p50 through
 *    the tcp proxy minus p50 direct. Target: <= 75 µs. http mode: information,
 *    and so is a minimal `pipe()` relay (bench/proxy-relay.ts): it prices the
 *    extra process and loopback hop alone, which no proxy can avoid, so
 *    "tcp over relay" is what the proxy's own code adds.
 * 3. Bulk TCP: one connection streaming through a raw TCP echo server,
 *    directly and through the tcp proxy, in MB/s. Information.
 *
 * Every server (echo, relay, proxy) is its own child process; the load comes
 * from this process. Targets are measured one after the other, never at once:
 * a server not being measured is idle and steals no CPU.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { guardChildren, withChild, type ChildServer } from './lib/child-server.js';
import {
  measure,
  type HttpRequest,
  type LoadSettings,
  type TargetResult,
} from './lib/http-load.js';
import {
  cliBenchmark,
  LOAD_OPTIONS,
  loadSettings,
  loadUsage,
  numberOption,
} from './lib/options.js';
import { printTable, round, runInfo, writeResults, type RunInfo } from './lib/report.js';
import { CHUNK_BYTES, streamEcho, type BulkResult } from './proxy-bulk.js';
import type { Benchmark } from './run.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ECHO_PATH = join(BENCH_DIR, 'echo-server.ts');
const TCP_ECHO_PATH = join(BENCH_DIR, 'proxy-tcp-echo.ts');
const PROXY_CHILD_PATH = join(BENCH_DIR, 'proxy-child.ts');
const RELAY_PATH = join(BENCH_DIR, 'proxy-relay.ts');

/** The tcp-mode proxy must keep at least this share of the direct requests/s. */
const TARGET_THROUGHPUT_RATIO = 0.5;
/** The tcp-mode proxy may add at most this to the single-connection p50, in µs. */
const TARGET_ADDED_P50_US = 75;
/** Warm-up before the first latency round of each target, seconds. */
const LATENCY_WARMUP_S = 1;
/** Warm-up before later rounds: only the new connection has to settle. */
const LATENCY_ROUND_WARMUP_S = 0.25;
/** The latency part's targets take turns this many times; the median round counts. */
const LATENCY_ROUNDS = 5;
/** Bytes streamed (and discarded) before each timed bulk transfer, so JIT and buffers settle. */
const BULK_WARMUP_BYTES = 32 * 1024 * 1024;
/** The slowest bulk throughput tolerated before a transfer counts as stalled, bytes/s. */
const BULK_MIN_BYTES_PER_S = 4 * 1024 * 1024;

const EXIT_PASS = 0;
const EXIT_FAIL = 1;

const USAGE = `usage: npm run bench -- proxy [options]

${loadUsage('throughput target')}
  --latency-duration S   measured seconds per latency target, over ${LATENCY_ROUNDS} rounds (default 5)
  --bulk-mib N           MiB streamed per bulk target (default 256)
  --cpu-prof DIR         proxy children write V8 CPU profiles (.cpuprofile) into DIR`;

interface Settings {
  /** Part 1: the exchange benchmark's load shape. */
  throughput: LoadSettings;
  /** Part 2: one connection, one request at a time; durationS is split over the rounds. */
  latency: LoadSettings & { rounds: number };
  bulkBytes: number;
  /** Directory for the proxy children's V8 CPU profiles; none when undefined. */
  cpuProfDir: string | undefined;
}

// ---------------------------------------------------------------- settings

/** Parses the benchmark's own options; undefined means "print usage". */
function parseSettings(args: string[]): Settings | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      ...LOAD_OPTIONS,
      'latency-duration': { type: 'string' },
      'bulk-mib': { type: 'string' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const throughput = loadSettings(values);
  return {
    throughput,
    latency: {
      durationS: numberOption(values['latency-duration'], 'latency-duration', 5, [0.5, 600], false),
      warmupS: LATENCY_WARMUP_S,
      connections: 1,
      inFlight: 1,
      maxRequests: throughput.maxRequests,
      rounds: LATENCY_ROUNDS,
    },
    bulkBytes: numberOption(values['bulk-mib'], 'bulk-mib', 256, [1, 16_384], true) * 1024 * 1024,
    cpuProfDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
  };
}

// ---------------------------------------------------------------- children

type Mode = 'tcp' | 'http';

/** Node arguments running a TypeScript child through tsx's loader (resolved absolutely). */
function tsArgs(path: string, args: string[] = [], profileDir?: string): string[] {
  const prof = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  return [...prof, '--import', import.meta.resolve('tsx'), path, ...args];
}

function proxyArgs(upstreamUrl: string, mode: Mode, settings: Settings): string[] {
  const upstream = new URL(upstreamUrl).host;
  return tsArgs(PROXY_CHILD_PATH, ['--upstream', upstream, '--mode', mode], settings.cpuProfDir);
}

/** Runs `use` against the upstream directly, or through a fresh proxy child of that mode. */
async function viaTarget<T>(
  upstream: ChildServer,
  mode: Mode | undefined,
  settings: Settings,
  use: (server: ChildServer) => Promise<T>,
): Promise<T> {
  if (mode === undefined) return use(upstream);
  const { value } = await withChild(`${mode}-proxy`, proxyArgs(upstream.url, mode, settings), use);
  return value;
}

// ---------------------------------------------------------------- http parts

const HTTP_TARGETS = ['direct', 'tcp', 'http'] as const;
type HttpTargetName = (typeof HTTP_TARGETS)[number];
const LATENCY_TARGETS = ['direct', 'relay', 'tcp', 'http'] as const;
type LatencyTargetName = (typeof LATENCY_TARGETS)[number];

/** A small order-sized POST; the echo server answers it with a short JSON. */
const REQUEST: HttpRequest = {
  method: 'POST',
  path: '/api/v3/order',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body:
    'symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&timestamp=1700000000000&signature=' +
    'a'.repeat(64),
};
const nextRequest = (): HttpRequest => REQUEST;
const accepts = (status: number): boolean => status >= 200 && status < 300;

/** Part 1 for one target: the echo server directly, or a fresh proxy child in front of it. */
async function measureThroughput(
  echo: ChildServer,
  name: HttpTargetName,
  settings: Settings,
): Promise<TargetResult> {
  const mode = name === 'direct' ? undefined : name;
  return viaTarget(echo, mode, settings, (server) => {
    const pid = server.child.pid;
    console.error(`throughput ${name}: ${server.url} (pid ${pid}), measuring…`);
    return measure({ name, url: server.url, pid, accepts }, settings.throughput, nextRequest);
  });
}

/** Part 2 for one target: the median over the rounds, so one noisy second cannot decide. */
interface LatencyResult {
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  warmupErrors: number;
  outcomes: Record<string, number>;
  roundP50Ms: number[];
  roundP99Ms: number[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function combineRounds(rounds: TargetResult[]): LatencyResult {
  const outcomes: Record<string, number> = {};
  for (const r of rounds) {
    for (const [outcome, count] of Object.entries(r.outcomes)) {
      outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
    }
  }
  const sum = (pick: (r: TargetResult) => number) => rounds.reduce((n, r) => n + pick(r), 0);
  return {
    p50Ms: round(median(rounds.map((r) => r.p50Ms)), 3),
    p99Ms: round(median(rounds.map((r) => r.p99Ms)), 3),
    requests: sum((r) => r.requests),
    errors: sum((r) => r.errors),
    warmupErrors: sum((r) => r.warmupErrors),
    outcomes,
    roundP50Ms: rounds.map((r) => r.p50Ms),
    roundP99Ms: rounds.map((r) => r.p99Ms),
  };
}

/** Starts the children in order, hands them all to `use`, and stops them all again. */
async function withChildren<T>(
  specs: readonly { name: string; args: string[] }[],
  use: (servers: ChildServer[]) => Promise<T>,
): Promise<T> {
  const [first, ...rest] = specs;
  if (!first) return use([]);
  const { value } = await withChild(first.name, first.args, (server) =>
    withChildren(rest, (others) => use([server, ...others])),
  );
  return value;
}

/**
 * Part 2: one connection, one request at a time. The relay and both proxies
 * run side by side (idle while not measured) and the targets take turns in
 * rounds, so background load on the machine falls on all of them alike.
 */
async function measureLatency(
  echo: ChildServer,
  settings: Settings,
): Promise<Record<LatencyTargetName, LatencyResult>> {
  const upstream = new URL(echo.url).host;
  const specs = [
    { name: 'relay', args: tsArgs(RELAY_PATH, ['--upstream', upstream]) },
    { name: 'tcp-proxy', args: proxyArgs(echo.url, 'tcp', settings) },
    { name: 'http-proxy', args: proxyArgs(echo.url, 'http', settings) },
  ];
  return withChildren(specs, async ([relay, tcp, http]) => {
    const servers: Record<LatencyTargetName, ChildServer> = {
      direct: echo,
      relay: relay!,
      tcp: tcp!,
      http: http!,
    };
    const { latency } = settings;
    const rounds: Record<LatencyTargetName, TargetResult[]> = {
      direct: [],
      relay: [],
      tcp: [],
      http: [],
    };
    for (let i = 0; i < latency.rounds; i++) {
      const load: LoadSettings = {
        ...latency,
        durationS: latency.durationS / latency.rounds,
        warmupS: i === 0 ? latency.warmupS : LATENCY_ROUND_WARMUP_S,
      };
      for (const name of LATENCY_TARGETS) {
        const { url, child } = servers[name];
        console.error(`latency ${name}: ${url}, round ${i + 1} of ${latency.rounds}…`);
        const target = { name, url, pid: child.pid, accepts };
        rounds[name].push(await measure(target, load, nextRequest));
      }
    }
    const combined = LATENCY_TARGETS.map((name) => [name, combineRounds(rounds[name])] as const);
    return Object.fromEntries(combined) as Record<LatencyTargetName, LatencyResult>;
  });
}

// ---------------------------------------------------------------- bulk part

const BULK_TARGETS = ['direct', 'tcp'] as const;
type BulkTargetName = (typeof BULK_TARGETS)[number];

async function measureBulkTarget(
  tcpEcho: ChildServer,
  name: BulkTargetName,
  settings: Settings,
): Promise<BulkResult> {
  return viaTarget(tcpEcho, name === 'direct' ? undefined : name, settings, async (server) => {
    const port = Number(new URL(server.url).port);
    const pid = server.child.pid;
    const timeoutMs = (bytes: number) => 5_000 + (bytes / BULK_MIN_BYTES_PER_S) * 1000;
    const warmupBytes = Math.min(BULK_WARMUP_BYTES, settings.bulkBytes);
    console.error(`bulk ${name}: 127.0.0.1:${port} (pid ${pid}), streaming…`);
    await streamEcho(port, pid, { totalBytes: warmupBytes, timeoutMs: timeoutMs(warmupBytes) });
    const bytes = settings.bulkBytes;
    return streamEcho(port, pid, { totalBytes: bytes, timeoutMs: timeoutMs(bytes) });
  });
}

// ---------------------------------------------------------------- report

interface Report extends RunInfo {
  benchmark: 'proxy';
  settings: Settings;
  throughput: Record<HttpTargetName, TargetResult> & {
    tcpRatio: number;
    httpRatio: number;
    target: number;
    pass: boolean;
  };
  latency: Record<LatencyTargetName, LatencyResult> & {
    tcpAddedP50Us: number;
    httpAddedP50Us: number;
    relayAddedP50Us: number;
    /** What the tcp proxy adds beyond the bare relay hop: its own code's share. */
    tcpOverRelayP50Us: number;
    target: number;
    pass: boolean;
  };
  bulk: Record<BulkTargetName, BulkResult> & { chunkBytes: number; tcpRatio: number };
  /** Failed requests over all HTTP measurements, warm-ups included: any makes the run fail. */
  errors: number;
  pass: boolean;
}

const ratio = (part: number, whole: number): number => (whole > 0 ? round(part / whole, 3) : 0);
/**
 * The p50 one latency target adds over another, in µs: the median of the
 * per-round differences, since rounds next to each other in time share the
 * machine's background load while rounds far apart may not.
 */
const addedUs = (through: LatencyResult, base: LatencyResult): number =>
  round(median(through.roundP50Ms.map((ms, i) => ms - base.roundP50Ms[i]!)) * 1000, 1);

function buildReport(
  settings: Settings,
  throughput: Record<HttpTargetName, TargetResult>,
  latency: Record<LatencyTargetName, LatencyResult>,
  bulk: Record<BulkTargetName, BulkResult>,
): Report {
  const all = [...Object.values(throughput), ...Object.values(latency)];
  const errors = all.reduce((sum, r) => sum + r.errors + r.warmupErrors, 0);
  const nothingCounted = all.some((r) => r.requests === 0);
  const tcpRatio = ratio(throughput.tcp.rps, throughput.direct.rps);
  const tcpAddedP50Us = addedUs(latency.tcp, latency.direct);
  const throughputPass = tcpRatio >= TARGET_THROUGHPUT_RATIO;
  const latencyPass = tcpAddedP50Us <= TARGET_ADDED_P50_US;
  return {
    benchmark: 'proxy',
    ...runInfo(),
    settings,
    throughput: {
      ...throughput,
      tcpRatio,
      httpRatio: ratio(throughput.http.rps, throughput.direct.rps),
      target: TARGET_THROUGHPUT_RATIO,
      pass: throughputPass,
    },
    latency: {
      ...latency,
      tcpAddedP50Us,
      httpAddedP50Us: addedUs(latency.http, latency.direct),
      relayAddedP50Us: addedUs(latency.relay, latency.direct),
      tcpOverRelayP50Us: addedUs(latency.tcp, latency.relay),
      target: TARGET_ADDED_P50_US,
      pass: latencyPass,
    },
    bulk: {
      ...bulk,
      chunkBytes: CHUNK_BYTES,
      tcpRatio: ratio(bulk.tcp.mbPerS, bulk.direct.mbPerS),
    },
    errors,
    pass: throughputPass && latencyPass && errors === 0 && !nothingCounted,
  };
}

const verdict = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');
const cpuCell = (us: number | null): string => (us === null ? '?' : us.toFixed(1));

function printThroughput(report: Report): void {
  const { throughput } = report;
  const s = report.settings.throughput;
  console.log(
    `\n1. keep-alive HTTP throughput (${s.connections} connections, ${s.inFlight} in flight, ` +
      `${s.durationS}s after ${s.warmupS}s warm-up)`,
  );
  printTable<HttpTargetName>(
    [
      { header: 'target', cell: (name) => name },
      { header: 'requests/s', cell: (name) => throughput[name].rps.toFixed(1) },
      {
        header: 'ratio',
        cell: (name) => ratio(throughput[name].rps, throughput.direct.rps).toFixed(3),
      },
      { header: 'p50 ms', cell: (name) => throughput[name].p50Ms.toFixed(3) },
      { header: 'p99 ms', cell: (name) => throughput[name].p99Ms.toFixed(3) },
      { header: 'errors', cell: (name) => String(throughput[name].errors) },
      { header: 'server µs/req', cell: (name) => cpuCell(throughput[name].serverCpuUsPerRequest) },
      { header: 'client µs/req', cell: (name) => cpuCell(throughput[name].clientCpuUsPerRequest) },
    ],
    HTTP_TARGETS,
  );
  console.log('(server CPU: the echo server for direct, the proxy alone for tcp and http)');
  console.log(
    `throughput tcp/direct: ${throughput.tcpRatio.toFixed(3)} ` +
      `(target >= ${throughput.target}) ${verdict(throughput.pass)}`,
  );
  console.log(`throughput http/direct: ${throughput.httpRatio.toFixed(3)} (information)`);
}

function printLatency(report: Report): void {
  const { latency } = report;
  const s = report.settings.latency;
  console.log(
    `\n2. latency on one connection (1 in flight, ${s.durationS}s per target in ${s.rounds} ` +
      `interleaved rounds: median round, added = median of per-round differences)`,
  );
  const us = (ms: number) => (ms * 1000).toFixed(1);
  printTable<LatencyTargetName>(
    [
      { header: 'target', cell: (name) => name },
      { header: 'requests', cell: (name) => String(latency[name].requests) },
      { header: 'p50 µs', cell: (name) => us(latency[name].p50Ms) },
      { header: 'p99 µs', cell: (name) => us(latency[name].p99Ms) },
      { header: 'added p50 µs', cell: (name) => addedUs(latency[name], latency.direct).toFixed(1) },
      { header: 'errors', cell: (name) => String(latency[name].errors) },
      {
        header: 'round p50s µs',
        cell: (name) => latency[name].roundP50Ms.map((ms) => (ms * 1000).toFixed(0)).join(' '),
      },
    ],
    LATENCY_TARGETS,
  );
  console.log('(relay: a bare node:net pipe() relay, the cost of the extra hop alone)');
  console.log(
    `added p50 latency tcp: ${latency.tcpAddedP50Us.toFixed(1)} µs ` +
      `(target <= ${latency.target} µs) ${verdict(latency.pass)}`,
  );
  console.log(
    `added p50 latency tcp over relay: ${latency.tcpOverRelayP50Us.toFixed(1)} µs; ` +
      `relay: ${latency.relayAddedP50Us.toFixed(1)} µs (information)`,
  );
  console.log(`added p50 latency http: ${latency.httpAddedP50Us.toFixed(1)} µs (information)`);
}

function printBulk(report: Report): void {
  const { bulk } = report;
  const mib = report.settings.bulkBytes / (1024 * 1024);
  console.log(
    `\n3. bulk TCP echo (${mib} MiB on one connection, ${bulk.chunkBytes / 1024} KiB writes)`,
  );
  printTable<BulkTargetName>(
    [
      { header: 'target', cell: (name) => name },
      { header: 'seconds', cell: (name) => bulk[name].seconds.toFixed(3) },
      { header: 'MB/s', cell: (name) => bulk[name].mbPerS.toFixed(1) },
      { header: 'ratio', cell: (name) => ratio(bulk[name].mbPerS, bulk.direct.mbPerS).toFixed(3) },
      {
        header: 'server CPU ms/MB',
        cell: (name) => bulk[name].serverCpuMsPerMb?.toFixed(3) ?? '?',
      },
    ],
    BULK_TARGETS,
  );
  console.log(`bulk tcp/direct: ${bulk.tcpRatio.toFixed(3)} (information)`);
}

/** Explains errors: any failed request makes the run fail. */
function printErrors(report: Report): void {
  const results = [
    ...HTTP_TARGETS.map((name) => [`throughput ${name}`, report.throughput[name]] as const),
    ...LATENCY_TARGETS.map((name) => [`latency ${name}`, report.latency[name]] as const),
  ];
  for (const [label, r] of results) {
    if (r.errors === 0 && r.warmupErrors === 0) continue;
    console.log(
      `${label}: ${r.errors} errors, ${r.warmupErrors} during warm-up: ` +
        JSON.stringify(r.outcomes),
    );
  }
  console.log(`failed requests: ${report.errors} (target 0) ${verdict(report.errors === 0)}`);
}

// ---------------------------------------------------------------- entry

async function runProxyBenchmark(settings: Settings): Promise<number> {
  return guardChildren(async () => {
    const { durationS, warmupS, connections, inFlight } = settings.throughput;
    console.error(
      `proxy benchmark: ${durationS}s per throughput target after ${warmupS}s warm-up, ` +
        `${connections} connections, ${inFlight} in flight; ` +
        `${settings.latency.durationS}s latency per target; ` +
        `${settings.bulkBytes / 1048576} MiB bulk`,
    );
    const { value: http } = await withChild('echo', tsArgs(ECHO_PATH), async (echo) => {
      const throughput: Partial<Record<HttpTargetName, TargetResult>> = {};
      for (const name of HTTP_TARGETS) {
        throughput[name] = await measureThroughput(echo, name, settings);
      }
      const latency = await measureLatency(echo, settings);
      return { throughput: throughput as Record<HttpTargetName, TargetResult>, latency };
    });
    const { value: bulk } = await withChild('tcp-echo', tsArgs(TCP_ECHO_PATH), async (echo) => {
      const results: Partial<Record<BulkTargetName, BulkResult>> = {};
      for (const name of BULK_TARGETS)
        results[name] = await measureBulkTarget(echo, name, settings);
      return results as Record<BulkTargetName, BulkResult>;
    });
    const report = buildReport(settings, http.throughput, http.latency, bulk);
    printThroughput(report);
    printLatency(report);
    printBulk(report);
    console.log('');
    printErrors(report);
    console.log(`proxy benchmark: ${verdict(report.pass)}`);
    if (settings.cpuProfDir) console.log(`CPU profiles: ${settings.cpuProfDir}`);
    console.log(`results: ${await writeResults('proxy', report)}`);
    return report.pass ? EXIT_PASS : EXIT_FAIL;
  });
}

export const benchmark: Benchmark = cliBenchmark(USAGE, parseSettings, runProxyBenchmark);
