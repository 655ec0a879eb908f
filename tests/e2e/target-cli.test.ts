/**
 * The commands a user runs to test their own bot: `n1v1 stack` with a bot
 * started by hand from the printed env block, `n1v1 chaos --target-external`
 * on one shared world, `target:` in a scenario file, and every contradiction
 * of the --target-* flags refused with one line and exit 2.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/chaos-run.js';
import { CLI, runCli } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CAREFUL = join(ROOT, 'examples/bots/careful-bot.mjs');
const scratch = scratchDir();
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A long-running process whose stdout lines are collected and can be waited for. */
function launch(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const wake of waiters.splice(0)) wake();
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const until = async (test: (lines: string[]) => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!test(lines)) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`gave up waiting; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`);
      }
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  return { child, lines, until, stderr: () => stderr };
}

/** The env block's `export NAME='value'` lines, unquoted as a POSIX shell would. */
function envFrom(lines: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of lines) {
    const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (match) env[match[1]!] = match[2]!.replaceAll(`'\\''`, "'");
  }
  return env;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

describe('n1v1 stack', () => {
  it('serves the world to a bot started by hand with the printed env; Ctrl-C ends it with the verdict', async () => {
    const logDir = join(scratch(), 'stack-logs');
    const stack = launch(process.execPath, [CLI, 'stack', '--judge', '--log-dir', logDir]);
    await stack.until((lines) => lines.some((line) => line.startsWith('export N1V1_RUN_DIR=')));
    const ready = JSON.parse(stack.lines[0]!) as Record<string, string>;
    expect(ready).toMatchObject({ event: 'ready', api_key: 'n1v1-test-key' });
    const env = envFrom(stack.lines);
    expect(env['N1V1_EXCHANGE_URL']).toBe(ready['exchange_proxy']);
    expect(env['N1V1_DATABASE_URL']).toContain(ready['database_proxy']);
    const options = JSON.parse(env['N1V1_CCXT_OPTIONS']!) as {
      urls: { api: Record<string, string> };
    };
    for (const url of Object.values(options.urls.api))
      expect(url.startsWith(ready['exchange_proxy']!)).toBe(true);

    const bot = launch(process.execPath, [CAREFUL], { ...process.env, ...env });
    await bot.until((lines) => lines.filter((line) => / placed /.test(line)).length >= 3);
    bot.child.kill('SIGTERM');
    expect((await once(bot.child, 'exit'))[0]).toBe(0);

    stack.child.kill('SIGINT');
    const [code] = (await once(stack.child, 'exit')) as [number];
    const verdict = JSON.parse(stack.lines.at(-1)!) as {
      event: string;
      passed: boolean;
      checks: { name: string; skipped: boolean }[];
    };
    expect(verdict).toMatchObject({ event: 'verdict', passed: true });
    expect(verdict.checks.map((check) => check.name)).toEqual([
      'invariants_hold',
      'no_duplicate_orders',
      'respects_retry_after',
      'no_orphan_orders',
    ]);
    expect(code, stack.stderr()).toBe(0);
    // What the bot was told of, and the evidence, outlive the world.
    const [runDir] = await readdir(logDir);
    expect(await readdir(join(logDir, runDir!, 'evidence'))).toEqual(['venue.jsonl', 'wire.jsonl']);
  }, 60_000);

  it('--host serves the proxies on another address, and the env block names it', async () => {
    const result = await runCli([
      ...['stack', '--host', '127.0.0.2', '--duration', '1'],
      ...['--log-dir', join(scratch(), 'host-logs')],
    ]);
    expect(result.code, result.stderr).toBe(0);
    const ready = JSON.parse(result.stdout.split('\n')[0]!) as Record<string, string>;
    expect(ready['exchange_proxy']).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
    expect(ready['proxy_api']).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(envFrom(result.stdout.split('\n'))['N1V1_EXCHANGE_URL']).toBe(ready['exchange_proxy']);
  }, 30_000);

  it('a port already taken is bad usage', async () => {
    const busy = createServer().listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const { port } = busy.address() as { port: number };
    try {
      const result = await runCli([
        ...['stack', '--exchange-port', String(port), '--duration', '1'],
        ...['--log-dir', join(scratch(), 'busy-logs')],
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: cannot serve the world: .*/m);
    } finally {
      busy.close();
    }
  }, 30_000);
});

describe('n1v1 chaos with your bot', () => {
  it('--target-external runs the scenarios on one world, judging a bot it did not start', async () => {
    const port = await freePort();
    const out = join(scratch(), 'external-reports');
    const chaos = launch(process.execPath, [
      CLI,
      'chaos',
      '--target-external',
      '--exchange-port',
      String(port),
      '--scenarios',
      'rate_limit_flood,network_partition',
      '--quick',
      '--output-dir',
      out,
      '--log-dir',
      join(scratch(), 'logs'),
    ]);
    await chaos.until((lines) => lines.some((line) => line.startsWith('export N1V1_RUN_DIR=')));
    const env = envFrom(chaos.lines);
    expect(env['N1V1_EXCHANGE_URL']).toBe(`http://127.0.0.1:${port}`);
    const bot = launch(process.execPath, [CAREFUL], { ...process.env, ...env });
    const [code] = (await once(chaos.child, 'exit')) as [number];
    expect(code, `${chaos.lines.join('\n')}\n${chaos.stderr()}`).toBe(0);
    expect(bot.child.exitCode, 'the bot stays connected throughout').toBeNull();
    bot.child.kill('SIGTERM');
    const [run] = await readdir(out);
    const report = JSON.parse(
      await readFile(join(out, run!, 'network_partition_report.json'), 'utf8'),
    );
    expect(report.system_under_test).toMatchObject({
      kind: 'external',
      run_by_this_tool: false,
      command: null,
    });
    expect(report.checks.find((c: { name: string }) => c.name === 'target_survived')).toMatchObject(
      { skipped: true },
    );
    expect(report.passed).toBe(true);
  }, 120_000);

  it('a scenario file names the target; the report says which ran', async () => {
    const file = join(scratch(), 'with-target.yaml');
    await writeFile(
      file,
      [
        'target:',
        `  command: node ${JSON.stringify(CAREFUL)}`,
        '  intents: true',
        'scenarios:',
        '  - name: slow_orders',
        '    description: order answers half a second late',
        '    failure_type: performance',
        '    target: exchange',
        '    chaos_seconds: 5',
        '    sla_recovery_seconds: 10',
        '    expected_failure_rate: 0',
        '    failure_band: { min: 0, max: 5 }',
        '    faults:',
        '      - { target: exchange, toxic: http_latency, attributes: { latency: 500 }, match: { method: POST, path: /api/v3/order } }',
      ].join('\n'),
    );
    const out = join(scratch(), 'file-target');
    const result = await runCli(
      [
        'chaos',
        '--scenario-file',
        file,
        '--quick',
        '--output-dir',
        out,
        '--log-dir',
        join(scratch(), 'logs'),
      ],
      90_000,
    );
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stderr).toContain(`target "node ${JSON.stringify(CAREFUL)}"`);
    const [run] = await readdir(out);
    const report = JSON.parse(await readFile(join(out, run!, 'slow_orders_report.json'), 'utf8'));
    expect(report.system_under_test).toMatchObject({ kind: 'external', survived: true });
    expect(report.intents.intents).toBeGreaterThan(0);
    expect(report.latency_ms.chaos.p50).toBeGreaterThanOrEqual(500);
  }, 120_000);

  it.each([
    [['--target-ready', 'x'], /--target-ready needs --target-command/],
    [['--target-intents'], /--target-intents needs --target-command/],
    [['--target-command', 'true', '--target-external'], /exclude each other/],
    [['--exchange-port', '4000'], /need --target-external/],
    [['--target-command', 'true', '--target-ready', '('], /not a valid regular expression/],
    [['--target-command', 'true', '--target-health', 'ftp://x'], /expected an http:\/\/ URL/],
    [['--target-external', '--parallel'], /--parallel needs a world per scenario/],
    [['--target-external', '--target-grace', '3'], /--target-grace is for a bot this tool runs/],
    [['--target-command', 'true', '--target-ready-timeout', '0'], /expected 1\.\.3600/],
  ])('chaos %j is refused with one line, exit 2', async (args, message) => {
    const result = await runCli(['chaos', '--quick', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('a scenario file with a broken target is refused, naming the field', async () => {
    const file = join(scratch(), 'broken-target.yaml');
    await writeFile(file, 'target: { command: "node bot.mjs", ready: "(" }\nscenarios: []\n');
    const result = await runCli(['chaos', '--scenario-file', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /broken-target\.yaml: target\.ready: expected a valid regular expression/,
    );
  });
});
