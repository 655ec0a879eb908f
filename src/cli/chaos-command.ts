import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  BUILT_IN_SCENARIOS,
  loadScenarioConfig,
  runChaosSuite,
  ScenarioFileError,
  type Scenario,
  type ScenarioConfig,
  type ScenarioResult,
  type SuiteMode,
  type TargetConfig,
} from '../chaos/index.js';
import { writeChaosRun, writeChaosViews } from '../report/index.js';
import { ChaosProgress, verdictOf } from './chaos-progress.js';
import { collect, commaList, integerIn } from './parsers.js';
import { databaseUrlFromEnv, interruptOn, writableDirectory } from './run-support.js';
import { formatTable } from './table.js';
import { attachWorld, describeTarget } from './target-world.js';
import { fileTime } from '../common/index.js';
import { chooseTarget, withTargetOptions, type TargetFlags } from './target-options.js';
import { RunFailed, RunInterrupted, UsageError } from './usage-error.js';

interface ChaosFlags extends TargetFlags {
  scenarios?: string[];
  scenarioFile: string[];
  mode: SuiteMode;
  seed?: number;
  parallel: boolean;
  duration?: number;
  outputDir: string;
  logDir: string;
  strategies: number;
  quick: boolean;
  verbose: boolean;
}

export function chaosCommand(): Command {
  return withTargetOptions(chaosOptions());
}

function chaosOptions(): Command {
  return new Command('chaos')
    .description(
      'run chaos scenarios against the local stack (exchange simulator, fault proxy, database, engine): ' +
        'baseline, faults on, recovery, then invariants; writes JSON reports',
    )
    .option(
      '--scenarios <names>',
      `comma-separated scenarios (default: all built-ins, or every scenario of --scenario-file): ${BUILT_IN_SCENARIOS.map((s) => s.name).join(', ')}`,
      commaList,
    )
    .option(
      '--scenario-file <path>',
      'YAML or JSON file of your own scenarios (repeatable)',
      collect,
      [],
    )
    .addOption(
      new Option('--mode <mode>', 'run order')
        .choices(['sequential', 'random'])
        .default('sequential'),
    )
    .option(
      '--seed <n>',
      'seed of the random order, prices, strategies and fault draws (printed)',
      integerIn(0, 2 ** 32 - 1),
    )
    .option('--parallel', 'run the scenarios at once, each on its own stack', false)
    .option(
      '--duration <seconds>',
      'soak: repeat the scenarios until this many seconds have passed',
      integerIn(1, 7 * 24 * 3600),
    )
    .option('--output-dir <dir>', 'where run directories go', 'chaos_reports')
    .option('--log-dir <dir>', 'where the engines write their CHAOS_EVENT logs', 'logs')
    .option('--strategies <n>', 'concurrent strategies per stack', integerIn(1, 1000), 50)
    .option('--quick', 'compress baseline and chaos windows for CI (SLAs unchanged)', false)
    .option('--verbose', 'a progress line every second and every check of every scenario', false)
    .action(async (flags: ChaosFlags) => {
      await runChaos(flags);
    });
}

async function runChaos(flags: ChaosFlags): Promise<void> {
  const { scenarios, fileTarget } = await selectScenarios(flags);
  const target = chooseTarget(flags, fileTarget);
  if (target.kind === 'attached' && flags.parallel) {
    throw new UsageError('--parallel needs a world per scenario; --target-external serves one');
  }
  const databaseUrl = databaseUrlFromEnv();
  // Found out now, not after a run of many minutes.
  await writableDirectory(flags.outputDir, '--output-dir');
  await writableDirectory(flags.logDir, '--log-dir');
  const seed = flags.seed ?? Math.floor(Math.random() * 2 ** 32);
  const live = process.stderr.isTTY === true && !process.env['CI'];
  const progress = new ChaosProgress({ stream: process.stderr, live, verbose: flags.verbose });
  progress.line(
    `chaos: ${scenarios.map((s) => s.name).join(', ')} · mode ${flags.mode}${flags.parallel ? ', parallel' : ''}` +
      `${flags.quick ? ', quick' : ''}${flags.duration ? `, soak ${flags.duration} s` : ''} · seed ${seed}` +
      ` · target ${describeTarget(target)}`,
  );
  const controller = new AbortController();
  const interrupt = interruptOn(
    controller,
    (text) => progress.line(text),
    'removing every fault, then writing the reports so far',
  );
  let shared: Awaited<ReturnType<typeof attachWorld>> | undefined;
  try {
    if (target.kind === 'attached') {
      const runDir = join(resolve(flags.logDir), `external-${fileTime(new Date())}-target`);
      shared = await attachWorld(flags, { seed, databaseUrl, runDir }, target.options, (text) =>
        progress.line(text),
      );
    }
    const suite = await runChaosSuite({
      scenarios,
      mode: flags.mode,
      seed,
      parallel: flags.parallel,
      soakSeconds: flags.duration ?? null,
      quick: flags.quick,
      stack: {
        strategies: flags.strategies,
        logDir: resolve(flags.logDir),
        databaseUrl,
        engineProcess: 'child',
      },
      target: shared?.starter ?? (target.kind === 'process' ? target.starter : undefined),
      sharedWorld: shared?.world,
      expectFlat: target.expectFlat,
      signal: controller.signal,
      onScenarioStart: (scenario, iteration) => progress.started(scenario, iteration),
      onProgress: (tick) => progress.tick(tick),
      onScenarioEnd: (result) => progress.finished(result),
    });
    process.stdout.write(resultsTable(suite.results));
    const runDir = await writeChaosRun(
      resolve(flags.outputDir),
      {
        startedAt: suite.startedAt,
        endedAt: suite.endedAt,
        mode: flags.mode,
        parallel: flags.parallel,
        seed,
        soakSeconds: flags.duration ?? null,
        aborted: suite.aborted,
      },
      suite.results,
    );
    const [html] = await writeChaosViews(runDir);
    process.stdout.write(`reports: ${runDir}\nhtml: ${html}\nseed: ${seed}\n`);
    if (suite.aborted) throw new RunInterrupted('interrupted');
    // A skipped scenario did not apply to the target: it neither passed nor failed.
    const failed = suite.results.some((result) => !result.passed && result.status !== 'skipped');
    if (failed) throw new RunFailed('a scenario failed');
    if (suite.results.every((result) => result.status === 'skipped')) {
      progress.line('no scenario applied to the target: nothing was judged');
      throw new RunFailed('nothing judged');
    }
  } finally {
    interrupt.dispose();
    await shared?.world.close();
  }
}

/**
 * The scenarios to run: by name from the files and the built-ins (files win),
 * in the order named; and the target a file names, if one does.
 */
async function selectScenarios(
  flags: ChaosFlags,
): Promise<{ scenarios: Scenario[]; fileTarget: TargetConfig | undefined }> {
  const fromFiles: Scenario[] = [];
  let fileTarget: { path: string; target: TargetConfig } | undefined;
  for (const path of flags.scenarioFile) {
    let config: ScenarioConfig;
    try {
      config = await loadScenarioConfig(path);
    } catch (error) {
      if (error instanceof ScenarioFileError) throw new UsageError(error.message);
      throw error;
    }
    fromFiles.push(...config.scenarios);
    if (!config.target) continue;
    if (fileTarget) {
      throw new UsageError(`${path}: target: is already named in ${fileTarget.path}; name it once`);
    }
    fileTarget = { path, target: config.target };
  }
  return { scenarios: pickScenarios(flags, fromFiles), fileTarget: fileTarget?.target };
}

function pickScenarios(flags: ChaosFlags, fromFiles: Scenario[]): Scenario[] {
  const seen = new Set<string>();
  for (const { name } of fromFiles) {
    if (seen.has(name)) {
      throw new UsageError(`scenario "${name}" is defined in more than one --scenario-file`);
    }
    seen.add(name);
  }
  if (!flags.scenarios) return fromFiles.length > 0 ? fromFiles : [...BUILT_IN_SCENARIOS];
  const known = new Map([...BUILT_IN_SCENARIOS, ...fromFiles].map((s) => [s.name, s]));
  const unknown = flags.scenarios.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown scenario ${unknown.map((name) => `"${name}"`).join(', ')}; known: ${[...known.keys()].join(', ')}`,
    );
  }
  return [...new Set(flags.scenarios)].map((name) => known.get(name)!);
}

function resultsTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((result) => {
    const { scenario } = result;
    const band = `${scenario.failureBand.min}–${scenario.failureBand.max}%`;
    return [
      scenario.name + (result.iteration > 1 ? ` #${result.iteration}` : ''),
      verdictOf(result),
      result.recovery.seconds === null ? '–' : `${result.recovery.seconds} s`,
      `${scenario.slaRecoverySeconds} s`,
      result.chaosFailureRate === null ? '–' : `${result.chaosFailureRate}%`,
      band,
      checkCell(result, 'watchdog_alerts_fired', String(result.watchdog.alerts)),
      checkCell(result, 'invariants_hold', 'ok', 'BROKEN'),
      checkCell(
        result,
        'no_duplicate_orders',
        'none',
        String(result.verdicts?.duplicates.duplicatesTotal),
      ),
    ];
  });
  const header = [
    'scenario',
    'verdict',
    'recovery',
    'SLA',
    'failure rate',
    'band',
    'alerts',
    'invariants',
    'duplicates',
  ];
  return formatTable(header, rows);
}

/** A check's cell: `passed` or `failed` text as it went, – when it was skipped or not run. */
function checkCell(
  result: ScenarioResult,
  name: ScenarioResult['checks'][number]['name'],
  passed: string,
  failed = passed,
): string {
  const check = result.checks.find((c) => c.name === name);
  if (!check || check.skipped) return '–';
  return check.passed ? passed : failed;
}
