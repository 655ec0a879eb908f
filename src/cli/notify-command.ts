import { Command, Option } from 'commander';
import {
  readChaosRun,
  readLoadReport,
  type ChaosSummary,
  type LoadReport,
  type ScenarioReport,
} from '../report/index.js';
import {
  AlertDispatcher,
  createNotifier,
  DISPATCHER_DEFAULTS,
  FAILURE_TYPES,
  type Alert,
  type FailureType,
  type NotifierKind,
  type NotifierStats,
} from '../watchdog/index.js';
import { readResults } from './run-support.js';
import { RunFailed, UsageError } from './usage-error.js';

interface NotifyFlags {
  webhook: string;
  kind: NotifierKind;
}

/** A run's verdict as one alert: the watchdog's notifiers then draw it for each webhook kind. */
type RunAlert = Pick<Alert, 'severity' | 'title' | 'message' | 'failureType' | 'at'> & {
  componentId: string;
  fields: Record<string, string>;
  chaosScenario?: string;
};

export function notifyCommand(): Command {
  return new Command('notify')
    .description(
      "post a chaos run's pass/fail summary (or a load results file's SLA verdicts) to a webhook",
    )
    .argument('<run>', 'a chaos_run_* directory, or a load_test_results.json file')
    .requiredOption('--webhook <url>', 'webhook URL (http or https)')
    .addOption(
      new Option('--kind <kind>', 'webhook flavour')
        .choices(['discord', 'slack', 'generic'])
        .default('generic'),
    )
    .action(async (path: string, flags: NotifyFlags) => {
      await notify(path, flags);
    });
}

async function notify(path: string, flags: NotifyFlags): Promise<void> {
  const url = webhookUrl(flags.webhook);
  const alert = await runAlert(path);
  process.stdout.write(`${alert.title}\n${alert.message}\n`);
  // The dispatcher brings the watchdog's retries, backoff and per-attempt timeout.
  const dispatcher = new AlertDispatcher([createNotifier({ kind: flags.kind, url: url.href })]);
  dispatcher.dispatch({ key: `run:${alert.at}`, confidence: 1, runSummary: true, ...alert });
  // The dispatcher's backoff timers are unref'd (it must never hold a watchdog's process open);
  // this process exists to deliver, so it keeps itself alive until the retries are done.
  const keepAlive = setInterval(() => undefined, 60_000);
  await dispatcher.flush().finally(() => clearInterval(keepAlive));
  const { sent, attempts, lastError } = Object.values(dispatcher.stats())[0]!;
  await dispatcher.close();
  // Only the origin is shown: webhook paths carry their secret token.
  const where = `${flags.kind} webhook at ${url.origin}`;
  if (sent === 0) {
    const why = lastError ? failureText(lastError) : 'was not sent';
    console.error(`error: ${where} ${why} after ${plural(attempts, 'attempt')}`);
    throw new RunFailed('not delivered');
  }
  process.stdout.write(`notified ${where}\n`);
}

/** Checked here rather than by commander, whose error would echo the URL and its token. */
function webhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('--webhook is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--webhook must be http or https, not ${url.protocol.slice(0, -1)}`);
  }
  return url;
}

function runAlert(path: string): Promise<RunAlert> {
  return readResults(
    path,
    {
      chaos: async (dir) => {
        const { summary, reports } = await readChaosRun(dir);
        return chaosAlert(summary, reports);
      },
      load: async (file) => loadAlert(await readLoadReport(file)),
    },
    (error) =>
      error.code === 'ENOENT' ? 'no such run directory or load results file' : String(error.code),
  );
}

function chaosAlert(summary: ChaosSummary, reports: ScenarioReport[]): RunAlert {
  const { passed_scenarios: passed, failed_scenarios: failed } = summary.results;
  const ok = failed === 0 && passed > 0 && !summary.aborted;
  // readChaosRun returns the summary's scenarios first and in order, so reports line up by index.
  const lines = summary.scenarios.map((scenario, i) => {
    const sla = reports[i]?.scenario.sla_recovery_time_seconds;
    const recovery = `recovery ${seconds(scenario.recovery_time_seconds)}${sla === undefined ? '' : ` (SLA ${sla} s)`}`;
    const name = scenario.iteration > 1 ? `${scenario.name} #${scenario.iteration}` : scenario.name;
    if (scenario.passed) return `PASS ${name}: ${recovery}`;
    const checks = scenario.failed_checks.join(', ') || scenario.status;
    return `FAIL ${name}: ${checks}; ${recovery}`;
  });
  const firstFailed = reports.find((report) => !report.passed);
  const verdict = ok ? 'PASS' : 'FAIL';
  return {
    severity: ok ? 'info' : 'critical',
    title: `Chaos run ${verdict}: ${passed}/${passed + failed} scenarios passed${summary.aborted ? ' (interrupted)' : ''}`,
    message: lines.join('\n'),
    componentId: 'chaos_suite',
    // Alerts need a failure type: the first failed scenario's fault, else the suite's kind of fault.
    failureType: asFailureType(firstFailed?.diagnosis.injected_failure_type, 'dependency'),
    at: Date.parse(summary.test_run.timestamp),
    ...(ok ? {} : { chaosScenario: failedNames(summary) }),
    fields: {
      Verdict: verdict,
      Passed: `${passed}/${passed + failed}`,
      'Average recovery': seconds(summary.results.average_recovery_time_seconds),
      Run: summary.test_run.timestamp,
      Seed: String(summary.seed),
      Mode: `${summary.test_run.mode}${summary.test_run.parallel ? ', parallel' : ''}`,
    },
  };
}

function loadAlert(report: LoadReport): RunAlert {
  const met = report.sla.filter((row) => row.passed).length;
  const verdict = report.passed ? 'PASS' : 'FAIL';
  const lines = report.sla.map(
    (row) =>
      `${row.passed ? 'PASS' : 'FAIL'} ${row.metric}: ${row.value} ${row.comparison} ${row.threshold}`,
  );
  const { totals } = report;
  return {
    severity: report.passed ? 'info' : 'critical',
    title: `Load test ${verdict}: ${met}/${report.sla.length} SLAs met${report.test_run.status === 'aborted' ? ' (interrupted)' : ''}`,
    message: lines.join('\n'),
    componentId: 'load_test',
    failureType: 'performance',
    at: Date.parse(report.test_run.start_time),
    fields: {
      Verdict: verdict,
      'SLAs met': `${met}/${report.sla.length}`,
      'Orders placed': `${totals.placed}/${totals.intents}`,
      'P95 latency': `${report.latency_ms.p95} ms`,
      Run: report.test_run.start_time,
      Seed: String(report.config.seed),
    },
  };
}

function failedNames(summary: ChaosSummary): string {
  return [...new Set(summary.scenarios.filter((s) => !s.passed).map((s) => s.name))].join(', ');
}

function asFailureType(text: string | undefined, fallback: FailureType): FailureType {
  return FAILURE_TYPES.find((type) => type === text) ?? fallback;
}

function failureText(error: NonNullable<NotifierStats['lastError']>): string {
  if (error.status !== undefined) return `answered ${error.status}`;
  if (error.code === 'TIMEOUT') {
    return `did not answer within ${DISPATCHER_DEFAULTS.attemptTimeoutMs / 1000} s`;
  }
  return error.message.replace(/^endpoint /, '');
}

function seconds(value: number | null): string {
  return value === null ? '–' : `${value} s`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
