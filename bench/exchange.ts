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
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { guardChildren, withChild } from './lib/child-server.js';
import { echoServerArgs, nextSignedOrder, okStatus } from './lib/echo-baseline.js';
import {
  errorRate,
  measure,
  type LoadSettings,
  type Target,
  type TargetResult,
} from './lib/http-load.js';
import { cliBenchmark, LOAD_OPTIONS, loadSettings, loadUsage } from './lib/options.js';
import { printTable, round, runInfo, writeResults, type RunInfo } from './lib/report.js';
import type { Benchmark } from './run.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const CLI_PATH = join(BENCH_DIR, '..', 'dist', 'cli', 'main.js');

/** The exchange must keep at least this share of the echo server's requests/s. */
const TARGET_RATIO = 0.5;
/** Above this share of failed requests the numbers mean nothing: the run fails. */
const MAX_ERROR_RATE = 0.01;

const EXIT_PASS = 0;
const EXIT_FAIL = 1;

type Settings = LoadSettings;

const USAGE = `usage: npm run bench -- exchange [options]

${loadUsage('target')}`;

// ---------------------------------------------------------------- settings

/** Parses the benchmark's own options; undefined means "print usage". */
function parseSettings(args: string[]): Settings | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { ...LOAD_OPTIONS, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return undefined;
  return loadSettings(values);
}

// ---------------------------------------------------------------- targets

/** A valid order answer is 2xx with a FILLED order; anything else is an error. */
const exchangeAccepts = (status: number, body: string): boolean =>
  status >= 200 && status < 300 && body.includes('"status":"FILLED"');

/** Rate limits are lifted: the benchmark measures the order path, not the limiter saying no. */
export function exchangeArgs(): string[] {
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

/** Starts a server, sends it orders for the configured window, and always stops it again. */
async function runTarget(
  name: string,
  args: string[],
  accepts: Target['accepts'],
  settings: Settings,
): Promise<TargetResult> {
  const { value, exitCode } = await withChild(name, args, (server) => {
    const pid = server.child.pid;
    console.error(`${name}: ${server.url} (pid ${pid}), measuring…`);
    return measure({ name, url: server.url, pid, accepts }, settings, nextSignedOrder);
  });
  return { ...value, exitCode };
}

// ---------------------------------------------------------------- report

interface Report extends RunInfo {
  benchmark: 'exchange';
  settings: Settings;
  echo: TargetResult;
  exchange: TargetResult;
  ratio: number;
  target: number;
  pass: boolean;
}

const TARGET_NAMES = ['echo', 'exchange'] as const;

function buildReport(settings: Settings, echo: TargetResult, exchange: TargetResult): Report {
  const ratio = echo.rps > 0 ? round(exchange.rps / echo.rps, 3) : 0;
  const errorsOk = errorRate(echo) <= MAX_ERROR_RATE && errorRate(exchange) <= MAX_ERROR_RATE;
  return {
    benchmark: 'exchange',
    ...runInfo(),
    settings,
    echo,
    exchange,
    ratio,
    target: TARGET_RATIO,
    pass: errorsOk && ratio >= TARGET_RATIO,
  };
}

function printSummary(report: Report): void {
  printTable(
    [
      { header: 'target', cell: (name) => name },
      { header: 'requests/s', cell: (name) => report[name].rps.toFixed(1) },
      { header: 'p50 ms', cell: (name) => report[name].p50Ms.toFixed(3) },
      { header: 'p99 ms', cell: (name) => report[name].p99Ms.toFixed(3) },
      { header: 'errors', cell: (name) => String(report[name].errors) },
    ],
    TARGET_NAMES,
  );
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
  for (const name of TARGET_NAMES) {
    const r = report[name];
    if (r.errors === 0 && r.warmupErrors === 0) continue;
    const failed = errorRate(r) > MAX_ERROR_RATE ? ' (over 1%: run invalid)' : '';
    console.log(
      `${name}: ${r.errors} errors, ${r.warmupErrors} during warm-up${failed}: ` +
        JSON.stringify(r.outcomes),
    );
  }
}

// ---------------------------------------------------------------- entry

async function runExchangeBenchmark(settings: Settings): Promise<number> {
  if (!existsSync(CLI_PATH)) {
    console.error(`${CLI_PATH} is missing: run \`npm run build\` first.`);
    return EXIT_FAIL;
  }
  return guardChildren(async () => {
    const { durationS, warmupS, connections, inFlight } = settings;
    console.error(
      `exchange benchmark: ${durationS}s per target after ${warmupS}s warm-up, ` +
        `${connections} connections, ${inFlight} in flight`,
    );
    const echo = await runTarget('echo', echoServerArgs(), okStatus, settings);
    const exchange = await runTarget('exchange', exchangeArgs(), exchangeAccepts, settings);
    const report = buildReport(settings, echo, exchange);
    printSummary(report);
    printErrorNotes(report);
    console.log(`results: ${await writeResults('exchange', report)}`);
    return report.pass ? EXIT_PASS : EXIT_FAIL;
  });
}

export const benchmark: Benchmark = cliBenchmark(USAGE, parseSettings, runExchangeBenchmark);
