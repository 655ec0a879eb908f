import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { readChaosRun } from '../../src/report/index.js';
import { parseChaosLog } from '../../src/watchdog/index.js';
import { scratchDir } from '../support/chaos-run.js';
import { CLI, runCli } from '../support/cli.js';

const scratch = scratchDir();

/** Two seconds of exchange downtime, as a user would write it. */
const BLIP_YAML = (chaosSeconds: number) => `
name: blip
description: Exchange switched off for a moment
failure_type: chaos_exchange_downtime
target: exchange
baseline_seconds: 1
chaos_seconds: ${chaosSeconds}
sla_recovery_seconds: 10
expected_failure_rate: 100
failure_band: { min: 95, max: 100 }
faults:
  - target: exchange
    toxic: disabled
`;

async function scenarioFile(name: string, text: string): Promise<string> {
  const path = join(scratch(), name);
  await writeFile(path, text);
  return path;
}

/** Flags that keep a run's files in the scratch directory and its stack small. */
const runFlags = (tag: string) => [
  ...['--output-dir', join(scratch(), `reports-${tag}`)],
  ...['--log-dir', join(scratch(), `logs-${tag}`)],
  ...['--strategies', '12', '--seed', '3'],
];

describe('n1v1 chaos', () => {
  it('runs a scenario file, prints the verdicts, writes reports and the CHAOS_EVENT log', async () => {
    const file = await scenarioFile('blip.yaml', BLIP_YAML(2));
    const { code, stdout, stderr } = await runCli(
      ['chaos', '--scenario-file', file, ...runFlags('ok')],
      60_000,
    );
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('seed 3');
    expect(stdout).toMatch(/^blip\s+PASS\s/m);
    const runDir = /^reports: (.+)$/m.exec(stdout)?.[1];
    expect(runDir).toBeDefined();
    const { summary, reports } = await readChaosRun(runDir!);
    expect(summary.test_run.scenarios_run).toEqual(['blip']);
    expect(reports[0]!.scenario.name).toBe('blip');
    expect(reports[0]!.validation.watchdog_alerts_fired).toBe(true);
    // The views people and CI read, made from the JSON just written.
    expect(stdout).toContain(`html: ${join(runDir!, 'report.html')}`);
    expect(await readFile(join(runDir!, 'report.html'), 'utf8')).toContain('blip');
    expect(await readFile(join(runDir!, 'junit.xml'), 'utf8')).toContain('name="blip"');
    expect(await readFile(join(runDir!, 'summary.md'), 'utf8')).toContain('blip');
    const logs = await readdir(join(scratch(), 'logs-ok'));
    expect(logs.some((name) => name.endsWith('.log'))).toBe(true);
    const events = parseChaosLog(await readFile(join(scratch(), 'logs-ok', logs[0]!), 'utf8'));
    expect(events.some((event) => event.metadata.chaos_scenario === 'blip')).toBe(true);
  }, 90_000);

  it('names the file, the field and what was expected for a broken scenario file, and exits 2', async () => {
    const file = await scenarioFile(
      'broken.yaml',
      BLIP_YAML(2).replace('toxic: disabled', 'toxic: black_hole'),
    );
    const { code, stderr } = await runCli(['chaos', '--scenario-file', file, ...runFlags('bad')]);
    expect(code).toBe(2);
    expect(stderr).toContain('broken.yaml');
    expect(stderr).toContain('faults[0].toxic');
    expect(stderr).toContain('unknown toxic "black_hole"');
  });

  it('refuses an output directory it cannot write before running anything, with exit 2', async () => {
    const file = await scenarioFile('not-a-dir', 'a file where a directory should be');
    const flags = [...runFlags('dir'), '--output-dir', join(file, 'reports')];
    const { code, stderr } = await runCli(['chaos', ...flags]);
    expect(code).toBe(2);
    expect(stderr).toContain(`--output-dir ${join(file, 'reports')}: cannot write there (ENOTDIR)`);
  });

  it('refuses two scenario files that define the same scenario, with exit 2', async () => {
    const first = await scenarioFile('one.yaml', BLIP_YAML(2));
    const second = await scenarioFile('two.yaml', BLIP_YAML(3));
    const args = ['chaos', '--scenario-file', first, '--scenario-file', second];
    const { code, stderr } = await runCli([...args, ...runFlags('dup')]);
    expect(code).toBe(2);
    expect(stderr).toContain('scenario "blip" is defined in more than one --scenario-file');
  });

  it.each([
    [['--mode', 'shuffle'], "argument 'shuffle' is invalid"],
    [
      ['--scenarios', 'network_partition,meteor_strike'],
      'unknown scenario "meteor_strike"; known:',
    ],
    [['--duration', '0'], 'expected 1..'],
    [['--seed', 'abc'], 'expected an integer'],
    [['--scenario-file', '/no/such/file.yaml'], 'file.yaml: cannot read the file'],
  ])('refuses %j with a clear message and exit 2', async (flags, message) => {
    const { code, stderr } = await runCli(['chaos', ...runFlags('flags'), ...flags]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('on SIGINT during chaos removes the faults, writes the partial report and exits 130', async () => {
    const file = await scenarioFile('long.yaml', BLIP_YAML(60));
    const child = spawn(
      process.execPath,
      [CLI, 'chaos', '--scenario-file', file, '--verbose', ...runFlags('int')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = once(child, 'exit');
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    for await (const line of createInterface({ input: child.stderr })) {
      if (line.includes('blip · chaos')) break;
    }
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    clearTimeout(killer);
    expect(code).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(20_000);
    const runDir = /^reports: (.+)$/m.exec(stdout)?.[1];
    const { summary, reports } = await readChaosRun(runDir!);
    expect(summary.aborted).toBe(true);
    expect(reports[0]).toMatchObject({ status: 'aborted', passed: false });
  }, 90_000);
});

describe('scripts/chaos_test.sh', () => {
  const script = fileURLToPath(new URL('../../scripts/chaos_test.sh', import.meta.url));
  const run = async (args: string[]) => {
    const child = spawn('bash', [script, ...args], {
      cwd: scratch(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, stdout, stderr };
  };

  it('documents every flag of the suite', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--scenarios',
      '--mode',
      '--parallel',
      '--duration',
      '--output-dir',
      '--verbose',
      '--quick',
      '--seed',
      '--target-command',
      '--target-ready',
      '--target-health',
      '--target-ready-timeout',
      '--target-grace',
      '--target-intents',
      '--target-expect-flat',
      '--target-external',
      '--exchange-port',
      '--database-port',
    ])
      expect(stdout).toContain(flag);
  });

  it('refuses an unknown flag or a missing value with exit 2', async () => {
    expect((await run(['--turbo'])).code).toBe(2);
    const missing = await run(['--mode']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--mode needs a value');
  });

  it('passes its flags to n1v1 chaos', async () => {
    const file = await scenarioFile('script-blip.yaml', BLIP_YAML(2));
    const { code, stdout, stderr } = await run([
      ...['--scenario-file', file, '--seed', '9', '--output-dir', 'script-reports'],
    ]);
    expect(code, stderr + stdout).toBe(0);
    expect(stdout).toMatch(/^blip\s+PASS\s/m);
    expect(stdout).toContain(join(scratch(), 'script-reports', 'chaos_run_'));
  }, 90_000);

  it('passes the target flags to n1v1 chaos: your bot as the system under test', async () => {
    const file = await scenarioFile('script-bot-blip.yaml', BLIP_YAML(2));
    const bot = fileURLToPath(new URL('../../examples/bots/careful-bot.mjs', import.meta.url));
    const { code, stdout, stderr } = await run([
      ...['--scenario-file', file, '--output-dir', 'script-bot-reports'],
      ...['--target-command', `node ${JSON.stringify(bot)}`, '--target-intents'],
    ]);
    expect(code, stderr + stdout).toBe(0);
    expect(stderr).toContain('target "node');
    expect(stdout).toMatch(/^blip\s+PASS\s/m);
  }, 90_000);
});
