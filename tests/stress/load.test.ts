import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { loadConfig, runLoad } from '../../src/load/index.js';
import { readLoadReport } from '../../src/report/index.js';
import { scratchDir } from '../support/chaos-run.js';
import { CLI, runCli } from '../support/cli.js';

/**
 * `n1v1 load` on a real stack (SPEC §2 and §3): the exchange simulator, the
 * proxy, the embedded database and the engine in a child process, with the
 * load driven through the engine's own risk gate, executor and journal.
 */
const scratch = scratchDir();

/** Where a run's files go, so parallel runs never share them. */
const files = (tag: string) => ({
  output: join(scratch(), `${tag}.json`),
  logDir: join(scratch(), `logs-${tag}`),
});
const fileFlags = (tag: string) => [
  ...['--output', files(tag).output],
  ...['--log-dir', files(tag).logDir],
];

describe('n1v1 load', { timeout: 120_000 }, () => {
  it('a quick run meets the SLA, prints the table and writes valid JSON', async () => {
    const { code, stdout, stderr } = await runCli(
      ['load', '--quick', ...fileFlags('quick')],
      90_000,
    );
    expect(code, stderr).toBe(0);
    for (const metric of ['p95 latency', 'failure rate', 'throughput', 'lost/duplicated'])
      expect(stdout).toMatch(new RegExp(`^${metric}.*PASS$`, 'm'));
    expect(stdout).toContain('verdict: PASS');

    const report = await readLoadReport(files('quick').output);
    expect(report.passed).toBe(true);
    expect(report.test_run).toMatchObject({ kind: 'load', status: 'completed', model: 'closed' });
    expect(report.totals).toMatchObject({ planned: 600, intents: 600, placed: 600, failed: 0 });
    expect(report.latency_ms.count).toBeGreaterThanOrEqual(600);
    expect(report.latency_ms.p95).toBeGreaterThan(0);
    expect(report.latency_ms.p95).toBeLessThanOrEqual(150);
    expect(report.strategies).toHaveLength(10);
    expect(report.strategies.every((row) => row.placed === 60)).toBe(true);
    const perSecond = report.throughput.reduce((sum, row) => sum + row.placed, 0);
    expect(perSecond).toBe(600);
    expect(report.sla.map((row) => [row.metric, row.passed])).toEqual([
      ['p95_latency_ms', true],
      ['failure_rate', true],
      ['throughput_per_second', true],
      ['invariants', true],
    ]);
    expect(report.invariants).toMatchObject({ lost: 0, duplicated: 0, unresolved: 0, ok: true });
    // The warm-up's orders are journaled too, so the exchange saw more than the measured 600.
    expect(report.invariants!.exchange_orders).toBe(600 + report.test_run.warm_up_orders + 1);
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(await readdir(files('quick').logDir)).not.toHaveLength(0);
  });

  it('fails the latency SLA when the exchange is slowed by a latency toxic, and keeps every order', async () => {
    const result = await runLoad({
      config: loadConfig({ strategies: 5, ordersPerBurst: 4, bursts: 2, seed: 4 }),
      logDir: files('slow').logDir,
      onStackReady: async (stack) => {
        await stack.proxyClient.addToxic('exchange', {
          type: 'latency',
          attributes: { latency: 200, jitter: 0 },
        });
      },
    });
    const verdicts = Object.fromEntries(result.sla.map((row) => [row.metric, row]));
    expect(result.passed).toBe(false);
    expect(verdicts['p95_latency_ms']).toMatchObject({ passed: false, threshold: 150 });
    expect(verdicts['p95_latency_ms']!.value).toBeGreaterThanOrEqual(200);
    expect(verdicts['failure_rate']!.passed).toBe(true);
    expect(verdicts['invariants']!.passed).toBe(true);
    expect(result.totals).toMatchObject({ intents: 40, placed: 40 });
  });

  it('takes every flag, exits 1 with FAIL on an SLA the engine cannot meet, and writes the results', async () => {
    const { code, stdout, stderr } = await runCli(
      [
        'load',
        ...['--strategies', '4', '--orders-per-burst', '3', '--bursts', '2'],
        ...['--burst-interval', '0.5', '--ramp-up', '0.2', '--cooldown', '0.3'],
        ...['--duration', '30', '--max-concurrent-orders', '2', '--seed', '9'],
        ...['--target-latency', '0.001', '--target-failure-rate', '0.01'],
        ...['--target-throughput', '1'],
        ...fileFlags('strict'),
      ],
      90_000,
    );
    expect(code, stderr).toBe(1);
    expect(stdout).toMatch(/^p95 latency.*≤ 0 ms +FAIL$/m);
    expect(stdout).toMatch(/^throughput.*PASS$/m);
    expect(stdout).toContain('verdict: FAIL');
    const report = await readLoadReport(files('strict').output);
    expect(report.passed).toBe(false);
    expect(report.totals.placed).toBe(24);
    expect(report.config).toEqual({
      strategies: 4,
      orders_per_burst: 3,
      bursts: 2,
      burst_interval_seconds: 0.5,
      target_latency_ms: 0.001,
      target_failure_rate: 0.01,
      target_throughput: 1,
      duration_seconds: 30,
      ramp_up_seconds: 0.2,
      cooldown_seconds: 0.3,
      max_concurrent_orders: 2,
      rate: null,
      seed: 9,
      quick: false,
    });
  });

  it('open model: arrivals on a schedule, latency from the intended send time', async () => {
    const result = await runLoad({
      config: loadConfig({ strategies: 10, rate: 150, durationS: 2, maxConcurrentOrders: 4 }),
      logDir: files('open').logDir,
    });
    expect(result.model).toBe('open');
    expect(result.totals).toMatchObject({ planned: 300, intents: 300, placed: 300, dropped: 0 });
    expect(result.correctionIntervalMs).toBeNull();
    // From the intended time, so never shorter than from the hand-over to the engine.
    expect(result.latencyMs.p95).toBeGreaterThanOrEqual(result.serviceLatencyMs.p95);
    expect(result.passed).toBe(true);
  });

  it('on SIGINT stops sending, checks invariants, writes the results as aborted and exits 130', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'load', '--strategies', '5', '--bursts', '1000', ...fileFlags('interrupted')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    // Progress lines go to stderr: the second means the load is running.
    const lines = createInterface({ input: child.stderr });
    let seen = 0;
    for await (const line of lines) if (line.startsWith('load · load') && ++seen >= 1) break;
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(guard);
    expect(code).toBe(130);
    expect(stdout).toContain('verdict: ABORTED');
    const report = await readLoadReport(files('interrupted').output);
    expect(report.test_run.status).toBe('aborted');
    expect(report.passed).toBe(false);
    expect(report.totals.intents).toBeLessThan(report.totals.planned);
    expect(report.invariants).toMatchObject({ lost: 0, duplicated: 0, ok: true });
  });

  it.each([
    [['--strategies', '0'], /--strategies/],
    [['--rate', 'fast'], /--rate/],
    [['--target-failure-rate', '2'], /--target-failure-rate/],
    [['--burst-interval', '-1'], /--burst-interval/],
    [['--no-such-flag'], /unknown option/],
    [['--output', '/dev/null/results.json'], /--output/],
  ])('refuses %j before starting anything: exit 2', async (flags, message) => {
    const output = join(scratch(), 'never.json');
    const { code, stderr } = await runCli(['load', '--output', output, ...flags]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    await expect(access(output)).rejects.toThrow();
  });
});
