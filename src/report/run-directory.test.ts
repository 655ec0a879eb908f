import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PhaseCounts, ScenarioResult } from '../chaos/index.js';
import { chaosSummary, scenarioReport, type ChaosRunInfo } from './chaos-json.js';
import { ReportFileError } from './chaos-schema.js';
import {
  readChaosRun,
  reportFileName,
  runDirectoryName,
  SUMMARY_FILE,
  writeChaosRun,
} from './run-directory.js';

const T0 = Date.UTC(2023, 11, 1, 2, 0, 0);

function counts(orders: number, failures: number): PhaseCounts {
  const latency = { count: orders, p50: 1, p90: 2, p95: 3, p99: 4, p999: 5, max: 6 };
  return { orders, failures, refused: 0, latency };
}

/** A minimal finished run of `name`; the builders' own tests cover the values. */
function result(name: string, iteration = 1, passed = true): ScenarioResult {
  return {
    scenario: {
      name,
      description: `${name} scenario`,
      failureType: 'chaos_exchange_downtime',
      target: 'exchange',
      baselineSeconds: 5,
      chaosSeconds: 30,
      recoveryTimeoutSeconds: 60,
      slaRecoverySeconds: 20,
      expectedFailureRate: 100,
      failureBand: { min: 95, max: 100 },
      recoveryTolerancePercent: 5,
      faults: [],
    },
    seed: 7,
    iteration,
    status: 'completed',
    error: undefined,
    startedAt: T0,
    endedAt: T0 + 50_000,
    phases: { baseline: { startedAt: T0, endedAt: T0 + 5_000 } },
    faultInjected: true,
    recovery: { detected: true, seconds: 12.04 },
    counts: { baseline: counts(50, 0), chaos: counts(0, 30), recovery: counts(48, 1) },
    chaosFailureRate: 100,
    targetTraffic: { requests: 300, failures: 300 },
    watchdog: {
      alerts: 2,
      recoveryEvents: 1,
      actions: [],
      diagnosedFailureType: null,
      diagnosisCorrect: null,
      firstAlertMs: null,
      events: [],
    },
    system: undefined,
    account: undefined,
    verdicts: undefined,
    invariants: undefined,
    timeline: [],
    checks: [{ name: 'recovery_detected', passed: true, detail: 'after 12.0 s' }],
    passed,
  };
}

const run: ChaosRunInfo = {
  startedAt: new Date('2023-12-01T02:00:00Z'),
  endedAt: new Date('2023-12-01T02:02:00Z'),
  mode: 'random',
  parallel: true,
  seed: 7,
  soakSeconds: null,
  aborted: false,
};

describe('run and report file names', () => {
  it('names the run directory after its start in UTC', () => {
    expect(runDirectoryName(new Date('2023-12-01T02:00:00Z'))).toBe('chaos_run_20231201_020000');
    // A local-time input lands on the next UTC day.
    expect(runDirectoryName(new Date('2023-12-01T23:59:59.999-05:00'))).toBe(
      'chaos_run_20231202_045959',
    );
    expect(() => runDirectoryName(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('names reports by scenario, and by iteration padded to 3 in soak mode', () => {
    expect(reportFileName(result('network_partition', 2), false)).toBe(
      'network_partition_report.json',
    );
    expect(reportFileName(result('network_partition', 2), true)).toBe(
      'network_partition_002_report.json',
    );
    expect(reportFileName(result('network_partition', 1234), true)).toBe(
      'network_partition_1234_report.json',
    );
    expect(() => reportFileName(result('../escape'), false)).toThrow(/cannot name a file/);
  });
});

describe('writeChaosRun and readChaosRun', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'chaos-reports-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const results = [result('network_partition'), result('database_outage', 1, false)];

  it('writes one report per scenario and the summary, as 2-space JSON with a newline', async () => {
    const outputDir = join(root, 'nested', 'chaos_reports');
    const dir = await writeChaosRun(outputDir, run, results);
    expect(dir).toBe(join(outputDir, 'chaos_run_20231201_020000'));
    // No temp file is left behind.
    expect((await readdir(dir)).sort()).toEqual([
      'chaos_summary.json',
      'database_outage_report.json',
      'network_partition_report.json',
    ]);
    const text = await readFile(join(dir, 'network_partition_report.json'), 'utf8');
    expect(text).toBe(JSON.stringify(scenarioReport(results[0] as ScenarioResult), null, 2) + '\n');
  });

  it('reads back what it wrote, reports in run order', async () => {
    const dir = await writeChaosRun(root, run, results);
    const read = await readChaosRun(dir);
    expect(read.summary).toEqual(chaosSummary(run, results));
    expect(read.reports).toEqual(results.map(scenarioReport));
  });

  it('adds _2, _3 when the run directory already exists', async () => {
    const first = await writeChaosRun(root, run, results);
    const second = await writeChaosRun(root, run, results);
    const third = await writeChaosRun(root, run, results);
    expect([first, second, third]).toEqual([
      join(root, 'chaos_run_20231201_020000'),
      join(root, 'chaos_run_20231201_020000_2'),
      join(root, 'chaos_run_20231201_020000_3'),
    ]);
  });

  it('names soak reports by iteration', async () => {
    const soakRun = { ...run, soakSeconds: 600 };
    const soakResults = [result('network_partition', 1), result('network_partition', 2)];
    const dir = await writeChaosRun(root, soakRun, soakResults);
    expect((await readdir(dir)).sort()).toEqual([
      'chaos_summary.json',
      'network_partition_001_report.json',
      'network_partition_002_report.json',
    ]);
    const read = await readChaosRun(dir);
    expect(read.reports.map((report) => report.iteration)).toEqual([1, 2]);
  });

  it('honours an explicit soak option over the run info', async () => {
    const dir = await writeChaosRun(root, run, [result('network_partition', 3)], { soak: true });
    expect(await readdir(dir)).toContain('network_partition_003_report.json');
    const { summary } = await readChaosRun(dir);
    expect(summary.scenarios[0]?.report_file).toBe('network_partition_003_report.json');
  });

  it('names a missing summary', async () => {
    const dir = join(root, 'empty');
    await mkdir(dir);
    const error = await readChaosRun(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportFileError);
    expect(error).toMatchObject({ code: 'MISSING', file: join(dir, SUMMARY_FILE) });
    expect(String(error)).toContain(SUMMARY_FILE);
  });

  it('names a report the summary lists but the directory lacks', async () => {
    const dir = await writeChaosRun(root, run, results);
    await rm(join(dir, 'database_outage_report.json'));
    await expect(readChaosRun(dir)).rejects.toThrow(
      /database_outage_report\.json: file is missing/,
    );
  });

  it('names a file that is not JSON', async () => {
    const dir = await writeChaosRun(root, run, results);
    await writeFile(join(dir, 'network_partition_report.json'), '{"scenario": ');
    await expect(readChaosRun(dir)).rejects.toMatchObject({
      code: 'NOT_JSON',
      file: join(dir, 'network_partition_report.json'),
    });
  });

  it('names the file and the field of a malformed report', async () => {
    const dir = await writeChaosRun(root, run, results);
    const path = join(dir, 'network_partition_report.json');
    const report = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    const execution = { ...(report.execution as Record<string, unknown>) };
    delete execution.failure_injected;
    await writeFile(path, JSON.stringify({ ...report, execution }));
    const error = await readChaosRun(dir).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID', fields: ['execution.failure_injected'] });
    expect(String(error)).toMatch(
      /network_partition_report\.json: missing field execution\.failure_injected/,
    );
  });

  it('reads a report the summary does not list, after the listed ones', async () => {
    const dir = await writeChaosRun(root, run, results);
    const extra = scenarioReport(result('exchange_downtime'));
    await writeFile(join(dir, 'exchange_downtime_report.json'), JSON.stringify(extra));
    const read = await readChaosRun(dir);
    expect(read.reports.map((report) => report.scenario.name)).toEqual([
      'network_partition',
      'database_outage',
      'exchange_downtime',
    ]);
  });
});
