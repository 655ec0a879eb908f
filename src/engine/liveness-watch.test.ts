import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Watchdog, type FailureView } from '../watchdog/index.js';
import type { ComponentName } from './components.js';
import type { VenueClient } from './connector/index.js';
import type { EngineEvents } from './engine-options.js';
import { watchLiveness } from './liveness-watch.js';

const COMPONENTS: ComponentName[] = ['exchange', 'database', 'executor', 'strategies'];

/**
 * The watch's inputs with time faked: the engine's event bus, and a venue
 * reduced to what the watch reads (its request events and the age of the
 * oldest request in flight).
 */
function setUp() {
  const events = new EventEmitter<EngineEvents>();
  const venueEvents = new EventEmitter();
  let oldestInFlightMs = 0;
  const venue = Object.assign(venueEvents, {
    oldestInFlightMs: () => oldestInFlightMs,
  }) as unknown as VenueClient;
  const watchdog = new Watchdog({
    controls: {
      pauseTrading: () => {},
      resumeTrading: () => {},
      reconcile: () => Promise.resolve(),
      throttleNewOrders: () => undefined,
    },
  });
  const detected: FailureView[] = [];
  watchdog.on('detected', (failure) => detected.push(failure));
  const blockedAt: number[] = [];
  const stop = watchLiveness(events, venue, watchdog, {
    heartbeatIntervalMs: 1_000,
    onBlocked: (now) => blockedAt.push(now),
  });
  const beat = (components = COMPONENTS) => {
    for (const component of components) {
      events.emit('heartbeat', {
        component,
        at: Date.now(),
        health: { status: 'healthy', inFlight: 0 },
      });
    }
  };
  const setOldest = (ms: number) => (oldestInFlightMs = ms);
  return { watchdog, detected, blockedAt, stop, beat, venueEvents, setOldest };
}

/** Runs `seconds` of engine time, beating the given components each second. */
async function run(seconds: number, beat: () => void): Promise<void> {
  for (let i = 0; i < seconds; i += 1) {
    beat();
    await vi.advanceTimersByTimeAsync(1_000);
  }
}

describe('watchLiveness', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 27, 12) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says nothing while every component beats', async () => {
    const { detected, beat, stop } = setUp();
    await run(10, () => beat());
    expect(detected).toEqual([]);
    stop();
  });

  it('reports a component whose beats stop after three missed beats, and its return', async () => {
    const { watchdog, detected, beat, stop } = setUp();
    await run(3, () => beat());
    const silentFrom = Date.now();
    await run(4, () => beat(['exchange', 'database', 'executor']));
    expect(detected.map((failure) => failure.componentId)).toEqual(['strategies']);
    expect(detected[0]!.failureType).toBe('resource');
    expect(detected[0]!.detectedAt - silentFrom).toBeLessThanOrEqual(3_250);
    await run(2, () => beat());
    expect(watchdog.status().openFailures).toEqual([]);
    expect(watchdog.status().recentFailures).toHaveLength(1);
    stop();
  });

  it('reports a held event loop once for the engine, not once per silent component', async () => {
    const { watchdog, detected, blockedAt, beat, stop } = setUp();
    await run(3, () => beat());
    // Nothing runs for 5 s, then the beat timer fires before the check.
    vi.setSystemTime(Date.now() + 5_000);
    beat();
    await vi.advanceTimersByTimeAsync(250);
    expect(detected.map((failure) => failure.componentId)).toEqual(['engine']);
    expect(blockedAt).toHaveLength(1);
    expect(watchdog.status().openFailures).toEqual([]);
    await run(5, () => beat());
    expect(detected).toHaveLength(1);
    stop();
  });

  it('reports exchange requests stalled past 1 s, over once an answer comes back', async () => {
    const { watchdog, detected, beat, venueEvents, setOldest, stop } = setUp();
    await run(2, () => beat());
    setOldest(1_200);
    await vi.advanceTimersByTimeAsync(250);
    expect(detected[0]).toMatchObject({
      componentId: 'exchange',
      failureType: 'chaos_network_partition',
    });
    // The queue empties by timeouts: not a recovery.
    setOldest(0);
    await vi.advanceTimersByTimeAsync(500);
    expect(watchdog.status().openFailures).toHaveLength(1);
    venueEvents.emit('request', { ok: true, at: Date.now(), latencyMs: 3 });
    await vi.advanceTimersByTimeAsync(250);
    expect(watchdog.status().openFailures).toEqual([]);
    stop();
  });

  it('leaves one slow request alone while others are answered, and reports the stall once answers stop', async () => {
    const { detected, beat, venueEvents, setOldest, stop } = setUp();
    await run(2, () => beat());
    // Under load one request waits its turn for over a second while answers keep coming.
    setOldest(1_500);
    for (let i = 0; i < 8; i += 1) {
      beat();
      venueEvents.emit('request', { ok: true, at: Date.now(), latencyMs: 40 });
      await vi.advanceTimersByTimeAsync(250);
    }
    expect(detected).toEqual([]);
    // Then nothing comes back for a second: that is a black hole.
    beat();
    await vi.advanceTimersByTimeAsync(1_250);
    expect(detected.map((failure) => failure.failureType)).toEqual(['chaos_network_partition']);
    stop();
  });

  it('reports a refused connection at once as the exchange down, over once an answer comes back', async () => {
    const { watchdog, detected, beat, venueEvents, stop } = setUp();
    await run(2, () => beat());
    venueEvents.emit('request', {
      ok: false,
      at: Date.now(),
      latencyMs: 1,
      failure: { kind: 'not_sent', errorClass: 'NetworkError(ECONNREFUSED)' },
    });
    expect(detected[0]).toMatchObject({
      componentId: 'exchange',
      failureType: 'chaos_exchange_downtime',
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(watchdog.status().openFailures).toHaveLength(1);
    venueEvents.emit('request', { ok: true, at: Date.now(), latencyMs: 3 });
    await vi.advanceTimersByTimeAsync(250);
    expect(watchdog.status().openFailures).toEqual([]);
    stop();
  });
});
