/**
 * Any bot as the system under test, over real sockets with the real ccxt
 * client in the bots: the example bots and misbehaving fixtures run as
 * external processes against fresh worlds, judged only from the venue's and
 * the wire's evidence. Independent runs go at once to keep the suite short.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, type Scenario, type ScenarioResult } from '../../src/chaos/index.js';
import { externalProcess, processAlive, type ExternalTargetOptions } from '../../src/sut/index.js';
import { failedChecks, quickSuite, scenario, scratchDir } from '../support/chaos-run.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const bot = (path: string) => `node ${JSON.stringify(join(ROOT, path))}`;
const CAREFUL = bot('examples/bots/careful-bot.mjs');
const NAIVE = bot('examples/bots/naive-bot.mjs');
const fixture = (name: string) => bot(`tests/fixtures/bots/${name}.mjs`);

const scratch = scratchDir();

function ackLoss(): Promise<Scenario[]> {
  return loadScenarioFile(join(ROOT, 'examples/scenarios/ack-loss.yaml'));
}

/** One quick run of the scenarios against a bot this tool starts. */
async function runBot(
  scenarios: Scenario[],
  options: ExternalTargetOptions,
  extra: { expectFlat?: boolean; parallel?: boolean } = {},
): Promise<ScenarioResult[]> {
  const suite = await quickSuite(scenarios, scratch(), {
    target: externalProcess(options),
    expectFlat: extra.expectFlat,
    parallel: extra.parallel ?? false,
  });
  return suite.results;
}

function check(result: ScenarioResult, name: string) {
  const found = result.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check ${name} (${result.status}: ${result.error})`);
  return found;
}

describe('external target: a careful bot', () => {
  it('passes the exchange scenarios and ack loss; the database one is skipped; watchdog checks are skipped, never passed', async () => {
    const scenarios = [
      scenario('network_partition'),
      scenario('rate_limit_flood'),
      scenario('exchange_downtime'),
      scenario('database_outage'),
      ...(await ackLoss()),
    ];
    // Each on its own world, all at once: one bot process per scenario.
    const results = await runBot(
      scenarios,
      { command: CAREFUL, intentsRequired: true },
      { parallel: true },
    );
    const byName = new Map(results.map((result) => [result.scenario.name, result]));
    for (const name of ['network_partition', 'rate_limit_flood', 'exchange_downtime', 'ack_loss']) {
      const result = byName.get(name)!;
      expect(
        failedChecks(result).filter((c) => !check(result, c).skipped),
        name,
      ).toEqual([]);
      expect(result.passed, `${name}: ${result.error}`).toBe(true);
      expect(result.system).toMatchObject({ kind: 'external', command: CAREFUL, survived: true });
      expect(result.system!.leftProcessesBehind).toBe(false);
      expect(check(result, 'watchdog_alerts_fired')).toMatchObject({
        passed: false,
        skipped: true,
      });
      expect(check(result, 'invariants_hold')).toMatchObject({ passed: true });
      expect(result.account?.intents?.placedTwice).toBe(0);
      expect(result.counts.baseline.orders).toBeGreaterThan(0);
    }
    const ack = byName.get('ack_loss')!;
    expect(ack.verdicts!.duplicates.lostAnswers).toBeGreaterThan(0);
    expect(ack.verdicts!.duplicates.duplicatesTotal).toBe(0);
    const database = byName.get('database_outage')!;
    expect(database.status).toBe('skipped');
    expect(database.error).toBe('the target uses no database');
    expect(database.passed).toBe(false);
    expect(database.faultInjected).toBe(false);
  }, 240_000);
});

describe('external target: bots that get it wrong', () => {
  it('a naive bot resends blindly under ack loss: duplicates listed, with and without an intents file', async () => {
    const [scenarios, scenarios2] = [await ackLoss(), await ackLoss()];
    const [withIntents, withoutIntents] = await Promise.all([
      runBot(scenarios, { command: NAIVE }),
      // An empty N1V1_INTENTS_FILE: the bot reports nothing.
      runBot(scenarios2, { command: `N1V1_INTENTS_FILE= ${NAIVE}` }),
    ]);
    for (const [result] of [withIntents, withoutIntents]) {
      expect(result!.status).toBe('completed');
      expect(failedChecks(result!)).toContain('no_duplicate_orders');
      expect(result!.passed).toBe(false);
      const { duplicates } = result!.verdicts!;
      expect(duplicates.duplicatesTotal).toBeGreaterThan(0);
      const [first] = duplicates.duplicates;
      expect(first).toMatchObject({ kind: 'blind_resend', symbol: 'BTCUSDT' });
      if (first?.kind !== 'blind_resend') throw new Error('expected a blind resend');
      expect(first.lostAnswer.end).toBe('reset');
      expect(first.duplicate.at).toBeGreaterThanOrEqual(first.lostAnswer.endedAt);
      expect(first.original.orderId).not.toBe(first.duplicate.orderId);
    }
    expect(check(withIntents[0]!, 'invariants_hold').skipped).toBeFalsy();
    expect(check(withoutIntents[0]!, 'invariants_hold')).toMatchObject({ skipped: true });
  }, 120_000);

  it('ignoring Retry-After, crashing mid-chaos, never getting ready, leaving children: each named', async () => {
    const flood = [scenario('rate_limit_flood')];
    const partition = [scenario('network_partition')];
    const [retry, crash, never, children] = await Promise.all([
      runBot(flood, { command: fixture('ignores-retry-after') }),
      runBot(partition, { command: fixture('crashes') }),
      runBot(partition, { command: fixture('never-ready'), readyTimeoutSeconds: 2 }),
      runBot(partition, { command: fixture('spawns-children'), graceSeconds: 1 }),
    ]);

    const [ignored] = retry;
    expect(failedChecks(ignored!)).toContain('respects_retry_after');
    const { retryAfter } = ignored!.verdicts!;
    expect(retryAfter.violationsTotal).toBeGreaterThan(0);
    expect(retryAfter.violations[0]!.window.status).toBe(429);
    expect(retryAfter.violations[0]!.insideMs).toBeGreaterThan(100);

    const [crashed] = crash;
    expect(failedChecks(crashed!)).toContain('target_survived');
    expect(crashed!.system).toMatchObject({ survived: false, exitCode: 3 });
    expect(crashed!.system!.lastOutput.join('\n')).toMatch(/exiting with code 3/);

    const [unready] = never;
    expect(unready!.status).toBe('error');
    expect(unready!.system, unready!.error).toBeDefined();
    expect(unready!.error).toMatch(
      /not ready within 2 s \(it made no authenticated request to the venue\)/,
    );
    expect(unready!.error).toMatch(/never talk to the venue/);
    expect(unready!.system).toMatchObject({ survived: true, leftProcessesBehind: false });

    const [spawner] = children;
    expect(spawner!.system).toMatchObject({ survived: true, leftProcessesBehind: false });
    expect(spawner!.system!.detail).toMatch(/after SIGKILL/);
    const pidsFile = join(spawner!.system!.logFile!.replace(/\.log$/, ''), 'children.pids');
    const pids = (await readFile(pidsFile, 'utf8')).trim().split('\n').map(Number);
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(processAlive(pid), `process ${pid}`).toBe(false);
  }, 120_000);

  it('orders left resting fail only with expect-flat', async () => {
    const tiny = [scenario('rate_limit_flood')];
    const [[reported], [strict]] = await Promise.all([
      runBot(tiny, { command: fixture('flat-then-rests'), graceSeconds: 2 }),
      runBot(tiny, { command: fixture('flat-then-rests'), graceSeconds: 2 }, { expectFlat: true }),
    ]);
    expect(check(reported!, 'no_orphan_orders')).toMatchObject({ passed: true });
    expect(reported!.verdicts!.orphans.total).toBeGreaterThan(0);
    expect(check(strict!, 'no_orphan_orders')).toMatchObject({ passed: false });
    expect(strict!.verdicts!.orphans.orders[0]).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY' });
  }, 90_000);
});
