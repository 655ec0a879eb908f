import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { evidenceVerdictChecks, judgeWorldEvidence } from '../chaos/index.js';
import { fileTime, sleep } from '../common/index.js';
import type { World } from '../stack/index.js';
import { attachedTarget, type SystemUnderTest } from '../sut/index.js';
import { integerIn } from './parsers.js';
import { databaseUrlFromEnv, printJson, writableDirectory } from './run-support.js';
import { untilStopSignal } from './signals.js';
import { envBlock, serveWorld, type ServedWorld } from './target-world.js';
import { RunFailed } from './usage-error.js';

interface StackFlags {
  exchangePort?: number;
  databasePort?: number;
  host?: string;
  logDir: string;
  seed: number;
  judge: boolean;
  expectFlat: boolean;
  duration?: number;
}

export function stackCommand(): Command {
  return new Command('stack')
    .description(
      'serve the world alone (exchange simulator, fault proxy, database) for a bot you run yourself: ' +
        'prints every endpoint and the env block, adds no fault (use the proxy API), runs until SIGINT/SIGTERM',
    )
    .option(
      '--exchange-port <port>',
      'the exchange proxy listens here (default: a free port)',
      integerIn(1, 65535),
    )
    .option(
      '--database-port <port>',
      'the database proxy listens here (default: a free port)',
      integerIn(1, 65535),
    )
    .option(
      '--host <address>',
      'where the proxies listen (default 127.0.0.1; another address opens them to that network)',
    )
    .option('--log-dir <dir>', "where the bot's files and the evidence are kept", 'logs')
    .option(
      '--seed <n>',
      'seed of the price walk and the proxy fault draws',
      integerIn(0, 2 ** 32 - 1),
      1,
    )
    .option(
      '--judge',
      "at the stop, judge the bot from the venue's and the wire's evidence (exit 1 on a failed check)",
      false,
    )
    .option('--expect-flat', 'with --judge: orders left resting at the venue fail', false)
    .option('--duration <seconds>', 'stop after this many seconds', integerIn(1, 7 * 24 * 3600))
    .action(async (flags: StackFlags) => {
      await runStack(flags);
    });
}

async function runStack(flags: StackFlags): Promise<void> {
  await writableDirectory(flags.logDir, '--log-dir');
  const stopSignal = untilStopSignal();
  const served = await serveWorld(
    {
      seed: flags.seed,
      databaseUrl: databaseUrlFromEnv(),
      exchangePort: flags.exchangePort,
      databasePort: flags.databasePort,
      host: flags.host,
      runDir: join(resolve(flags.logDir), `stack-${fileTime(new Date())}-target`),
    },
    'stack',
  );
  // Whatever connects is a bot attached from elsewhere, judged as --target-external judges one.
  const bot = await attachedTarget({ files: served.files })(served.world, {
    scenario: 'stack',
    runDir: served.files.runDir,
    logName: 'stack',
    signal: new AbortController().signal,
  });
  try {
    printJson(readyLine(served));
    process.stdout.write(envBlock(served));
    await Promise.race([
      stopSignal,
      flags.duration ? sleep(flags.duration * 1000) : new Promise(() => {}),
    ]);
    if (flags.judge) await judge(served.world, bot, flags.expectFlat);
  } finally {
    await bot.close();
    await served.world.close();
  }
}

function readyLine({ world, files }: ServedWorld): Record<string, unknown> {
  const { endpoints } = world;
  return {
    event: 'ready',
    exchange_proxy: endpoints.exchangeProxy,
    database_proxy: endpoints.databaseProxy,
    database_proxy_url: endpoints.databaseProxyUrl,
    proxy_api: endpoints.proxyApi,
    exchange_url: endpoints.exchangeUrl,
    exchange_admin_token: endpoints.exchangeAdminToken,
    database_url: endpoints.databaseUrl,
    api_key: world.account.apiKey,
    intents_file: files.intentsFile,
    phase_file: files.phaseFile,
    evidence: { venue: world.evidence.venuePath, wire: world.evidence.wirePath },
  };
}

/** The ledger verdict at the stop: what the evidence says of whatever traded with the world's key. */
async function judge(world: World, bot: SystemUnderTest, expectFlat: boolean): Promise<void> {
  const verdicts = await judgeWorldEvidence(world, bot, bot.startedAt);
  const account = await bot.orderAccount();
  const checks = evidenceVerdictChecks(verdicts, account, expectFlat);
  const failed = checks.filter((check) => !check.passed && check.skipped !== true);
  printJson({
    event: 'verdict',
    passed: failed.length === 0,
    checks: checks.map(({ name, passed, skipped, detail }) => ({
      name,
      passed,
      skipped: skipped === true,
      detail,
    })),
    duplicates: verdicts.duplicates.duplicates.slice(0, 20),
    retry_after_violations: verdicts.retryAfter.violations.slice(0, 20),
    orphan_orders: verdicts.orphans.orders.slice(0, 20),
  });
  if (failed.length > 0)
    throw new RunFailed(`failed: ${failed.map((check) => check.name).join(', ')}`);
}
