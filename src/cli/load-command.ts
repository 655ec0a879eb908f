import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { messageOf } from '../common/index.js';
import {
  LOAD_DEFAULTS,
  loadConfig,
  LoadConfigError,
  modelOf,
  plannedOrders,
  runLoad,
  type LoadConfig,
} from '../load/index.js';
import { loadReport, writeLoadReport, writeLoadViews } from '../report/index.js';
import { loadResultText, LoadProgressPrinter } from './load-progress.js';
import { integerIn, numberIn } from './parsers.js';
import { databaseUrlFromEnv, interruptOn, writableDirectory } from './run-support.js';
import { RunFailed, RunInterrupted, UsageError } from './usage-error.js';

/** The options as commander names them (from the flags' spelling). */
interface LoadFlags {
  strategies?: number;
  ordersPerBurst?: number;
  bursts?: number;
  burstInterval?: number;
  targetLatency?: number;
  targetFailureRate?: number;
  targetThroughput?: number;
  duration?: number;
  rampUp?: number;
  cooldown?: number;
  maxConcurrentOrders?: number;
  rate?: number;
  seed?: number;
  quick: boolean;
  output: string;
  logDir: string;
}

const D = LOAD_DEFAULTS;

export function loadCommand(): Command {
  return new Command('load')
    .description(
      'load stress: concurrent strategies send order bursts (or a constant --rate) through the engine ' +
        'on a local stack; latency from intent to acknowledgement, SLA verdicts, invariants, JSON results',
    )
    .option(
      '--strategies <n>',
      `concurrent strategies (default ${D.strategies})`,
      integerIn(1, 1000),
    )
    .option(
      '--orders-per-burst <n>',
      `orders per strategy per burst (default ${D.ordersPerBurst})`,
      integerIn(1, 1_000_000),
    )
    .option('--bursts <n>', `bursts per strategy (default ${D.bursts})`, integerIn(1, 1_000_000))
    .option(
      '--burst-interval <seconds>',
      `from one burst's start to the next's (default ${D.burstIntervalS})`,
      numberIn(0, 3600),
    )
    .option(
      '--target-latency <ms>',
      `SLA: p95 latency, intent to acknowledgement (default ${D.targetLatencyMs})`,
      numberIn(0.001, 3_600_000),
    )
    .option(
      '--target-failure-rate <share>',
      `SLA: share of intents not placed, 0..1 (default ${D.targetFailureRate})`,
      numberIn(0, 1),
    )
    .option(
      '--target-throughput <n>',
      `SLA: placed orders per second (default ${D.targetThroughput})`,
      numberIn(0, 10_000_000),
    )
    .option('--output <file>', 'JSON results', 'load_test_results.json')
    .option(
      '--duration <seconds>',
      `no burst starts after this; with --rate, seconds at the full rate (default ${D.durationS})`,
      numberIn(0.001, 24 * 3600),
    )
    .option(
      '--ramp-up <seconds>',
      'strategies join evenly over this; with --rate, the rate rises from 0 (default 0)',
      numberIn(0, 3600),
    )
    .option(
      '--cooldown <seconds>',
      'idle seconds after the load, still sampled; with --rate, the rate falls to 0 (default 0)',
      numberIn(0, 3600),
    )
    .option(
      '--max-concurrent-orders <n>',
      `orders one strategy has at the engine at once (default ${D.maxConcurrentOrders})`,
      integerIn(1, 10_000),
    )
    .option(
      '--rate <orders-per-second>',
      'open model: orders arrive at this constant rate whatever the engine does; latency from each ' +
        "order's intended send time, late and dropped sends counted",
      numberIn(0.001, 1_000_000),
    )
    .option(
      '--seed <n>',
      `seed of prices and the stack (default ${D.seed})`,
      integerIn(0, 2 ** 32 - 1),
    )
    .option('--log-dir <dir>', 'where the engine writes its CHAOS_EVENT log', 'logs')
    .option(
      '--quick',
      'CI-sized: 10 strategies × 20 orders × 3 bursts, or 3 s at --rate (flags given win; SLAs unchanged)',
      false,
    )
    .action(async (flags: LoadFlags) => {
      await runLoadCommand(flags);
    });
}

async function runLoadCommand(flags: LoadFlags): Promise<void> {
  let config: LoadConfig;
  try {
    config = loadConfig({
      strategies: flags.strategies,
      ordersPerBurst: flags.ordersPerBurst,
      bursts: flags.bursts,
      burstIntervalS: flags.burstInterval,
      targetLatencyMs: flags.targetLatency,
      targetFailureRate: flags.targetFailureRate,
      targetThroughput: flags.targetThroughput,
      durationS: flags.duration,
      rampUpS: flags.rampUp,
      cooldownS: flags.cooldown,
      maxConcurrentOrders: flags.maxConcurrentOrders,
      rate: flags.rate,
      seed: flags.seed,
      quick: flags.quick,
    });
  } catch (error) {
    if (error instanceof LoadConfigError) throw new UsageError(error.message);
    throw error;
  }
  const databaseUrl = databaseUrlFromEnv();
  const output = resolve(flags.output);
  // Found out now, not after a run of many minutes.
  await writableDirectory(dirname(output), '--output');
  await writableDirectory(flags.logDir, '--log-dir');
  const live = process.stderr.isTTY === true && !process.env['CI'];
  const progress = new LoadProgressPrinter(process.stderr, live);
  progress.line(describe(config));
  const controller = new AbortController();
  const interrupt = interruptOn(
    controller,
    (text) => progress.line(text),
    'no new orders; stopping the engine, checking invariants, writing the results',
  );
  try {
    const result = await runLoad({
      config,
      databaseUrl,
      logDir: resolve(flags.logDir),
      signal: controller.signal,
      onProgress: (tick) => progress.tick(tick),
    }).catch((error: unknown) => {
      progress.line(`error: ${messageOf(error)}`);
      throw new RunFailed(messageOf(error));
    });
    await writeLoadReport(output, loadReport(result));
    await writeLoadViews(output);
    process.stdout.write(loadResultText(result, output));
    if (result.status === 'aborted') throw new RunInterrupted('interrupted');
    if (!result.passed) throw new RunFailed('an SLA failed');
  } finally {
    interrupt.dispose();
  }
}

function describe(config: LoadConfig): string {
  const shape =
    modelOf(config) === 'open'
      ? `open model, ${config.rate} orders/s for ${config.durationS} s`
      : `${config.bursts} bursts of ${config.ordersPerBurst} orders × ${config.strategies} strategies, ` +
        `${config.burstIntervalS} s apart`;
  return (
    `load: ${shape} (${plannedOrders(config)} orders), at most ${config.maxConcurrentOrders} in flight per strategy` +
    `${config.quick ? ', quick' : ''} · seed ${config.seed}`
  );
}
