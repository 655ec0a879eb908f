/**
 * The SystemUnderTest contract, one suite run against every implementation:
 * the built-in engine, a bot this tool runs as a process group, and a bot
 * attached from elsewhere. Each on a fresh world over real sockets: ready,
 * order outcomes flowing, cues, an idempotent stop with its report, its own
 * account of its orders, and close.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../src/stack/index.js';
import {
  attachedTarget,
  builtinEngine,
  externalProcess,
  targetEnvironment,
  targetFiles,
  type SystemOutcome,
  type SystemStarter,
} from '../../src/sut/index.js';
import { scratchDir } from '../support/chaos-run.js';

const CAREFUL = fileURLToPath(new URL('../../examples/bots/careful-bot.mjs', import.meta.url));
const scratch = scratchDir();
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

interface Implementation {
  name: string;
  kind: 'builtin' | 'external';
  runByThisTool: boolean;
  /** Reads the phase the system was cued with, where it has a file for it. */
  phaseFile?: (runDir: string) => string;
  start(world: World, runDir: string): Promise<SystemStarter>;
}

const IMPLEMENTATIONS: Implementation[] = [
  {
    name: 'the built-in engine',
    kind: 'builtin',
    runByThisTool: true,
    start: () => Promise.resolve(builtinEngine({ strategies: 4, engineProcess: 'in-process' })),
  },
  {
    name: 'a bot run as a process group',
    kind: 'external',
    runByThisTool: true,
    phaseFile: (runDir) => join(runDir, 'phase'),
    start: () =>
      Promise.resolve(
        externalProcess({ command: `node ${JSON.stringify(CAREFUL)}`, graceSeconds: 5 }),
      ),
  },
  {
    name: 'a bot attached from elsewhere',
    kind: 'external',
    runByThisTool: false,
    phaseFile: (runDir) => join(runDir, 'phase'),
    async start(world, runDir) {
      const files = await targetFiles(runDir);
      const bot: ChildProcess = spawn(process.execPath, [CAREFUL], {
        env: { ...process.env, ...targetEnvironment(world, files, 'contract') },
        stdio: 'ignore',
      });
      cleanups.push(async () => {
        bot.kill('SIGTERM');
        if (bot.exitCode === null) await once(bot, 'exit');
      });
      return attachedTarget({ files });
    },
  },
];

describe.each(IMPLEMENTATIONS)('SystemUnderTest contract: $name', (implementation) => {
  it('gets ready, reports order outcomes, takes cues, stops once with its report, accounts for its orders', async () => {
    const world = await createWorld({ seed: 11 });
    cleanups.push(() => world.close());
    const runDir = join(scratch(), `${implementation.name.replaceAll(' ', '-')}`);
    const start = await implementation.start(world, runDir);
    const system = await start(world, {
      scenario: 'contract',
      runDir,
      logName: 'contract',
      signal: AbortSignal.timeout(60_000),
    });
    cleanups.push(() => system.close());
    expect(system.kind).toBe(implementation.kind);
    expect(system.apiKey).toBe(world.account.apiKey);
    expect(system.startedAt).toBeLessThanOrEqual(Date.now());

    await system.ready(AbortSignal.timeout(30_000));
    expect(system.running).toBe(true);
    const outcomes: SystemOutcome[] = [];
    system.events.on('outcome', (outcome) => outcomes.push(outcome));
    await waitFor(() => outcomes.filter((o) => o.kind === 'order').length >= 3, 20_000);
    expect(outcomes.find((o) => o.kind === 'order')!.latencyMs).toBeGreaterThan(0);

    await system.cue({ name: 'contract', failureType: 'connectivity', phase: 'chaos' });
    if (implementation.phaseFile) {
      expect(await readFile(implementation.phaseFile(runDir), 'utf8')).toBe('chaos');
    }

    const [report, again] = await Promise.all([system.stop(), system.stop()]);
    expect(again).toEqual(report);
    expect(report).toMatchObject({
      kind: implementation.kind,
      runByThisTool: implementation.runByThisTool,
      survived: true,
      leftProcessesBehind: false,
    });
    const account = await system.orderAccount();
    expect(['judged', 'skipped']).toContain(account.verdict.status);
    if (account.verdict.status === 'judged') expect(account.verdict.passed).toBe(true);
    await system.close();
    await system.close();
  }, 90_000);
});

async function waitFor(test: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
