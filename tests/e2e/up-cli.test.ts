import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';

/**
 * `n1v1 up` as a user runs it: the built CLI in a child process, with the
 * engine in a grandchild. Start-up is 10–20 s on a shared 2-core machine, so
 * every wait is generous, and every run carries a hang guard that kills the
 * whole process group (CLI and engine) if it outlives it.
 */

/** Longest wait for the ready line. */
const READY_TIMEOUT_MS = 90_000;
/** Longest life of one `up` run, start to exit; past it the group is SIGKILLed. */
const RUN_GUARD_MS = 150_000;
/** Per-test timeout: above the guard, so a hang fails with the guard's message. */
const TEST_TIMEOUT_MS = 180_000;
/** Each probe of the health and metrics endpoints. */
const PROBE_TIMEOUT_MS = 5_000;

const READY_FIELDS = [
  'exchange_url',
  'exchange_admin_token',
  'proxy_api',
  'exchange_proxy',
  'database_proxy',
  'database_url',
  'health_url',
  'metrics_url',
] as const;

interface Ready {
  event: 'ready';
  exchange_url: string;
  exchange_admin_token: string;
  proxy_api: string;
  exchange_proxy: string;
  database_proxy: string;
  database_url: string;
  health_url: string;
  metrics_url: string;
}

interface Summary {
  event: 'summary';
  orders_by_status: Record<string, number>;
  outcomes: Record<string, number>;
  orders_per_second: number;
  latency_ms: { p50: number; p95: number; p99: number };
  invariants: {
    lost: number;
    duplicated: number;
    unresolved: number;
    mismatched: number;
    ok: boolean;
    examples: unknown[];
  };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One running `n1v1 up`: its stdout lines as they come, its stderr, and its exit. */
interface UpRun {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  exited: Promise<Exit>;
  /** Resolves with stdout line `index` (0-based) once printed; rejects on exit or timeout. */
  line(index: number, timeoutMs: number): Promise<string>;
  /** Signals the CLI alone, as a supervisor does, or its whole group, as a terminal's Ctrl-C does. */
  signal(signal: NodeJS.Signals, target: 'process' | 'group'): void;
}

const live = new Set<UpRun>();

/** SIGKILLs the CLI's process group: the engine child goes with it. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/**
 * Starts `n1v1 up` in a process group of its own (detached), so the hang
 * guard can kill the engine grandchild too and a test can deliver a
 * terminal-style SIGINT to the whole group.
 */
function startUp(args: string[]): UpRun {
  const child = spawn(process.execPath, [CLI, 'up', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    wake();
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  const guard = setTimeout(() => {
    stderr += `\n[hang guard: killed after ${RUN_GUARD_MS} ms]`;
    killGroup(child);
  }, RUN_GUARD_MS);
  let hasExited = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(guard);
      hasExited = true;
      resolve({ code, signal });
      wake();
    });
  });
  const run: UpRun = {
    child,
    lines,
    stderr: () => stderr,
    exited,
    line: (index, timeoutMs) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => finish(`no stdout line ${index} in ${timeoutMs} ms`),
          timeoutMs,
        );
        const check = () => {
          const line = lines[index];
          if (line !== undefined) finish(undefined, line);
          else if (hasExited) finish(`exited (${child.exitCode}) before stdout line ${index}`);
        };
        const finish = (error: string | undefined, line?: string) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error === undefined) resolve(line!);
          else reject(new Error(`${error}\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        };
        waiters.add(check);
        check();
      }),
    signal: (signal, target) => {
      if (target === 'group' && child.pid !== undefined) process.kill(-child.pid, signal);
      else child.kill(signal);
    },
  };
  live.add(run);
  void exited.then(() => live.delete(run));
  return run;
}

async function readyOf(run: UpRun): Promise<Ready> {
  const ready = JSON.parse(await run.line(0, READY_TIMEOUT_MS)) as Ready;
  expect(ready.event).toBe('ready');
  for (const field of READY_FIELDS) expect(ready[field], field).toEqual(expect.any(String));
  for (const field of ['exchange_url', 'proxy_api', 'exchange_proxy'] as const) {
    expect(ready[field], field).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }
  expect(ready.database_proxy).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(ready.database_url).toMatch(/^postgres(ql)?:\/\//);
  expect(ready.health_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/health$/);
  expect(ready.metrics_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  return ready;
}

/** Waits for the exit and returns it with the last stdout line as the summary. */
async function summaryOf(run: UpRun): Promise<{ exit: Exit; summary: Summary }> {
  const exit = await run.exited;
  const last = run.lines.at(-1) ?? '';
  let summary: Summary;
  try {
    summary = JSON.parse(last) as Summary;
  } catch {
    throw new Error(`last stdout line is not JSON: ${last}\nstderr:\n${run.stderr()}`);
  }
  expect(summary.event, run.stderr()).toBe('summary');
  expect(run.lines.length, 'ready line, then summary line').toBe(2);
  return { exit, summary };
}

/** Orders the journal gained in a run: every intent that got past risk and the bulkhead. */
function journaledIn(summary: Summary): number {
  const { refused = 0, shed = 0 } = summary.outcomes;
  return Object.values(summary.outcomes).reduce((sum, n) => sum + n, 0) - refused - shed;
}

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

const INVARIANTS_OK = { lost: 0, duplicated: 0, unresolved: 0, mismatched: 0, ok: true };

afterEach(() => {
  for (const run of live) killGroup(run.child);
});

describe('n1v1 up', () => {
  it(
    'prints ready, serves health and metrics while trading, then a summary; exit 0',
    async () => {
      const run = startUp(['--strategies', '8', '--duration', '4']);
      const ready = await readyOf(run);

      const health = await fetch(ready.health_url, {
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      expect(health.headers.get('content-type')).toMatch(/application\/json/);
      const report = (await health.json()) as { status: string; components: object };
      expect([200, 503]).toContain(health.status);
      expect(Object.keys(report.components)).toEqual(
        expect.arrayContaining(['exchange', 'database', 'executor', 'strategies']),
      );
      const metrics = await fetch(ready.metrics_url, {
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
      expect(await metrics.text()).toMatch(/^# TYPE n1v1_orders_total counter$/m);

      const { exit, summary } = await summaryOf(run);
      expect(exit, run.stderr()).toEqual({ code: 0, signal: null });
      expect(summary.invariants).toMatchObject(INVARIANTS_OK);
      expect(summary.invariants.examples).toEqual([]);
      expect(summary.orders_by_status['FILLED']).toBeGreaterThan(0);
      expect(summary.outcomes['placed']).toBeGreaterThan(0);
      expect(summary.orders_per_second).toBeGreaterThan(0);
      const { p50, p95, p99 } = summary.latency_ms;
      expect(p50).toBeGreaterThan(0);
      expect(p50).toBeLessThanOrEqual(p95);
      expect(p95).toBeLessThanOrEqual(p99);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops on SIGINT during the run: summary line and exit 0',
    async () => {
      const run = startUp(['--strategies', '8']);
      await readyOf(run);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      run.signal('SIGINT', 'process');
      const { exit, summary } = await summaryOf(run);
      expect(exit, run.stderr()).toEqual({ code: 0, signal: null });
      expect(summary.invariants).toMatchObject(INVARIANTS_OK);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops on a terminal Ctrl-C (SIGINT to the whole process group): summary line and exit 0',
    async () => {
      const run = startUp(['--strategies', '8']);
      await readyOf(run);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      run.signal('SIGINT', 'group');
      const { exit, summary } = await summaryOf(run);
      expect(exit, run.stderr()).toEqual({ code: 0, signal: null });
      expect(summary.invariants).toMatchObject(INVARIANTS_OK);
    },
    TEST_TIMEOUT_MS,
  );

  it.each([
    [['--strategies', '0'], /--strategies.*expected 1\.\.1000, got 0/],
    [['--duration', 'x'], /--duration.*expected an integer, got "x"/],
    [['--no-such-flag'], /unknown option '--no-such-flag'/],
  ])(
    'refuses %j: exit 2, one line on stderr, nothing started',
    async (args, message) => {
      const result = await runCli(['up', ...args], 30_000);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const stderr = result.stderr.trim();
      expect(stderr).toMatch(message);
      expect(stderr.split('\n')).toHaveLength(1);
    },
    60_000,
  );

  describe('--data-dir', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'n1v1-up-cli-'));
    });
    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it(
      'keeps the journal: a second run on the same directory works and counts both runs',
      async () => {
        const args = ['--strategies', '8', '--duration', '3', '--data-dir', dataDir];
        const first = startUp(args);
        await readyOf(first);
        const one = await summaryOf(first);
        expect(one.exit, first.stderr()).toEqual({ code: 0, signal: null });
        expect(one.summary.invariants).toMatchObject(INVARIANTS_OK);
        const firstOrders = total(one.summary.orders_by_status);
        expect(firstOrders).toBe(journaledIn(one.summary));
        expect(firstOrders).toBeGreaterThan(0);

        const second = startUp(args);
        await readyOf(second);
        const two = await summaryOf(second);
        expect(total(two.summary.orders_by_status)).toBe(firstOrders + journaledIn(two.summary));
        expect(two.summary.invariants).toMatchObject(INVARIANTS_OK);
        expect(two.exit, second.stderr()).toEqual({ code: 0, signal: null });
      },
      2 * TEST_TIMEOUT_MS,
    );
  });
});
