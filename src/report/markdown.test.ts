import { describe, expect, it } from 'vitest';
import { ChaosSummarySchema, ScenarioReportSchema } from './chaos-schema.js';
import type { LoadReport } from './load-schema.js';
import { chaosMarkdown, loadMarkdown } from './markdown.js';
import type { ChaosSummary, ScenarioReport } from './report-types.js';
import { openLoadReport } from '../../tests/support/load-report-fixtures.js';
import { externalResult, skippedResult } from '../../tests/support/report-fixtures.js';
import { scenarioReport } from './chaos-json.js';

// ---- fixtures: reports as the run directory holds them ----

const T0 = Date.UTC(2023, 11, 1, 2, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const latency = { count: 100, p50: 1.5, p90: 2, p95: 2.5, p99: 4, p999: 9.1, max: 12 };
const CHECKS = ['recovery_detected', 'sla_met', 'failure_rate_acceptable', 'invariants_hold'];

/** A network partition that recovered in 25.3 s with every check passed. */
function passing(overrides: Partial<ScenarioReport> = {}): ScenarioReport {
  const validation = {
    recovery_detected: true,
    recovery_time_seconds: 25.3,
    sla_met: true,
    failure_rate_acceptable: true,
    watchdog_alerts_fired: true,
    recovery_events_logged: true,
  };
  return ScenarioReportSchema.parse({
    scenario: {
      name: 'network_partition',
      description: 'Network partition causing 60s API timeouts',
      duration_seconds: 60,
      expected_failure_rate: 100,
      sla_recovery_time_seconds: 30,
    },
    execution: {
      start_time: at(0),
      end_time: at(100),
      recovery_time_seconds: 25.3,
      failure_injected: true,
      recovery_detected: true,
    },
    metrics: {
      orders_before_chaos: 150,
      orders_during_chaos: 0,
      orders_after_chaos: 148,
      failures_before_chaos: 1,
      failures_during_chaos: 50,
      failures_after_chaos: 1,
      chaos_failure_rate: 100,
      recovery_successful: true,
    },
    validation,
    watchdog: { alerts_count: 3, recovery_events_count: 1 },
    timestamp: at(100),
    status: 'completed',
    error: null,
    passed: true,
    checks: CHECKS.map((name) => ({ name, passed: true, detail: `${name} ok` })),
    failed_checks: [],
    seed: 42,
    iteration: 1,
    expected_failure_band: { min: 90, max: 100 },
    target: 'exchange',
    target_traffic: { requests: 2500, failures: 2499 },
    phases: {},
    latency_ms: { baseline: latency, chaos: latency, recovery: latency },
    orders_refused: { before_chaos: 0, during_chaos: 0, after_chaos: 0 },
    diagnosis: {
      injected_failure_type: 'chaos_network_partition',
      diagnosed_failure_type: 'chaos_network_partition',
      correct: true,
      first_alert_ms: 1200,
      actions: [],
      events: [],
    },
    invariants: {
      lost: 0,
      duplicated: 0,
      unresolved: 0,
      mismatched: 0,
      exchange_orders: 298,
      journal_orders: 298,
      ok: true,
      examples: [],
    },
    timeline: [],
    ...overrides,
  }) as ScenarioReport;
}

/** Too slow, a duplicated order, and a check detail with a pipe and a line break. */
function failing(): ScenarioReport {
  const base = passing();
  return passing({
    scenario: { ...base.scenario, name: 'rate_limit_flood' },
    iteration: 2,
    execution: { ...base.execution, recovery_time_seconds: 40 },
    metrics: { ...base.metrics, chaos_failure_rate: 12.3 },
    passed: false,
    checks: [
      { name: 'sla_met', passed: false, skipped: false, detail: 'recovery 40 s; SLA 30 s' },
      {
        name: 'failure_rate_acceptable',
        passed: false,
        skipped: false,
        detail: 'rate 12.3% | want\n90–100%',
      },
      { name: 'recovery_detected', passed: true, skipped: false, detail: 'back after 40 s' },
    ],
    failed_checks: ['sla_met', 'failure_rate_acceptable'],
    diagnosis: { ...base.diagnosis, diagnosed_failure_type: null, correct: false },
    invariants: {
      ...(base.invariants as NonNullable<ScenarioReport['invariants']>),
      duplicated: 1,
      ok: false,
    },
  });
}

function errored(): ScenarioReport {
  return passing({
    scenario: { ...passing().scenario, name: 'db|outage' },
    status: 'error',
    error: 'proxy <down>',
    passed: false,
    invariants: null,
  });
}

function summaryOf(reports: ScenarioReport[], aborted = false): ChaosSummary {
  const passed = reports.filter((report) => report.passed).length;
  return ChaosSummarySchema.parse({
    test_run: {
      timestamp: at(1850),
      duration_seconds: 1850,
      mode: 'random',
      parallel: true,
      total_scenarios: reports.length,
      scenarios_run: reports.map((report) => report.scenario.name),
    },
    results: {
      passed_scenarios: passed,
      failed_scenarios: reports.length - passed,
      pass_rate_percent: Math.round((passed / reports.length) * 1000) / 10,
      average_recovery_time_seconds: 32.7,
    },
    seed: 7,
    soak_duration_seconds: null,
    aborted,
    scenarios: [],
  }) as ChaosSummary;
}

/** Table body rows: lines starting with `|`, less the header and its rule. */
function tableRows(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2);
}

/** A row's cells, splitting on pipes that are not escaped. */
function cells(row: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 1; i < row.length - 1; i += 1) {
    if (row[i] === '\\' && row[i + 1] === '|') {
      current += '\\|';
      i += 1;
    } else if (row[i] === '|') {
      out.push(current.trim());
      current = '';
    } else current += row[i];
  }
  return [...out, current.trim()];
}

describe('chaosMarkdown', () => {
  const reports = [passing(), failing(), errored()];
  const markdown = chaosMarkdown(summaryOf(reports), reports);

  it('heads with FAIL and the pass count when any scenario fails, then the run facts', () => {
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('## ❌ FAIL: chaos run, 1/3 scenarios passed');
    expect(markdown).toContain(
      'mode random · parallel yes · seed 7 · duration 1850 s · aborted no',
    );
  });

  it('heads with PASS when every scenario passed, and FAIL for an aborted run', () => {
    const one = [passing()];
    expect(chaosMarkdown(summaryOf(one), one)).toMatch(/^## ✅ PASS: chaos run, 1\/1 scenarios/);
    expect(chaosMarkdown(summaryOf(one, true), one)).toMatch(/^## ❌ FAIL/);
  });

  it('writes one seven-cell row per report, in order, with the key figures', () => {
    const rows = tableRows(markdown).map(cells);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toHaveLength(7);
    expect(rows[0]).toEqual([
      'network_partition',
      '✅ PASS',
      '25.3 / 30',
      '100% (90–100%)',
      '✅ 298 orders',
      '3',
      'chaos_network_partition → chaos_network_partition ✅',
    ]);
    expect(rows[1]?.slice(0, 5)).toEqual([
      'rate_limit_flood #2',
      '❌ FAIL',
      '40 / 30',
      '12.3% (90–100%)',
      '❌ 1 duplicated',
    ]);
    expect(rows[1]?.[6]).toBe('chaos_network_partition → nothing ❌');
    expect(rows[2]?.slice(0, 2)).toEqual(['db\\|outage', '⚠️ ERROR']);
    expect(rows[2]?.[4]).toBe('not checked');
  });

  it('lists each failed scenario with its failed checks, details on one line', () => {
    expect(markdown).toContain(
      [
        '### ❌ FAIL rate_limit_flood #2',
        '',
        '- **sla_met**: recovery 40 s; SLA 30 s',
        '- **failure_rate_acceptable**: rate 12.3% | want 90–100%',
      ].join('\n'),
    );
    expect(markdown).not.toContain('recovery_detected**');
    expect(markdown).toContain('### ⚠️ ERROR db|outage\n\n- error: proxy &lt;down&gt;');
    expect(markdown).not.toContain('### ✅');
  });

  it('escapes pipes and line breaks inside cells', () => {
    const odd = passing({
      scenario: { ...passing().scenario, name: 'a|b\nc' },
      diagnosis: { ...passing().diagnosis, diagnosed_failure_type: 'x|y' },
    });
    const [row] = tableRows(chaosMarkdown(summaryOf([odd]), [odd]));
    expect(row?.startsWith('| a\\|b<br>c | ✅ PASS |')).toBe(true);
    expect(cells(row as string)).toHaveLength(7);
    expect(row).toContain('→ x\\|y ✅');
  });
});

describe('chaosMarkdown: an external bot and a skipped scenario', () => {
  const bot = ScenarioReportSchema.parse(scenarioReport(externalResult())) as ScenarioReport;
  const skipped = ScenarioReportSchema.parse(scenarioReport(skippedResult())) as ScenarioReport;
  const reports = [passing(), bot, skipped];
  const markdown = chaosMarkdown(summaryOf(reports), reports);

  it('counts the passes of the scenarios that applied, names the skipped ones and the system', () => {
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('## ❌ FAIL: chaos run, 1/2 scenarios passed, 1 skipped');
    expect(markdown).toContain(
      '\nsystem under test: external bot `python3 bot.py --symbol BTCUSDT && echo <done>`\n',
    );
    const only = [skipped];
    expect(chaosMarkdown(summaryOf(only), only).split('\n')[0]).toBe(
      '## ⏭️ SKIPPED: chaos run, 0/0 scenarios passed, 1 skipped',
    );
    const skippedAndPassed = [passing(), skipped];
    expect(chaosMarkdown(summaryOf(skippedAndPassed), skippedAndPassed)).toMatch(/^## ✅ PASS/);
  });

  it('reads SKIPPED for the skipped scenario, with no figures, and gives the reason below', () => {
    const rows = tableRows(markdown).map(cells);
    expect(rows[2]).toEqual(['database_outage', '⏭️ SKIPPED', '—', '—', '—', '—', '—']);
    expect(rows[1]?.[4]).toBe('❌ 1 without an intent, 1 placed twice');
    expect(markdown).toContain(
      '**Skipped scenarios:** database_outage (the target uses no database)',
    );
    expect(markdown).not.toContain('### ⏭️');
  });

  it('lists the failed checks, the first duplicates and violations under theirs, not the skipped ones', () => {
    expect(markdown).toContain(
      [
        '### ❌ FAIL rate_limit_flood',
        '',
        '- **invariants_hold**: 41 intent(s), 40 venue order(s)',
        '- **no_duplicate_orders**: 2 duplicate order(s) among 40 the venue accepted; 1 answer(s) lost after the venue executed the order',
        '  - blind resend BTCUSDT BUY LIMIT 0.01 @ 50000: order 101 (client id bot-101) at 02:00:04.000, ' +
          'again as order 102 (client id bot-102) at 02:00:09.500; first answer lost: timed out, no answer',
        '  - client order id reused ETHUSDT: order 110 (client id bot-110) at 02:00:12.000, ' +
          'again as order 111 (client id bot-110) at 02:00:12.400',
        '- **respects_retry_after**: 1 request(s) sent inside 3 Retry-After window(s); no ban (418)',
        '  - POST /api/v3/order at 02:00:06.350, 350 ms into a 2 s Retry-After (429 answered at 02:00:06.000, request req-51)',
        '',
      ].join('\n'),
    );
    expect(markdown).not.toContain('**watchdog_alerts_fired**');
    expect(markdown).toContain(
      '**Skipped checks:** watchdog_alerts_fired, recovery_events_logged: the target has no watchdog this tool can read (no CHAOS_EVENT log)',
    );
  });

  it('writes a command with backticks as a code span they cannot close', () => {
    const system = { ...bot.system_under_test!, command: 'run `date`' };
    const odd = passing({ system_under_test: system });
    expect(chaosMarkdown(summaryOf([odd]), [odd])).toContain(
      'system under test: external bot `` run `date` ``',
    );
  });
});

// ---- load ----

/** The open-model run, its failures listed fewest first so the summary's ordering shows. */
const loadFixture = (overrides: Partial<LoadReport> = {}): LoadReport =>
  openLoadReport({ failures: { shed: 1, 'rejected:-2010': 2 }, ...overrides });

describe('loadMarkdown', () => {
  const markdown = loadMarkdown(loadFixture());

  it('heads with the verdict and tabulates each SLA line', () => {
    expect(markdown.split('\n')[0]).toBe('## ❌ FAIL: load test');
    expect(tableRows(markdown).map(cells)).toEqual([
      ['p95_latency_ms', '61.2 ms', '≤ 150 ms', '✅ pass'],
      ['failure_rate', '5%', '≤ 0.5%', '❌ fail: failure_rate detail'],
      ['throughput_per_second', '19.1/s', '≥ 100/s', '✅ pass'],
      ['invariants', '0 violation(s)', '≤ 0 violation(s)', '✅ pass'],
    ]);
  });

  it('gives totals, latency percentiles and failures by type, most frequent first', () => {
    expect(markdown).toContain(
      '**Totals:** 60 intents, 57 placed, 3 failed, 4 late, 1 dropped; 19.1/s (peak 21/s) over 4.123 s, open model',
    );
    expect(markdown).toContain(
      '**Latency (ms, from intended time):** p50 12.3 · p90 40 · p95 61.2 · p99 100 · p999 140.1 · max 149.9',
    );
    expect(markdown).toContain('**Failures:** rejected:-2010 ×2, shed ×1');
  });

  it('says PASS for a passing run, and shows an aborted run’s status and error', () => {
    const passed = loadFixture({ passed: true, failures: {} });
    expect(loadMarkdown(passed)).toMatch(/^## ✅ PASS: load test\n/);
    expect(loadMarkdown(passed)).toContain('**Failures:** none');
    const aborted = loadFixture({
      test_run: { ...loadFixture().test_run, status: 'aborted', error: 'interrupted by SIGINT' },
    });
    expect(loadMarkdown(aborted)).toMatch(
      /^## ❌ FAIL: load test \(aborted\)\n\n\*\*Error:\*\* interrupted by SIGINT\n/,
    );
  });
});
