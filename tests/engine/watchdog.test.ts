import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ToxicInput } from '../../src/proxy/index.js';
import type { Stack } from '../../src/stack/index.js';
import {
  parseChaosLog,
  validateChaosEvent,
  type FailureType,
  type FailureView,
  type WatchdogStatus,
} from '../../src/watchdog/index.js';
import { delay, eventually, stackForSuite } from '../support/engine-stack.js';

/** SPEC §6 / issue: detected within 2 s of the fault's onset, recovered within 2 s of the heal. */
const DETECT_WITHIN_MS = 2_000;
const RECOVER_WITHIN_MS = 2_000;

interface Fault {
  scenario: string;
  failureType: FailureType;
  component: string;
  inject(stack: Stack): Promise<void>;
  /** Recovery actions this fault's plan must have completed, beyond the common checks. */
  completes?: string[];
  /** What must hold of the engine just after the recovery. */
  afterRecovery?(stack: Stack): void;
}

const toxic =
  (input: ToxicInput, proxy = 'exchange') =>
  (stack: Stack) =>
    stack.proxyClient.addToxic(proxy, input).then(() => undefined);

const FAULTS: Fault[] = [
  {
    scenario: 'network_partition',
    failureType: 'chaos_network_partition',
    component: 'exchange',
    inject: toxic({ type: 'http_timeout', attributes: { timeout: 0 } }),
  },
  {
    scenario: 'rate_limit_flood',
    failureType: 'chaos_rate_limit',
    component: 'exchange',
    completes: ['hold_until_retry_after', 'resume_at_reduced_rate', 'reconcile'],
    afterRecovery: (stack) =>
      expect(stack.engine.engine!.risk.throttled?.perSecond).toBeGreaterThanOrEqual(1),
    inject: toxic({
      type: 'http_status',
      toxicity: 0.5,
      attributes: {
        status: 429,
        headers: { 'Retry-After': '1', 'Content-Type': 'application/json' },
        body: '{"code":-1003,"msg":"Too much request weight used."}',
      },
    }),
  },
  {
    scenario: 'exchange_downtime',
    failureType: 'chaos_exchange_downtime',
    component: 'exchange',
    completes: ['pause_new_orders', 'probe_exchange', 'resume_trading', 'reconcile'],
    inject: (stack) =>
      stack.proxyClient.updateProxy('exchange', { enabled: false }).then(() => undefined),
  },
  {
    scenario: 'database_outage',
    failureType: 'chaos_database_outage',
    component: 'database',
    completes: ['spool_journal_writes', 'drain_spool', 'reconcile'],
    inject: toxic({ type: 'reset_peer', attributes: { timeout: 0 } }, 'database'),
  },
];

describe.each(FAULTS)('watchdog: $scenario', (fault) => {
  const detected: FailureView[] = [];
  const recovered: FailureView[] = [];
  const stack = stackForSuite({ seed: 21 }, (started) => {
    const watchdog = started.engine.engine!.watchdog;
    watchdog.on('detected', (failure) => detected.push(failure));
    watchdog.on('recovered', (failure) => recovered.push(failure));
  });

  it('alerts within 2 s, diagnoses the fault, recovers within 2 s of the heal, and logs it all', async () => {
    const engine = stack().engine;
    await delay(1_500);
    engine.announceScenario(fault.scenario, fault.failureType);
    const onsetAt = Date.now();
    await fault.inject(stack());
    await eventually(() => detected.length > 0, 5_000, 'a detection');
    const failure = detected[0]!;
    const statusUrl = engine.healthUrl.replace(/\/health$/, '/watchdog/status');
    const status = (await (await fetch(statusUrl)).json()) as WatchdogStatus;
    expect(status.openFailures.map((open) => open.componentId)).toContain(fault.component);
    expect(status.chaosScenario).toBe(fault.scenario);
    await delay(1_500);
    const healAt = Date.now();
    await stack().proxyClient.reset();
    await eventually(() => recovered.length > 0, 5_000, 'a recovery');
    engine.announceScenario(undefined);
    const recovery = recovered[0]!;

    expect(failure.componentId).toBe(fault.component);
    expect(failure.failureType).toBe(fault.failureType);
    expect(failure.detectedAt - onsetAt).toBeLessThanOrEqual(DETECT_WITHIN_MS);
    expect(recovery.recoveredAt! - healAt).toBeLessThanOrEqual(RECOVER_WITHIN_MS);
    expect(recovery.actions.length).toBeGreaterThan(0);
    expect(recovery.actions.every((action) => action.status === 'completed')).toBe(true);
    const completed = recovery.actions.map((action) => action.name);
    for (const name of fault.completes ?? []) expect(completed).toContain(name);
    fault.afterRecovery?.(stack());

    const events = parseChaosLog(await readFile(engine.chaosLogPath!, 'utf8'));
    for (const event of events) expect(validateChaosEvent(event)).toEqual([]);
    const ofThisRun = events.filter((event) => event.metadata.chaos_scenario === fault.scenario);
    const types = new Set(ofThisRun.map((event) => event.event_type));
    for (const type of [
      'failure_detected',
      'alert_raised',
      'recovery_action_started',
      'component_recovered',
    ]) {
      expect(types).toContain(type);
    }
    expect(
      ofThisRun.every(
        (event) => event.chaos_engineering && event.failure_type === fault.failureType,
      ),
    ).toBe(true);
  }, 60_000);
});

/**
 * At the engine's default request timeout (3 s) a black hole is noticed by
 * requests that stop coming back, well before any of them times out.
 */
describe('watchdog: partition at default timeouts', () => {
  const detected: FailureView[] = [];
  const stack = stackForSuite({ seed: 22, engine: { requestTimeoutMs: 3_000 } }, (started) => {
    started.engine.engine!.watchdog.on('detected', (failure) => detected.push(failure));
  });

  it('detects the partition within 2 s of onset', async () => {
    await delay(1_500);
    const onsetAt = Date.now();
    await stack().proxyClient.addToxic('exchange', {
      type: 'http_timeout',
      attributes: { timeout: 0 },
    });
    await eventually(() => detected.length > 0, 5_000, 'a detection');
    expect(detected[0]).toMatchObject({
      componentId: 'exchange',
      failureType: 'chaos_network_partition',
    });
    expect(detected[0]!.detectedAt - onsetAt).toBeLessThanOrEqual(DETECT_WITHIN_MS);
    await stack().proxyClient.reset();
  }, 60_000);
});
