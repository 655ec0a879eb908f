import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../chaos/index.js';
import {
  externalResult,
  result,
  skippedResult,
  T0 as FIXTURE_T0,
} from '../../../tests/support/report-fixtures.js';
import { chaosSummary, scenarioReport } from '../chaos-json.js';
import { ChaosSummarySchema, ScenarioReportSchema } from '../chaos-schema.js';
import type { ChaosSummary, ScenarioReport } from '../report-types.js';
import { timelineMarks } from './chaos-charts.js';
import type { ChartSpec } from './chart-spec.js';
import { escapeHtml, jsonForScript } from './escape.js';
import { chaosRunHtml } from './index.js';

// The pages in a browser: tests/e2e/report-browser.test.ts. Here: what can be read off the text.

const T0 = Date.UTC(2024, 0, 2, 3, 4, 5);
const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
const latency = { count: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };

function report(overrides: Partial<ScenarioReport> = {}): ScenarioReport {
  return ScenarioReportSchema.parse({
    scenario: {
      name: 'network_partition',
      description: 'Exchange link black-holed.',
      duration_seconds: 5,
      expected_failure_rate: 100,
      sla_recovery_time_seconds: 30,
    },
    execution: {
      start_time: iso(0),
      end_time: iso(15_000),
      recovery_time_seconds: 1.5,
      failure_injected: true,
      recovery_detected: true,
    },
    metrics: {
      orders_before_chaos: 30,
      orders_during_chaos: 2,
      orders_after_chaos: 20,
      failures_before_chaos: 0,
      failures_during_chaos: 9,
      failures_after_chaos: 0,
      chaos_failure_rate: 97.5,
      recovery_successful: true,
    },
    validation: {
      recovery_detected: true,
      recovery_time_seconds: 1.5,
      sla_met: true,
      failure_rate_acceptable: true,
      watchdog_alerts_fired: true,
      recovery_events_logged: true,
    },
    watchdog: { alerts_count: 1, recovery_events_count: 1 },
    timestamp: iso(15_000),
    status: 'completed',
    error: null,
    passed: true,
    checks: [],
    failed_checks: [],
    seed: 1,
    iteration: 1,
    expected_failure_band: { min: 90, max: 100 },
    target: 'exchange',
    target_traffic: { requests: 40, failures: 39 },
    phases: {
      baseline: { start_time: iso(2), end_time: iso(3_002) },
      chaos: { start_time: iso(3_002), end_time: iso(8_002) },
      recovery: { start_time: iso(8_002), end_time: iso(13_002) },
    },
    latency_ms: { baseline: latency, chaos: latency, recovery: latency },
    orders_refused: { before_chaos: 0, during_chaos: 0, after_chaos: 0 },
    diagnosis: {
      injected_failure_type: 'chaos_network_partition',
      diagnosed_failure_type: 'chaos_network_partition',
      correct: true,
      first_alert_ms: 1_200,
      actions: [],
      events: [],
    },
    invariants: null,
    timeline: Array.from({ length: 13 }, (_, second) => ({
      second,
      phase: 'baseline',
      orders: 10,
      failures: 0,
      refused: 0,
      p95_ms: 20,
      target_requests: 10,
      target_failures: 0,
    })),
    ...overrides,
  });
}

function summary(reports: ScenarioReport[], extra: ChaosSummary['scenarios'] = []): ChaosSummary {
  return ChaosSummarySchema.parse({
    test_run: {
      timestamp: iso(20_000),
      duration_seconds: 20,
      mode: 'sequential',
      parallel: false,
      total_scenarios: reports.length + extra.length,
      scenarios_run: [...reports.map((r) => r.scenario.name), ...extra.map((row) => row.name)],
    },
    results: {
      passed_scenarios: reports.length,
      failed_scenarios: extra.length,
      pass_rate_percent: 50,
      average_recovery_time_seconds: 1.5,
    },
    seed: 1,
    soak_duration_seconds: null,
    aborted: false,
    scenarios: [
      ...reports.map((r) => ({
        name: r.scenario.name,
        iteration: r.iteration,
        passed: r.passed,
        status: r.status,
        failed_checks: r.failed_checks,
        recovery_time_seconds: r.execution.recovery_time_seconds,
        chaos_failure_rate: r.metrics.chaos_failure_rate,
        report_file: `${r.scenario.name}_report.json`,
      })),
      ...extra,
    ],
  });
}

function chartsOf(html: string): ChartSpec[] {
  const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1];
  return (JSON.parse(json ?? 'null') as { charts: ChartSpec[] }).charts;
}

describe('escaping', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('writes JSON no string can break out of, and that reads back the same', () => {
    const value = { text: '</script><script>alert(1)</script>\u2028<!--' };
    const json = jsonForScript(value);
    expect(json).not.toContain('<');
    expect(json).not.toContain('\u2028');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('chaosRunHtml', () => {
  it('maps phases and markers onto the timeline, in seconds since the scenario started', () => {
    // No watchdog events: the first alert from fault onset, the recovery from the recovery phase.
    expect(timelineMarks(report())).toEqual({
      chaos: { from: 3.002, to: 8.002 },
      exact: false,
      alerts: [3.002 + 1.2],
      actions: [],
      recovered: [8.002 + 1.5],
    });
    const html = chaosRunHtml(summary([report()]), [report()]);
    const [orders, failures] = chartsOf(html);
    expect(orders?.x.slice(0, 3)).toEqual([0.5, 1.5, 2.5]);
    expect(orders?.bands).toEqual([{ from: 3.002, to: 8.002, color: expect.any(String) }]);
    expect(orders?.markers.map((m) => [m.label, m.at, m.minor])).toEqual([
      ['alert', 4.202, false],
      ['recovered', 9.502, false],
    ]);
    expect(failures?.sync).toBe(orders?.sync);
    expect(html).toContain('first alert at 4.2 s (timed from fault onset)');
    expect(html).toContain('recovered at 9.5 s');
  });

  it("places the watchdog's events at their own times, actions thin and named in the key", () => {
    const events = [
      { time: iso(4_102), kind: 'alert', name: 'chaos_network_partition' },
      { time: iso(4_300), kind: 'action', name: 'reconcile' },
      { time: iso(4_350), kind: 'action', name: 'reset_<b>breaker' },
      { time: iso(5_000), kind: 'alert', name: 'chaos_network_partition' },
      { time: iso(5_250), kind: 'action', name: 'reconcile' },
      { time: iso(14_200), kind: 'recovered', name: 'chaos_network_partition' },
    ] as const;
    const timed = report({ diagnosis: { ...report().diagnosis, events: [...events] } });
    // Exact times replace first_alert_ms (4.202 s) and the recovery phase (9.502 s).
    expect(timelineMarks(timed)).toEqual({
      chaos: { from: 3.002, to: 8.002 },
      exact: true,
      alerts: [4.102, 5],
      actions: [
        { at: 4.3, name: 'reconcile' },
        { at: 4.35, name: 'reset_<b>breaker' },
        { at: 5.25, name: 'reconcile' },
      ],
      recovered: [14.2],
    });
    const html = chaosRunHtml(summary([timed]), [timed]);
    const [orders, failures] = chartsOf(html);
    for (const spec of [orders, failures]) {
      expect(spec?.markers.map((m) => [m.label, m.at, m.minor])).toEqual([
        ['alert', 4.102, false],
        ['reconcile', 4.3, true],
        ['reset_<b>breaker', 4.35, true],
        ['alert', 5, false],
        ['reconcile', 5.25, true],
        ['recovered', 14.2, false],
      ]);
      // The axis reaches past the last point (13 s) to the recovery.
      expect(spec?.xRange).toEqual([0, 15]);
    }
    expect(html).toContain('2 alerts at 4.1, 5 s');
    expect(html).toContain('action reconcile at 4.3, 5.3 s');
    expect(html).toContain('action reset_&lt;b&gt;breaker at 4.4 s');
    expect(html).toContain('recovered (watchdog) at 14.2 s');
    expect(html).not.toContain('first alert');
  });

  it('lists at most a few times per key entry', () => {
    const events = Array.from({ length: 9 }, (_, i) => ({
      time: iso(4_000 + i * 100),
      kind: 'alert' as const,
      name: 'chaos_network_partition',
    }));
    const flapping = report({ diagnosis: { ...report().diagnosis, events } });
    const html = chaosRunHtml(summary([flapping]), [flapping]);
    expect(html).toContain('9 alerts at 4, 4.1, 4.2, 4.3, 4.4, 4.5 s and 3 more');
    expect(chartsOf(html)[0]?.markers).toHaveLength(9);
  });

  it('is self-contained: inlined script and style, no URL to fetch, a policy forbidding fetches', () => {
    const html = chaosRunHtml(summary([report()]), [report()]);
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link[^>]*stylesheet|<img|@import|url\(/i);
    expect(html).toContain(`content="default-src 'none';`);
    expect(html).toContain('<meta name="viewport"');
  });

  it('escapes what the reports say', () => {
    const hostile = report({
      scenario: { ...report().scenario, description: '<script>alert(1)</script>' },
      error: '<b>boom</b>',
      status: 'error',
    });
    const html = chaosRunHtml(summary([hostile]), [hostile]);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;boom&lt;/b&gt;');
    expect(html).not.toContain('<b>boom');
  });

  it('draws no chart for a run cut short, and keeps a summary row whose report is missing', () => {
    const cut = report({
      status: 'aborted',
      timeline: [],
      phases: { baseline: { start_time: iso(2), end_time: null } },
    });
    const missing = {
      name: 'database_outage',
      iteration: 1,
      passed: false,
      status: 'error' as const,
      failed_checks: ['recovery_detected'],
      recovery_time_seconds: null,
      chaos_failure_rate: null,
      report_file: 'database_outage_report.json',
    };
    const html = chaosRunHtml(summary([cut], [missing]), [cut]);
    expect(chartsOf(html)).toEqual([]);
    expect(html).toContain('No timeline was recorded.');
    expect(html).toMatch(/<td>database_outage<\/td><td><span class="badge fail">ERROR<\/span>/);
    expect(html).toContain('<span class="badge warn">ABORTED</span>');
  });
});

/** A run's page from runner results, through the real report writer and schema. */
function pageOf(results: ScenarioResult[]): { html: string; reports: ScenarioReport[] } {
  const reports = results.map((one) => ScenarioReportSchema.parse(scenarioReport(one)));
  const run = {
    ...{ startedAt: new Date(FIXTURE_T0), endedAt: new Date(FIXTURE_T0 + 80_000) },
    ...({
      mode: 'sequential',
      parallel: false,
      seed: 7,
      soakSeconds: null,
      aborted: false,
    } as const),
  };
  const summary = ChaosSummarySchema.parse(chaosSummary(run, results));
  return { html: chaosRunHtml(summary, reports), reports };
}

/** The markup of the scenario section with this anchor. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section class="card" id="${id}">`);
  expect(start, id).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('chaosRunHtml: the system under test and the evidence against it', () => {
  const { html } = pageOf([result('network_partition', 1), externalResult(), skippedResult()]);
  const bot = sectionOf(html, 'scenario-2-rate_limit_flood');
  const skipped = sectionOf(html, 'scenario-3-database_outage');

  it('names the system under test under the title, and counts the skipped scenario apart', () => {
    expect(html).toContain(
      '<p class="sut-line">System under test: external bot <code>python3 bot.py --symbol BTCUSDT &amp;&amp; echo &lt;done&gt;</code></p>',
    );
    expect(html).toContain('1 passed, 1 failed, 1 skipped of 3 (50 %)');
    const builtin: ScenarioResult = {
      ...result('network_partition', 1),
      system: { ...externalResult().system!, kind: 'builtin', command: null, lastOutput: [] },
    };
    expect(pageOf([builtin]).html).toContain('System under test: built-in engine</p>');
  });

  it('reads SKIPPED in grey for a skipped scenario, with no red mark in its row', () => {
    const row = /<tr><td><a href="#scenario-3-database_outage">.*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(row).toContain('<span class="badge skip">SKIPPED</span>');
    expect(row).toContain('the target uses no database');
    expect(row).not.toMatch(/class="(bad|badge fail)"/);
    expect(skipped).toContain('<div class="note">Skipped: the target uses no database.');
    expect(skipped).not.toContain('class="banner"');
    expect(skipped).not.toContain('Failed checks');
    // A run where nothing applied neither passed nor failed.
    expect(pageOf([skippedResult()]).html).toMatch(/<h1>Chaos run <span class="badge skip">/);
  });

  it('shows skipped checks as skipped, with their reason, never as passed or failed', () => {
    const failedList = /<ul class="checks failed-checks">.*?<\/ul>/.exec(bot)?.[0] ?? '';
    expect(failedList).toContain('no_duplicate_orders');
    expect(failedList).toContain('respects_retry_after');
    expect(failedList).not.toContain('watchdog');
    const skippedList = /<ul class="checks skipped-checks">.*?<\/ul>/.exec(bot)?.[0] ?? '';
    expect(skippedList).toContain(
      '<li><span class="skip">\u2298</span> <strong>watchdog_alerts_fired</strong>: the target has no watchdog this tool can read (no CHAOS_EVENT log)</li>',
    );
    expect(skippedList).toContain('<strong>recovery_events_logged</strong>');
    for (const name of ['watchdog_alerts_fired', 'recovery_events_logged']) {
      expect(bot).toContain(`<td>${name}</td><td><span class="skip">\u2298</span> skipped</td>`);
    }
    // Judged checks only: the two skipped ones count neither way.
    const allJudgedPass = pageOf([
      {
        ...result('network_partition', 1),
        checks: [
          { name: 'sla_met', passed: true, detail: '' },
          { name: 'watchdog_alerts_fired', passed: false, skipped: true, detail: 'skipped: x' },
        ],
      },
    ]).html;
    expect(allJudgedPass).toContain('All 1 checks that were judged passed.');
  });

  it('shows how the system ended, its last output escaped, and its log file', () => {
    const sut = /<div class="sut">.*?<\/div>/s.exec(bot)?.[0] ?? '';
    expect(sut).toContain('<h3>System under test</h3>');
    expect(sut).toContain('<dt>Exit</dt><dd>signal SIGTERM</dd>');
    expect(sut).toContain('<dt>Survived</dt><dd><span class="ok">');
    expect(sut).toContain(
      '<dt>Left processes behind</dt><dd><span class="ok">\u2713</span> no</dd>',
    );
    expect(sut).toContain('<code>/runs/chaos/rate_limit_flood-target.log</code>');
    expect(sut).toContain(
      '<pre class="output">placing BUY 0.01 BTCUSDT\nKeyError: &lt;script&gt;window.__pwned = 2&lt;/script&gt; &amp; &quot;quoted&quot;\nshutting down</pre>',
    );
    expect(html).not.toContain('<script>window.__pwned');
    // The skipped scenario still shows what was seen of the system.
    expect(skipped).toContain('<div class="sut">');
  });

  it('tabulates each duplicate: kind, symbol, terms, both orders and how the answer was lost', () => {
    const duplicates = /<div class="duplicates">.*?<\/table><\/div><\/div>/s.exec(bot)?.[0] ?? '';
    expect(duplicates).toContain('2 order(s) placed twice among 40 the venue accepted');
    expect(duplicates).toContain(
      '<td>blind resend</td><td>BTCUSDT</td><td>BUY LIMIT 0.01 @ 50000</td><td>order 101<br><span class="muted">client id bot-101</span><br><span class="muted">02:00:04.000 · request req-41</span></td><td>order 102<br>',
    );
    expect(duplicates).toContain(
      'timed out, no answer<br><span class="muted">sent 02:00:04.000, ended 02:00:09.000</span>',
    );
    expect(duplicates).toContain('<td>client order id reused</td><td>ETHUSDT</td><td>\u2014</td>');
    expect(duplicates).toContain('02:00:12.400 · request req-61');
  });

  it('tabulates the Retry-After violations, the orders left resting and the intents', () => {
    expect(bot).toContain('<h3>Retry-After violations</h3>');
    expect(bot).toContain(
      '<td>02:00:06.350</td><td>POST /api/v3/order</td><td>350 ms of 2 s</td><td>429, Retry-After 2 s<br><span class="muted">answered 02:00:06.000 · request req-51</span></td>',
    );
    expect(bot).toContain('<h3>Orders left resting</h3>');
    expect(bot).toContain('<td>BTCUSDT</td><td class="num">120</td><td>bot-120</td><td>SELL</td>');
    expect(bot).toContain('<h3>Reported intents</h3>');
    expect(bot).toContain(
      '<dt>Intents placed twice</dt><dd><span class="bad">\u2717</span> 1</dd>',
    );
    expect(bot).toContain('<li>intent bot-110 (line 12) placed twice: orders 110 and 111</li>');
    // An external bot keeps no journal: its intents stand in the summary's invariants column.
    expect(html).toContain('intents: 1 without an intent, 1 placed twice');
    expect(bot).not.toContain('<h3>Invariants</h3>');
  });

  it('leaves out what found nothing, says when only the first findings are listed, and shows a ban', () => {
    const plain = pageOf([result('network_partition', 1)]).html;
    for (const heading of ['System under test', 'Duplicate orders', 'Retry-After', 'Orders left'])
      expect(plain).not.toContain(`<h3>${heading}`);
    const [base] = pageOf([externalResult()]).reports as [ScenarioReport];
    const clean = report({
      duplicates: { ...base.duplicates!, total: 0, listed: [] },
      retry_after: { ...base.retry_after!, violations_total: 0, violations: [] },
      orphan_orders: { total: 0, orders: [] },
    });
    const cleanHtml = chaosRunHtml(summary([clean]), [clean]);
    expect(cleanHtml).not.toContain('<h3>Duplicate orders');
    expect(cleanHtml).not.toContain('<h3>Retry-After');
    expect(cleanHtml).not.toContain('<h3>Orders left');
    const many = report({
      duplicates: { ...base.duplicates!, total: 9 },
      retry_after: { ...base.retry_after!, violations_total: 0, violations: [], bans: 2 },
    });
    const manyHtml = chaosRunHtml(summary([many]), [many]);
    expect(manyHtml).toContain('The first 2 of 9 are listed.');
    expect(manyHtml).toContain(
      '0 request(s) sent inside 3 Retry-After window(s); banned (418) 2 time(s).',
    );
  });
});
