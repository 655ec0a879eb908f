import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChaosEvent } from './model.js';
import { REDUCED_RATE, type RecoveryControls } from './recovery.js';
import { Watchdog } from './watchdog.js';

const t0 = Date.UTC(2026, 10, 27, 12, 0, 0);

/** Records what the watchdog made the engine do, in order. */
function recordingControls(calls: string[]): RecoveryControls {
  return {
    pauseTrading: (reason) => void calls.push(`pause: ${reason}`),
    resumeTrading: () => void calls.push('resume'),
    reconcile: () => {
      calls.push('reconcile');
      return Promise.resolve({ differences: 0 });
    },
    throttleNewOrders: (fraction, forMs) => {
      calls.push(`throttle ${fraction} for ${forMs}`);
      return { perSecond: 7, until: Date.now() + forMs };
    },
  };
}

function setUp() {
  const calls: string[] = [];
  const events: ChaosEvent[] = [];
  const watchdog = new Watchdog({ controls: recordingControls(calls) });
  watchdog.on('event', (event) => events.push(event));
  const types = () => events.map((event) => event.event_type);
  const actions = (eventType: string) =>
    events.filter((e) => e.event_type === eventType).map((e) => e.metadata['action']);
  return { watchdog, calls, events, types, actions };
}

/** Lets the recovery steps (promises) run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('Watchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: t0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('detects an exchange breaker opening, pauses, and on closing resumes and reconciles', async () => {
    const { watchdog, calls, events, types, actions } = setUp();
    watchdog.onBreaker('exchange', 'open', {
      kind: 'not_sent',
      errorClass: 'NetworkError(ECONNREFUSED)',
    });
    expect(types().slice(0, 2)).toEqual(['failure_detected', 'alert_raised']);
    expect(events[0]).toMatchObject({
      component_id: 'exchange',
      failure_type: 'chaos_exchange_downtime',
      chaos_engineering: false,
      confidence: 0.85,
    });
    expect(calls).toEqual(['pause: exchange unreachable']);
    expect(watchdog.status().openFailures).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1_500);
    watchdog.onBreaker('exchange', 'half-open');
    expect(watchdog.status().openFailures).toHaveLength(1);
    watchdog.onBreaker('exchange', 'closed');
    await settle();
    expect(calls).toEqual(['pause: exchange unreachable', 'resume', 'reconcile']);
    const recovered = events.find((event) => event.event_type === 'component_recovered');
    expect(recovered?.metadata['recovery_ms']).toBe(1_500);
    expect(actions('recovery_action_completed')).toEqual([
      'pause_new_orders',
      'probe_exchange',
      'resume_trading',
      'reconcile',
    ]);
    const status = watchdog.status();
    expect(status.openFailures).toEqual([]);
    expect(status.recentFailures[0]).toMatchObject({ recoveryMs: 1_500, componentId: 'exchange' });
    expect(status.counts).toEqual({ detections: 1, alerts: 1, recoveries: 1, actions: 4 });
  });

  it('holds a rate limit until the last Retry-After passes, then resumes at a reduced rate', async () => {
    const { watchdog, calls, events, actions } = setUp();
    watchdog.onRateLimited(429, t0 + 1_000);
    vi.advanceTimersByTime(600);
    // A second refusal inside the first window extends the hold.
    watchdog.onRateLimited(429, t0 + 2_000);
    vi.advanceTimersByTime(1_000);
    expect(watchdog.status().openFailures).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(watchdog.status().openFailures).toEqual([]);
    expect(calls).toEqual([
      `throttle ${REDUCED_RATE.fraction} for ${REDUCED_RATE.forMs}`,
      'reconcile',
    ]);
    expect(actions('recovery_action_completed')).toEqual([
      'hold_until_retry_after',
      'resume_at_reduced_rate',
      'reconcile',
    ]);
    const reduced = events.find(
      (e) =>
        e.event_type === 'recovery_action_completed' &&
        e.metadata['action'] === 'resume_at_reduced_rate',
    );
    expect(reduced?.metadata['result']).toMatchObject({ perSecond: 7 });
    // The breaker closing during a rate limit does not end it early.
    watchdog.onRateLimited(418, t0 + 10_000);
    watchdog.onBreaker('exchange', 'closed');
    expect(watchdog.status().openFailures[0]).toMatchObject({ failureType: 'chaos_rate_limit' });
  });

  it('ends a database case when the spool drains, not when the breaker closes', async () => {
    const { watchdog, calls } = setUp();
    watchdog.onBreaker('database', 'open');
    watchdog.onSpool('started');
    watchdog.onBreaker('database', 'closed');
    expect(watchdog.status().openFailures).toHaveLength(1);
    vi.advanceTimersByTime(2_000);
    watchdog.onSpool('drained');
    await settle();
    expect(watchdog.status().recentFailures[0]).toMatchObject({
      componentId: 'database',
      failureType: 'chaos_database_outage',
      recoveryMs: 2_000,
    });
    expect(calls).toEqual(['reconcile']);
  });

  it('tags events with the announced scenario and keeps its own diagnosis beside it', () => {
    const { watchdog, events } = setUp();
    watchdog.announceScenario('exchange_downtime', 'chaos_exchange_downtime');
    // A stall looks like a partition; the injected type is downtime.
    watchdog.onStall(1_200);
    expect(events[0]).toMatchObject({
      chaos_engineering: true,
      failure_type: 'chaos_exchange_downtime',
      metadata: {
        chaos_scenario: 'exchange_downtime',
        diagnosed_failure_type: 'chaos_network_partition',
      },
    });
    watchdog.clearScenario();
    watchdog.onNotifier('slack', 'down', 'HTTP 500');
    expect(events.at(-1)).toMatchObject({ event_type: 'notifier_down', chaos_engineering: false });
  });

  it('re-diagnoses one open case on stronger evidence instead of opening another', () => {
    const { watchdog, types } = setUp();
    watchdog.onStall(1_500);
    watchdog.onBreaker('exchange', 'open', {
      kind: 'not_sent',
      errorClass: 'NetworkError(ECONNREFUSED)',
    });
    expect(watchdog.status().openFailures).toHaveLength(1);
    expect(watchdog.status().openFailures[0]).toMatchObject({
      failureType: 'chaos_exchange_downtime',
      confidence: 0.85,
    });
    expect(types()).toContain('failure_rediagnosed');
    // Weaker evidence of another type changes nothing.
    watchdog.onAnomaly('exchange', 'latencyMs');
    expect(watchdog.status().openFailures[0]?.failureType).toBe('chaos_exchange_downtime');
  });

  it('ends a stall case only when answers come back and the breaker is not open', async () => {
    const { watchdog } = setUp();
    watchdog.onStall(1_100);
    watchdog.onBreaker('exchange', 'open', { kind: 'ambiguous', errorClass: 'RequestTimeout' });
    watchdog.onStall(0);
    expect(watchdog.status().openFailures).toHaveLength(1);
    watchdog.onBreaker('exchange', 'closed');
    await settle();
    expect(watchdog.status().openFailures).toEqual([]);
  });

  it('opens and ends a case for missed heartbeats, and only the heartbeat resuming ends it', async () => {
    const { watchdog } = setUp();
    watchdog.onHeartbeatOverdue('strategies');
    expect(watchdog.status().openFailures[0]).toMatchObject({
      componentId: 'strategies',
      failureType: 'resource',
    });
    watchdog.onAnomalyCleared('strategies');
    expect(watchdog.status().openFailures).toHaveLength(1);
    vi.advanceTimersByTime(4_000);
    watchdog.onHeartbeatResumed('strategies');
    await settle();
    expect(watchdog.status().recentFailures[0]).toMatchObject({ recoveryMs: 4_000 });
  });

  it('reports a held event loop as one engine failure, over when it is seen', async () => {
    const { watchdog, events } = setUp();
    watchdog.onEventLoopBlocked(3_400);
    await settle();
    expect(events[0]).toMatchObject({
      component_id: 'engine',
      failure_type: 'resource',
      error_message: "the engine's event loop was blocked for 3400 ms",
    });
    expect(watchdog.status().openFailures).toEqual([]);
    expect(watchdog.status().recentFailures).toHaveLength(1);
  });

  it('opens and ends a case for an anomaly against the baseline', async () => {
    const { watchdog } = setUp();
    watchdog.onAnomaly('database', 'commitMs');
    expect(watchdog.status().openFailures[0]).toMatchObject({
      componentId: 'database',
      failureType: 'performance',
    });
    watchdog.onAnomalyCleared('database');
    await settle();
    expect(watchdog.status().openFailures).toEqual([]);
  });
});
