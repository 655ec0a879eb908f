import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtInScenario,
  quickScenario,
  type Check,
  type PhaseCounts,
  type PhaseName,
  type Scenario,
  type ScenarioResult,
  type TimelinePoint,
} from '../../src/chaos/index.js';
import { LOAD_DEFAULTS, type LoadResult } from '../../src/load/index.js';
import { chaosRunHtml, loadRunHtml } from '../../src/report/html/index.js';
import {
  loadReport,
  readChaosRun,
  readLoadReport,
  writeChaosRun,
  writeLoadReport,
  type ChaosSummary,
  type ScenarioReport,
} from '../../src/report/index.js';
import { externalResult, externalVerdicts, skippedResult } from '../support/report-fixtures.js';

/**
 * The HTML reports, opened in a real browser (Debian's chromium driven by
 * playwright-core): built from run directories written and read back by the
 * real report code, they must draw every chart, fetch nothing, match their
 * JSON and fit a phone's width.
 */

const CHROMIUM = process.env['N1V1_CHROMIUM'] ?? '/usr/bin/chromium';
const SKIP = process.env['N1V1_SKIP_BROWSER'] === '1';
const T0 = Date.UTC(2024, 2, 1, 2, 0, 0);
/** Text that would run, or fetch `x`, if a report's strings reached the page unescaped. */
const HOSTILE = ' <img src=x onerror="window.__pwned = 1"></script><b>&amp;';

if (SKIP) console.warn('N1V1_SKIP_BROWSER=1: skipping the HTML reports’ browser checks');

// ---- fixtures: what the runners would hand the report writers ----

/** A deterministic wobble in [-1, 1], so the charts have texture and the fixtures do not change. */
function wobble(n: number): number {
  return Math.sin(n * 12.9898) * 0.5 + Math.sin(n * 4.1414) * 0.5;
}

interface RunShape {
  offsetS: number;
  recoveryS: number | null;
  /** Share of orders and target requests that fail during chaos. */
  chaosFailure: number;
  diagnosed: string | null;
  failed?: Check['name'][];
  broken?: boolean;
}

/** One scenario run: baseline, chaos, recovery (+2 s settle), verify, with a per-second timeline. */
function simulatedRun(scenario: Scenario, shape: RunShape): ScenarioResult {
  const startedAt = T0 + shape.offsetS * 1000;
  const recoveryS = (shape.recoveryS ?? 6) + 2;
  const bounds: [PhaseName, number][] = [
    ['baseline', scenario.baselineSeconds],
    ['chaos', scenario.chaosSeconds],
    ['recovery', recoveryS],
    ['verify', 1.5],
  ];
  const phases: ScenarioResult['phases'] = {};
  let at = startedAt + 4;
  for (const [name, seconds] of bounds) {
    phases[name] = { startedAt: at, endedAt: at + seconds * 1000 };
    at += seconds * 1000;
  }
  const endedAt = at + 30;
  const timeline: TimelinePoint[] = [];
  const activeS = scenario.baselineSeconds + scenario.chaosSeconds + recoveryS;
  for (let second = 0; second < Math.floor(activeS); second++) {
    const tick = startedAt + (second + 1) * 1000;
    const phase = bounds.find(([name]) => tick < (phases[name]?.endedAt ?? 0))?.[0] ?? 'recovery';
    const chaos = phase === 'chaos';
    const intents = Math.round(40 + 6 * wobble(second));
    const failures = chaos ? Math.round(intents * shape.chaosFailure * 0.3) : 0;
    const refused = chaos ? Math.round(intents * 0.6) : 0;
    const orders = intents - failures - refused;
    const requests = Math.round(intents * 1.5);
    timeline.push({
      second,
      phase,
      orders,
      failures,
      refused,
      p95Ms: orders === 0 ? null : Math.round((chaos ? 80 : 22) + 8 * wobble(second + 7)),
      targetRequests: requests,
      targetFailures: chaos ? Math.round(requests * shape.chaosFailure) : 0,
    });
  }
  const counted = (phase: PhaseName): PhaseCounts => {
    const points = timeline.filter((point) => point.phase === phase);
    const sum = (pick: (point: TimelinePoint) => number) =>
      points.reduce((total, point) => total + pick(point), 0);
    const orders = sum((point) => point.orders);
    const base = phase === 'chaos' ? 60 : 18;
    return {
      orders,
      failures: sum((point) => point.failures),
      refused: sum((point) => point.refused),
      latency: {
        count: orders,
        p50: base,
        p90: base + 3,
        p95: base + 5,
        p99: base + 9,
        p999: base + 14,
        max: base + 20,
      },
    };
  };
  const chaosPoints = timeline.filter((point) => point.phase === 'chaos');
  const targetTraffic = {
    requests: chaosPoints.reduce((total, point) => total + point.targetRequests, 0),
    failures: chaosPoints.reduce((total, point) => total + point.targetFailures, 0),
  };
  const failed = new Set(shape.failed ?? []);
  const checkNames: Check['name'][] = [
    'recovery_detected',
    'sla_met',
    'failure_rate_acceptable',
    'watchdog_alerts_fired',
    'recovery_events_logged',
    'invariants_hold',
  ];
  const checks = checkNames.map((name) => ({
    name,
    passed: !failed.has(name),
    detail: failed.has(name) ? `${name} missed:${HOSTILE}` : `${name} as required`,
  }));
  const duplicate = {
    kind: 'duplicated' as const,
    clientOrderId: 'n1v1-s07-000123',
    detail: `accepted 2 times${HOSTILE}`,
  };
  return {
    scenario,
    seed: 42,
    iteration: 1,
    status: 'completed',
    error: undefined,
    startedAt,
    endedAt,
    phases,
    faultInjected: true,
    recovery: { detected: shape.recoveryS !== null, seconds: shape.recoveryS },
    counts: {
      baseline: counted('baseline'),
      chaos: counted('chaos'),
      recovery: counted('recovery'),
    },
    chaosFailureRate: Math.round((targetTraffic.failures / targetTraffic.requests) * 1000) / 10,
    targetTraffic,
    watchdog: {
      alerts: 2,
      recoveryEvents: 1,
      actions: ['reset_circuit_breaker', 'reconcile'],
      diagnosedFailureType: shape.diagnosed,
      diagnosisCorrect: shape.diagnosed === null ? null : shape.diagnosed === scenario.failureType,
      firstAlertMs: 1_350,
      events: watchdogEvents(scenario.failureType, phases, shape.recoveryS),
    },
    system: undefined,
    account: undefined,
    verdicts: undefined,
    invariants: {
      lost: 0,
      duplicated: shape.broken ? 1 : 0,
      unresolved: 0,
      mismatched: 0,
      exchangeOrders: 812,
      journalOrders: 812,
      ok: !shape.broken,
      examples: shape.broken ? [duplicate] : [],
    },
    timeline,
    checks,
    passed: failed.size === 0,
  };
}

/** Two alerts and two actions close together after the fault, then the recovery if there was one. */
function watchdogEvents(
  failureType: string,
  phases: ScenarioResult['phases'],
  recoveryS: number | null,
): ScenarioResult['watchdog']['events'] {
  const onset = phases.chaos?.startedAt ?? 0;
  const healed = phases.recovery?.startedAt ?? 0;
  return [
    { at: onset + 1_350, kind: 'alert', name: failureType },
    { at: onset + 1_400, kind: 'action', name: 'reset_circuit_breaker' },
    { at: onset + 1_650, kind: 'action', name: 'reconcile' },
    { at: onset + 1_900, kind: 'alert', name: failureType },
    ...(recoveryS === null
      ? []
      : [{ at: healed + recoveryS * 1000, kind: 'recovered' as const, name: failureType }]),
  ];
}

function scenario(name: string, description?: string): Scenario {
  const found = builtInScenario(name);
  if (!found) throw new Error(`no built-in scenario ${name}`);
  const quick = quickScenario(found);
  return description === undefined ? quick : { ...quick, description };
}

function chaosResults(): ScenarioResult[] {
  return [
    simulatedRun(scenario('network_partition'), {
      offsetS: 0,
      recoveryS: 0.8,
      chaosFailure: 0.97,
      diagnosed: 'chaos_network_partition',
    }),
    simulatedRun(scenario('exchange_downtime', `Exchange switched off.${HOSTILE}`), {
      offsetS: 30,
      recoveryS: null,
      chaosFailure: 1,
      diagnosed: 'connectivity',
      failed: ['recovery_detected', 'sla_met', 'invariants_hold'],
      broken: true,
    }),
    simulatedRun(scenario('database_outage'), {
      offsetS: 60,
      recoveryS: 3.4,
      chaosFailure: 0.8,
      diagnosed: 'chaos_database_outage',
    }),
  ];
}

/** An external bot's run (charts and all) judged from the world's evidence, then a scenario that did not apply to it. */
function externalBotResults(): ScenarioResult[] {
  const run = simulatedRun(scenario('rate_limit_flood'), {
    offsetS: 0,
    recoveryS: 1.2,
    chaosFailure: 0.95,
    diagnosed: null,
  });
  const bot = externalResult();
  const judged = { system: bot.system, account: bot.account, invariants: undefined };
  const verdicts = externalVerdicts(run.startedAt);
  const skipped = { ...skippedResult(), startedAt: run.endedAt, endedAt: run.endedAt + 5_000 };
  return [
    { ...run, ...judged, verdicts, watchdog: bot.watchdog, checks: bot.checks, passed: false },
    skipped,
  ];
}

function loadResult(): LoadResult {
  const latency = (scale: number) => ({
    count: 600,
    p50: 18 * scale,
    p90: 31 * scale,
    p95: 42 * scale,
    p99: 77 * scale,
    p999: 118 * scale,
    max: 131 * scale,
  });
  const seconds = Array.from({ length: 12 }, (_, second) => {
    const sent = second < 10 ? Math.round(60 + 10 * wobble(second)) : 0;
    const failed = second === 4 ? 3 : 0;
    return {
      second,
      sent,
      placed: sent - failed,
      failed,
      p95Ms: sent === 0 ? null : 40 + 6 * wobble(second + 3),
    };
  });
  return {
    status: 'completed',
    model: 'closed',
    config: { ...LOAD_DEFAULTS, strategies: 10, ordersPerBurst: 20, bursts: 3, quick: true },
    startedAt: T0,
    finishedAt: T0 + 12_345,
    warmUpOrders: 20,
    totals: {
      planned: 600,
      intents: 600,
      placed: 597,
      failed: 3,
      late: 0,
      dropped: 0,
      failureRate: 0.005,
      throughputPerSecond: 59.7,
      peakPerSecond: 70,
      activeSeconds: 10,
    },
    failures: { 'rejected:-2010': 2, [`shed${HOSTILE}`]: 1 },
    latencyMs: latency(1.1),
    uncorrectedLatencyMs: latency(1),
    serviceLatencyMs: latency(0.4),
    correctionIntervalMs: 16.2,
    seconds,
    strategies: Array.from({ length: 10 }, (_, i) => ({
      id: `strategy_${String(i + 1).padStart(2, '0')}`,
      intents: 60,
      placed: i === 3 ? 57 : 60,
      failed: i === 3 ? 3 : 0,
      latencyMs: latency(1 + i / 20),
    })),
    sla: [
      {
        metric: 'p95_latency_ms',
        value: 46.2,
        threshold: 150,
        comparison: '<=',
        passed: true,
        detail: 'intent to acknowledgement',
      },
      {
        metric: 'failure_rate',
        value: 0.005,
        threshold: 0.005,
        comparison: '<=',
        passed: true,
        detail: 'intents not placed, of all intents',
      },
      {
        metric: 'throughput_per_second',
        value: 59.7,
        threshold: 100,
        comparison: '>=',
        passed: false,
        detail: 'placed orders per second, first send to last outcome',
      },
      {
        metric: 'invariants',
        value: 0,
        threshold: 0,
        comparison: '<=',
        passed: true,
        detail: 'journal and exchange agree',
      },
    ],
    passed: false,
    invariants: {
      lost: 0,
      duplicated: 0,
      unresolved: 0,
      mismatched: 0,
      exchangeOrders: 620,
      journalOrders: 620,
      ok: true,
      examples: [],
    },
    engine: null,
    machine: {
      cores: 2,
      cpuModel: 'Test CPU',
      nodeVersion: 'v20.19.0',
      platform: 'linux',
      arch: 'x64',
      totalMemoryMb: 4096,
    },
    peakRssMb: 280,
    error: null,
  };
}

// ---- browser checks ----

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

describe.skipIf(SKIP)('HTML reports in Chromium', () => {
  let browser: Browser | undefined;
  let dir = '';
  let chaosFile = '';
  let loadFile = '';
  let botFile = '';
  let summary: ChaosSummary;
  let reports: ScenarioReport[];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} not found: these tests need Debian's chromium ` +
          '(apt-get install chromium), or N1V1_SKIP_BROWSER=1 to skip them',
      );
    }
    dir = await mkdtemp(join(tmpdir(), 'n1v1-html-report-'));
    const run = {
      startedAt: new Date(T0),
      endedAt: new Date(T0 + 95_000),
      mode: 'sequential' as const,
      parallel: false,
      seed: 42,
      soakSeconds: null,
      aborted: false,
    };
    const runDir = await writeChaosRun(dir, run, chaosResults());
    ({ summary, reports } = await readChaosRun(runDir));
    chaosFile = join(runDir, 'report.html');
    await writeFile(chaosFile, chaosRunHtml(summary, reports));
    const botDir = await writeChaosRun(join(dir, 'bot'), run, externalBotResults());
    const botRun = await readChaosRun(botDir);
    botFile = join(botDir, 'report.html');
    await writeFile(botFile, chaosRunHtml(botRun.summary, botRun.reports));
    const loadJson = join(dir, 'load_test_results.json');
    await writeLoadReport(loadJson, loadReport(loadResult()));
    loadFile = join(dir, 'load_report.html');
    await writeFile(loadFile, loadRunHtml(await readLoadReport(loadJson)));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (dir && process.env['N1V1_KEEP_HTML'] !== '1')
      await rm(dir, { recursive: true, force: true });
  });

  /** Opens a page, recording console errors, page errors and every request. */
  async function open(file: string, width = 1280): Promise<Opened> {
    if (!browser) throw new Error('the browser did not start');
    const page = await browser.newPage({
      viewport: { width, height: 900 },
      deviceScaleFactor: width < 600 ? 2 : 1,
    });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  /** For each chart: whether it has a canvas, and whether any pixel differs from the first. */
  function canvases(page: Page): Promise<{ id: string; canvas: boolean; drawn: boolean }[]> {
    return page.$$eval('.chart', (charts) =>
      charts.map((chart) => {
        const canvas = chart.querySelector('canvas');
        const ctx = canvas?.getContext('2d');
        if (!canvas || !ctx || canvas.width === 0 || canvas.height === 0)
          return { id: chart.id, canvas: false, drawn: false };
        const pixels = new Uint32Array(
          ctx.getImageData(0, 0, canvas.width, canvas.height).data.buffer,
        );
        return { id: chart.id, canvas: true, drawn: pixels.some((pixel) => pixel !== pixels[0]) };
      }),
    );
  }

  async function expectCleanAndDrawn(file: string, charts: number): Promise<Page> {
    const { page, problems, requests } = await open(file);
    const drawn = await canvases(page);
    expect(drawn).toHaveLength(charts);
    expect(drawn.filter((chart) => !chart.canvas || !chart.drawn)).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    // Report text stays text: the hostile strings show literally and run nothing.
    // Page-side code as strings: this project's tsconfig has no DOM library.
    expect(await page.evaluate("document.querySelectorAll('img').length")).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.textContent('body')).toContain('<img src=x onerror=');
    return page;
  }

  /** At a phone's width only the table wrappers may scroll sideways; writes the screenshot. */
  async function expectPhoneLayout(file: string, screenshot: string): Promise<void> {
    const { page, problems } = await open(file, 390);
    const layout = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
      '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
    );
    const wideCharts = await page.$$eval(
      '.chart',
      (charts) => charts.filter((chart) => chart.scrollWidth > chart.clientWidth + 1).length,
    );
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth + 1);
    expect(wideCharts).toBe(0);
    expect((await canvases(page)).every((chart) => chart.drawn)).toBe(true);
    expect(problems).toEqual([]);
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    expect((await readFile(screenshot)).subarray(1, 4).toString('latin1')).toBe('PNG');
    await page.close();
  }

  it('draws every chart of the chaos page, with no errors and no network', async () => {
    const page = await expectCleanAndDrawn(chaosFile, 2 * reports.length);
    // Actions are thin unlabelled lines on the canvas: the chart key names them, with their times.
    expect(await page.textContent('.key')).toMatch(/action reconcile at [\d.]+ s/);
    await page.close();
  }, 60_000);

  it("shows the chaos summary table's rows as the JSON has them", async () => {
    const { page } = await open(chaosFile);
    const rows = await page.$$eval('#summary-table tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
    );
    expect(rows).toHaveLength(summary.scenarios.length);
    summary.scenarios.forEach((row, index) => {
      const report = reports[index];
      const cells = rows[index] ?? [];
      expect(cells[0]).toBe(row.name);
      expect(cells[1]).toBe(row.passed ? 'PASS' : 'FAIL');
      const recovery =
        row.recovery_time_seconds === null ? 'not detected' : `${row.recovery_time_seconds} s`;
      expect(cells[2]).toContain(recovery);
      expect(cells[2]).toContain(`≤ ${report?.scenario.sla_recovery_time_seconds} s`);
      expect(cells[3]).toContain(`${row.chaos_failure_rate} %`);
      expect(cells[4]).toBe(
        `${report?.invariants?.ok ? '✓' : '✗'} ${report?.invariants?.ok ? 'ok' : '1 duplicated'}`,
      );
    });
    // The failing scenario lists its failed checks; the diagnosis sits beside the injected type.
    const failing = await page.textContent('section:has(.failed-checks)');
    expect(failing).toContain('exchange_downtime');
    for (const name of ['recovery_detected', 'sla_met', 'invariants_hold'])
      expect(failing).toContain(name);
    expect(failing).toContain('chaos_exchange_downtime');
    expect(failing).toContain('connectivity (differs from the injected failure)');
    await page.close();
  }, 60_000);

  it('fits the chaos page to a phone and writes its screenshot', async () => {
    await expectPhoneLayout(chaosFile, join(chaosFile, '..', 'report.png'));
  }, 60_000);

  it("shows an external bot's system block and duplicates, readable on a phone", async () => {
    for (const width of [1280, 390]) {
      const { page, problems, requests } = await open(botFile, width);
      const sut = page.locator('#scenario-1-rate_limit_flood .sut');
      expect(await sut.isVisible()).toBe(true);
      expect(await sut.textContent()).toContain('python3 bot.py --symbol BTCUSDT && echo <done>');
      // The bot's last output shows literally and runs nothing.
      expect(await sut.locator('pre.output').textContent()).toContain('<script>window.__pwned');
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
      const duplicates = page.locator('#scenario-1-rate_limit_flood .duplicates table');
      expect(await duplicates.isVisible()).toBe(true);
      const rows = await duplicates.locator('tbody tr').allTextContents();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain('blind resend');
      expect(rows[0]).toContain('timed out, no answer');
      expect((await duplicates.boundingBox())?.height).toBeGreaterThan(40);
      const badges = await page.locator('#summary-table .badge').allTextContents();
      expect(badges).toEqual(['FAIL', 'SKIPPED']);
      expect(await page.locator('.skipped-checks li').count()).toBe(2);
      const layout = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
        '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
      );
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth + 1);
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(botFile).href]);
      await page.close();
    }
  }, 60_000);

  it('draws the load page with its SLA verdicts', async () => {
    const page = await expectCleanAndDrawn(loadFile, 1);
    const sla = await page.$$eval('#sla-table tbody tr', (trs) =>
      trs.map((tr) => tr.querySelector('td:nth-child(4)')?.textContent?.trim()),
    );
    expect(sla).toEqual(['✓ met', '✓ met', '✗ missed', '✓ met']);
    expect(await page.$$eval('#strategy-table tbody tr', (trs) => trs.length)).toBe(10);
    expect(await page.textContent('#latency-table')).toContain('46.2');
    await page.close();
  }, 60_000);

  it('fits the load page to a phone and writes its screenshot', async () => {
    await expectPhoneLayout(loadFile, join(loadFile, '..', 'report.png'));
  }, 60_000);
});
