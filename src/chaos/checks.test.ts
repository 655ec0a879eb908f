import { describe, expect, it } from 'vitest';
import type { SystemReport } from '../sut/index.js';
import { builtInScenario } from './builtins.js';
import { scenarioChecks, type Measured } from './checks.js';
import type { WorldVerdicts } from './evidence-checks.js';

const scenario = builtInScenario('network_partition')!;

const bot: SystemReport = {
  kind: 'external',
  command: 'node bot.mjs',
  exitCode: null,
  signal: 'SIGTERM',
  survived: true,
  runByThisTool: true,
  detail: 'ran until stopped; exited with signal SIGTERM',
  lastOutput: ['placed 1'],
  logFile: null,
  leftProcessesBehind: false,
};

const clean: WorldVerdicts = {
  duplicates: { ordersAccepted: 10, lostAnswers: 1, duplicates: [], duplicatesTotal: 0 },
  retryAfter: { windows: 2, bans: 0, violations: [], violationsTotal: 0 },
  orphans: { orders: [], total: 0 },
};

function measured(over: Partial<Measured> = {}): Measured {
  return {
    scenario,
    recoverySeconds: 1.2,
    chaosFailureRate: 100,
    chaosRequests: 200,
    refusalsUncounted: true,
    watchdog: undefined,
    system: bot,
    account: { verdict: { status: 'skipped', reason: 'the target reports no intents' } },
    verdicts: clean,
    expectFlat: false,
    ...over,
  };
}

const byName = (over?: Partial<Measured>) =>
  new Map(scenarioChecks(measured(over)).map((check) => [check.name, check]));

describe('scenario checks for a system that shows less', () => {
  it('skips what it cannot show, never passing it', () => {
    const checks = byName();
    for (const name of [
      'watchdog_alerts_fired',
      'recovery_events_logged',
      'invariants_hold',
    ] as const) {
      expect(checks.get(name)).toMatchObject({ passed: false, skipped: true });
      expect(checks.get(name)!.detail).toMatch(/^skipped: /);
    }
    for (const name of [
      'recovery_detected',
      'sla_met',
      'failure_rate_acceptable',
      'target_survived',
      'no_duplicate_orders',
      'respects_retry_after',
      'no_orphan_orders',
    ] as const) {
      expect(checks.get(name), name).toMatchObject({ passed: true });
    }
  });

  it('skips the failure rate only when nothing reached the proxy and the system counts no refusals', () => {
    expect(byName({ chaosFailureRate: null }).get('failure_rate_acceptable')).toMatchObject({
      skipped: true,
    });
    expect(
      byName({ chaosFailureRate: null, refusalsUncounted: false }).get('failure_rate_acceptable'),
    ).toMatchObject({ passed: false });
    expect(byName({ chaosFailureRate: 50 }).get('failure_rate_acceptable')).toMatchObject({
      passed: false,
    });
  });

  it('allows one request of slack in the band: a few requests cannot tell 33% from 40%', () => {
    const flood = builtInScenario('rate_limit_flood')!;
    const few = byName({ scenario: flood, chaosFailureRate: 33.3, chaosRequests: 6 });
    expect(few.get('failure_rate_acceptable')).toMatchObject({ passed: true });
    expect(few.get('failure_rate_acceptable')!.detail).toMatch(
      /within one request of it \(6 requests\)/,
    );
    const many = byName({ scenario: flood, chaosFailureRate: 33.3, chaosRequests: 600 });
    expect(many.get('failure_rate_acceptable')).toMatchObject({ passed: false });
    expect(
      byName({ scenario: flood, chaosFailureRate: 10, chaosRequests: 6 }).get(
        'failure_rate_acceptable',
      ),
    ).toMatchObject({ passed: false });
  });

  it('fails a bot that died, or left a process behind, naming how', () => {
    const died = byName({
      system: {
        ...bot,
        survived: false,
        exitCode: 3,
        lastOutput: ['boom'],
        detail: 'exited on its own (code 3) before the runner stopped it',
      },
    });
    expect(died.get('target_survived')).toMatchObject({ passed: false });
    expect(died.get('target_survived')!.detail).toMatch(/code 3.*last output: boom/);
    const strays = byName({ system: { ...bot, leftProcessesBehind: true } }).get(
      'target_survived',
    )!;
    expect(strays.passed).toBe(false);
    expect(strays.detail).toMatch(/still alive after the stop/);
    const attached = byName({ system: { ...bot, runByThisTool: false }, expectFlat: true });
    expect(attached.get('target_survived')).toMatchObject({ skipped: true });
    // It runs on after the scenario: its resting orders are its business.
    expect(attached.get('no_orphan_orders')).toMatchObject({ skipped: true });
  });

  it('fails on duplicates, a broken back-off or a ban; resting orders only when flat is expected', () => {
    const verdicts: WorldVerdicts = {
      ...clean,
      duplicates: { ...clean.duplicates, duplicatesTotal: 2 },
      retryAfter: { ...clean.retryAfter, bans: 1 },
      orphans: { orders: [], total: 1 },
    };
    const checks = byName({ verdicts });
    expect(checks.get('no_duplicate_orders')).toMatchObject({ passed: false });
    expect(checks.get('respects_retry_after')!.detail).toMatch(/banned \(418\) 1 time/);
    expect(checks.get('no_orphan_orders')).toMatchObject({ passed: true });
    expect(byName({ verdicts, expectFlat: true }).get('no_orphan_orders')).toMatchObject({
      passed: false,
    });
  });

  it('a run that never judged the evidence claims nothing', () => {
    const checks = byName({ verdicts: undefined, system: undefined, account: undefined });
    for (const name of [
      'no_duplicate_orders',
      'respects_retry_after',
      'no_orphan_orders',
      'target_survived',
      'invariants_hold',
    ] as const) {
      expect(checks.get(name), name).toMatchObject({ passed: false });
      expect(checks.get(name)!.skipped).toBeFalsy();
    }
  });
});
