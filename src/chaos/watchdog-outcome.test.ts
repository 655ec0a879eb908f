import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chaosEvent, type ChaosEvent, type FailureType } from '../watchdog/index.js';
import { builtInScenario } from './builtins.js';
import type { Scenario } from './model.js';
import { readWatchdogOutcome, WATCHDOG_EVENT_LIMIT, watchdogOutcome } from './watchdog-outcome.js';

const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);

function partition(): Scenario {
  const scenario = builtInScenario('network_partition');
  if (!scenario) throw new Error('no built-in network_partition');
  return scenario;
}

/** One CHAOS_EVENT of the network_partition scenario, `offsetMs` after T0. */
function event(
  offsetMs: number,
  eventType: string,
  options: {
    component?: string;
    failureType?: FailureType;
    metadata?: Record<string, unknown>;
  } = {},
): ChaosEvent {
  return chaosEvent(
    {
      eventType,
      componentId: options.component ?? 'exchange',
      failureType: options.failureType ?? 'chaos_network_partition',
      confidence: 0.9,
      chaosScenario: 'network_partition',
      metadata: options.metadata ?? {},
    },
    () => T0 + offsetMs,
  );
}

const action = (offsetMs: number, name: string) =>
  event(offsetMs, 'recovery_action_started', { metadata: { action: name } });

describe('watchdogOutcome', () => {
  it('times the alerts, actions and recovery in time order, from the log whatever its order', () => {
    const events = [
      event(1_000, 'failure_detected', {
        metadata: { failure_id: 'f1', diagnosed_failure_type: 'chaos_network_partition' },
      }),
      action(1_500, 'reset_circuit_breaker'),
      event(1_200, 'alert_raised'),
      // Another component's alert and recovery are not the fault's.
      event(1_300, 'alert_raised', { component: 'database', failureType: 'connectivity' }),
      event(9_000, 'component_recovered'),
      event(8_000, 'component_recovered', { component: 'database', failureType: 'connectivity' }),
      event(2_000, 'recovery_action_completed', { metadata: { action: 'reset_circuit_breaker' } }),
      // Actions count whichever component they act on.
      event(2_500, 'recovery_action_started', {
        component: 'database',
        failureType: 'connectivity',
        metadata: { action: 'reconcile' },
      }),
    ];
    const outcome = watchdogOutcome(events, partition(), T0 + 900);
    expect(outcome.events).toEqual([
      { at: T0 + 1_200, kind: 'alert', name: 'chaos_network_partition' },
      { at: T0 + 1_500, kind: 'action', name: 'reset_circuit_breaker' },
      { at: T0 + 2_500, kind: 'action', name: 'reconcile' },
      { at: T0 + 9_000, kind: 'recovered', name: 'chaos_network_partition' },
    ]);
    expect(outcome).toMatchObject({
      alerts: 1,
      recoveryEvents: 1,
      actions: ['reset_circuit_breaker', 'reconcile'],
      diagnosedFailureType: 'chaos_network_partition',
      diagnosisCorrect: true,
      firstAlertMs: 300,
    });
  });

  it('keeps events stamped in the same millisecond in the order they were logged', () => {
    const events = [action(500, 'reconnect'), event(500, 'alert_raised'), action(500, 'reconcile')];
    expect(watchdogOutcome(events, partition(), undefined).events.map((e) => e.kind)).toEqual([
      'action',
      'alert',
      'action',
    ]);
  });

  it('keeps only the first events of a flapping watchdog, but still counts them all', () => {
    const events = Array.from({ length: 40 }, (_, i) => [
      event(i * 1_000 + 500, 'component_recovered'),
      event(i * 1_000, 'alert_raised'),
    ])
      .flat()
      .reverse();
    const outcome = watchdogOutcome(events, partition(), T0);
    expect(WATCHDOG_EVENT_LIMIT).toBe(50);
    expect(outcome.events).toHaveLength(WATCHDOG_EVENT_LIMIT);
    expect(outcome.events[0]).toEqual({ at: T0, kind: 'alert', name: 'chaos_network_partition' });
    expect(outcome.events.at(-1)).toEqual({
      at: T0 + 24_500,
      kind: 'recovered',
      name: 'chaos_network_partition',
    });
    const times = outcome.events.map((e) => e.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(outcome.alerts).toBe(40);
    expect(outcome.recoveryEvents).toBe(40);
  });

  it('has no events when the watchdog logged nothing', () => {
    expect(watchdogOutcome([], partition(), undefined)).toEqual({
      alerts: 0,
      recoveryEvents: 0,
      actions: [],
      diagnosedFailureType: null,
      diagnosisCorrect: null,
      firstAlertMs: null,
      events: [],
    });
  });
});

describe('readWatchdogOutcome', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = '';
  });

  it("reads the scenario's events from the log, since the run started", async () => {
    dir = await mkdtemp(join(tmpdir(), 'n1v1-watchdog-outcome-'));
    const log = join(dir, 'chaos.log');
    const other = chaosEvent(
      {
        eventType: 'alert_raised',
        componentId: 'exchange',
        failureType: 'chaos_rate_limit',
        confidence: 1,
        chaosScenario: 'rate_limit_flood',
      },
      () => T0 + 2_000,
    );
    const lines = [
      event(-5_000, 'alert_raised'), // an earlier run's
      event(1_000, 'alert_raised'),
      other,
      action(1_100, 'reconnect'),
      event(4_000, 'component_recovered'),
    ].map((e) => `CHAOS_EVENT: ${JSON.stringify(e)}`);
    await writeFile(log, `${lines.join('\n')}\nCHAOS_EVENT: {"timestamp":`);
    const outcome = await readWatchdogOutcome(log, partition(), T0 + 500, T0);
    expect(outcome.events).toEqual([
      { at: T0 + 1_000, kind: 'alert', name: 'chaos_network_partition' },
      { at: T0 + 1_100, kind: 'action', name: 'reconnect' },
      { at: T0 + 4_000, kind: 'recovered', name: 'chaos_network_partition' },
    ]);
    expect(outcome.firstAlertMs).toBe(500);
  });
});
