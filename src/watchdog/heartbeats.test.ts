import { describe, expect, it } from 'vitest';
import { HeartbeatMonitor } from './heartbeats.js';

const t0 = 1_700_000_000_000;

describe('HeartbeatMonitor', () => {
  it('is overdue after exactly three intervals of silence, not a millisecond before', () => {
    const monitor = new HeartbeatMonitor();
    monitor.beat('exchange', 'healthy', { latencyMs: 12 }, t0);
    expect(monitor.check(t0 + 2999)).toEqual([]);
    expect(monitor.component('exchange')?.status).toBe('healthy');
    expect(monitor.check(t0 + 3000)).toEqual([
      { kind: 'overdue', componentId: 'exchange', at: t0 + 3000, lastBeatAt: t0 },
    ]);
    expect(monitor.component('exchange')).toMatchObject({ status: 'unknown', overdue: true });
    expect(monitor.overdue().map((view) => view.componentId)).toEqual(['exchange']);
  });

  it('reports an outage once, however often it is checked', () => {
    const monitor = new HeartbeatMonitor();
    monitor.beat('database', 'healthy', {}, t0);
    expect(monitor.check(t0 + 3000)).toHaveLength(1);
    for (let now = t0 + 3000; now <= t0 + 60_000; now += 500)
      expect(monitor.check(now)).toEqual([]);
    expect(monitor.component('database')?.status).toBe('unknown');
  });

  it('reports resumed once when beats come back, with the beat status', () => {
    const monitor = new HeartbeatMonitor();
    monitor.beat('exchange', 'healthy', {}, t0);
    monitor.check(t0 + 3000);
    monitor.beat('exchange', 'degraded', { inFlight: 3 }, t0 + 7000);
    expect(monitor.check(t0 + 7001)).toEqual([
      {
        kind: 'resumed',
        componentId: 'exchange',
        at: t0 + 7000,
        status: 'degraded',
        silentMs: 7000,
      },
    ]);
    expect(monitor.check(t0 + 7002)).toEqual([]);
    expect(monitor.component('exchange')).toMatchObject({
      status: 'degraded',
      overdue: false,
      lastBeatAt: t0 + 7000,
      metrics: { inFlight: 3 },
    });
  });

  it('reports a second outage after a resume', () => {
    const monitor = new HeartbeatMonitor();
    monitor.beat('exchange', 'healthy', {}, t0);
    monitor.check(t0 + 3000);
    monitor.beat('exchange', 'healthy', {}, t0 + 4000);
    monitor.check(t0 + 4000);
    expect(monitor.check(t0 + 7000).map((d) => d.kind)).toEqual(['overdue']);
  });

  it('stays quiet while beats come on time, even late within tolerance', () => {
    const monitor = new HeartbeatMonitor();
    for (let i = 0; i <= 20; i += 1) {
      monitor.beat('executor', 'healthy', {}, t0 + i * 2500);
      expect(monitor.check(t0 + i * 2500 + 2999)).toEqual([]);
    }
  });

  it('uses each component its own interval', () => {
    const monitor = new HeartbeatMonitor({ intervalMs: 1000 });
    monitor.register('reconciler', t0, 5000);
    monitor.register('exchange', t0);
    expect(monitor.check(t0 + 3000).map((d) => d.componentId)).toEqual(['exchange']);
    expect(monitor.check(t0 + 15_000).map((d) => d.componentId)).toEqual(['reconciler']);
    expect(monitor.component('reconciler')?.intervalMs).toBe(5000);
  });

  it('counts silence from registration for a component that never beat', () => {
    const monitor = new HeartbeatMonitor();
    monitor.register('market_data', t0);
    expect(monitor.component('market_data')).toMatchObject({
      status: 'unknown',
      lastBeatAt: undefined,
    });
    expect(monitor.check(t0 + 3000)).toEqual([
      { kind: 'overdue', componentId: 'market_data', at: t0 + 3000, lastBeatAt: undefined },
    ]);
  });

  it('honours missedIntervals', () => {
    const monitor = new HeartbeatMonitor({ missedIntervals: 5 });
    monitor.beat('exchange', 'healthy', {}, t0);
    expect(monitor.check(t0 + 4999)).toEqual([]);
    expect(monitor.check(t0 + 5000)).toHaveLength(1);
  });

  it('reports both edges of a silence no check() saw', () => {
    const monitor = new HeartbeatMonitor();
    monitor.beat('exchange', 'healthy', {}, t0);
    monitor.beat('exchange', 'healthy', {}, t0 + 10_000);
    expect(monitor.check(t0 + 10_001)).toEqual([
      { kind: 'overdue', componentId: 'exchange', at: t0 + 3000, lastBeatAt: t0 },
      {
        kind: 'resumed',
        componentId: 'exchange',
        at: t0 + 10_000,
        status: 'healthy',
        silentMs: 10_000,
      },
    ]);
  });

  it('ignores a beat older than the last one', () => {
    const monitor = new HeartbeatMonitor();
    monitor.beat('exchange', 'healthy', {}, t0 + 1000);
    monitor.beat('exchange', 'failing', {}, t0);
    expect(monitor.component('exchange')).toMatchObject({
      status: 'healthy',
      lastBeatAt: t0 + 1000,
    });
  });

  it('re-registering changes the interval and keeps the last beat', () => {
    const monitor = new HeartbeatMonitor();
    monitor.beat('exchange', 'healthy', {}, t0);
    monitor.register('exchange', t0 + 500, 2000);
    expect(monitor.check(t0 + 5999)).toEqual([]);
    expect(monitor.check(t0 + 6000)).toHaveLength(1);
  });

  it('forgives silences that arose while the watcher itself was not running', () => {
    const monitor = new HeartbeatMonitor();
    monitor.beat('exchange', 'healthy', {}, t0);
    monitor.beat('strategies', 'healthy', {}, t0);
    expect(monitor.check(t0 + 500)).toEqual([]);
    // Blocked from t0 + 500 to t0 + 9_000; the beat timer ran first after it.
    monitor.beat('exchange', 'healthy', {}, t0 + 9_000);
    monitor.forgive(t0 + 500, t0 + 9_000);
    expect(monitor.check(t0 + 9_001)).toEqual([]);
    expect(monitor.component('strategies')?.overdue).toBe(false);
    // A component that stays silent after the block is overdue three intervals later.
    monitor.beat('exchange', 'healthy', {}, t0 + 11_000);
    expect(monitor.check(t0 + 12_000)).toEqual([
      { kind: 'overdue', componentId: 'strategies', at: t0 + 12_000, lastBeatAt: t0 },
    ]);
  });

  it('keeps an outage that began before the watcher was blocked', () => {
    const monitor = new HeartbeatMonitor();
    monitor.beat('reconciler', 'healthy', {}, t0);
    expect(monitor.check(t0 + 3_000)).toHaveLength(1);
    monitor.beat('reconciler', 'healthy', {}, t0 + 9_000);
    monitor.forgive(t0 + 3_000, t0 + 9_000);
    expect(monitor.check(t0 + 9_001)).toEqual([
      {
        kind: 'resumed',
        componentId: 'reconciler',
        at: t0 + 9_000,
        status: 'healthy',
        silentMs: 9_000,
      },
    ]);
  });
});
