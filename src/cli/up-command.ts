import { resolve } from 'node:path';
import { Command } from 'commander';
import { sleep } from '../common/index.js';
import { createStack, type Stack } from '../stack/index.js';
import { integerIn } from './parsers.js';
import { printJson } from './run-support.js';
import { untilStopSignal } from './signals.js';
import { RunFailed } from './usage-error.js';

interface UpFlags {
  strategies: number;
  duration?: number;
  seed: number;
  dataDir?: string;
  logDir: string;
}

export function upCommand(): Command {
  return new Command('up')
    .description(
      'start the whole local stack (exchange simulator, fault proxy, embedded database, engine) and trade ' +
        'until SIGINT/SIGTERM or --duration; then drain, reconcile and check invariants',
    )
    .option('--strategies <n>', 'concurrent strategies', integerIn(1, 1000), 50)
    .option('--duration <seconds>', 'stop after this many seconds', integerIn(1, 7 * 24 * 3600))
    .option('--seed <n>', 'seed of the price walk and the strategies', integerIn(0, 2 ** 32 - 1), 1)
    .option('--data-dir <dir>', 'keep the database and spool here across runs (default: temporary)')
    .option('--log-dir <dir>', 'where the CHAOS_EVENT log goes', 'logs')
    .action(async (flags: UpFlags) => {
      await runUp(flags);
    });
}

async function runUp(flags: UpFlags): Promise<void> {
  const stopSignal = untilStopSignal();
  const stack = await createStack({
    strategies: flags.strategies,
    seed: flags.seed,
    dataDir: flags.dataDir,
    logDir: resolve(flags.logDir),
    databaseUrl: process.env['DATABASE_URL'] || undefined,
    engineProcess: 'child',
  });
  try {
    printJson(readyLine(stack));
    await Promise.race([
      stopSignal,
      flags.duration ? sleep(flags.duration * 1000) : new Promise(() => {}),
    ]);
    const summary = await stack.engine.stop();
    const invariants = await stack.invariants();
    const { balances } = summary;
    const ok = invariants.ok && balances.ok;
    printJson({
      event: 'summary',
      orders_by_status: summary.ordersByStatus,
      outcomes: summary.outcomes,
      trading_seconds: round(summary.tradingSeconds),
      orders_per_second: round(summary.ordersPerSecond),
      latency_ms: {
        p50: round(summary.latencyMs.p50),
        p95: round(summary.latencyMs.p95),
        p99: round(summary.latencyMs.p99),
      },
      invariants: {
        lost: invariants.lost,
        duplicated: invariants.duplicated,
        unresolved: invariants.unresolved,
        mismatched: invariants.mismatched,
        balances_ok: balances.ok,
        ok,
        examples: invariants.examples,
      },
      balances: {
        checked: balances.checked,
        ...(balances.reason !== undefined && { reason: balances.reason }),
        assets: balances.assets,
        fill_mismatches: balances.fillMismatches,
        unknown_fills: balances.unknownFills,
      },
    });
    if (!ok) throw new RunFailed('invariants broken');
  } finally {
    await stack.close();
  }
}

function readyLine(stack: Stack): Record<string, unknown> {
  const { endpoints, engine } = stack;
  return {
    event: 'ready',
    exchange_url: endpoints.exchangeUrl,
    exchange_admin_token: endpoints.exchangeAdminToken,
    proxy_api: endpoints.proxyApi,
    exchange_proxy: endpoints.exchangeProxy,
    database_proxy: endpoints.databaseProxy,
    database_url: endpoints.databaseUrl,
    health_url: engine.healthUrl,
    metrics_url: engine.metricsUrl,
    watchdog_url: engine.healthUrl.replace(/\/health$/, '/watchdog/status'),
    chaos_log: engine.chaosLogPath,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
