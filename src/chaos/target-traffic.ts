import type { ProxyClient, ProxyStats } from '../proxy/index.js';
import type { SystemUnderTest } from '../sut/index.js';
import type { ScenarioTarget } from './model.js';

/** Requests to a dependency and how many got their answer, counted since the proxy started. */
export interface TargetTraffic {
  requests: number;
  answered: number;
  /** Requests that ended in failure so far (a held one counts once its client gives up). */
  failed: number;
}

/** Requests, and those that failed, over some window. */
export interface TrafficWindow {
  requests: number;
  failures: number;
}

/**
 * What reached a target's proxy: requests (http mode) or client messages
 * awaiting an answer (tcp mode, see the proxy's TcpLink), and those that
 * failed. One thing no proxy can count: a connection the operating system
 * refused while the proxy was switched off, since then nothing listens. A
 * client that counts those (the built-in engine's
 * `n1v1_connections_refused_total`) has them added in: each is a request
 * that failed.
 */
export function targetTraffic(stats: ProxyStats, refusedByOs: number): TargetTraffic {
  const failed = Object.values(stats.requests.failed).reduce((sum, n) => sum + n, 0);
  return {
    requests: stats.requests.seen + refusedByOs,
    answered: stats.requests.answered,
    failed: failed + refusedByOs,
  };
}

/**
 * Reads a target's traffic now: its proxy's counters and, when the system
 * can tell, the connections the operating system refused it.
 */
export async function readTargetTraffic(
  proxyClient: ProxyClient,
  system: SystemUnderTest,
  target: ScenarioTarget,
  signal: AbortSignal,
): Promise<TargetTraffic> {
  const [stats, refused] = await Promise.all([
    proxyClient.stats(target, signal),
    system.refusedConnections(target, signal),
  ]);
  return targetTraffic(stats, refused ?? 0);
}

/**
 * The window between two readings: its requests, and as failures those not
 * answered within it. A request the fault held is failed at the window's end
 * (it got no answer in it), without waiting for its client to give up.
 */
export function trafficBetween(before: TargetTraffic, after: TargetTraffic): TrafficWindow {
  const requests = Math.max(0, after.requests - before.requests);
  const answered = Math.max(0, after.answered - before.answered);
  return { requests, failures: Math.max(0, requests - answered) };
}

/** Requests and failures as they ended between two readings: the per-second view. */
export function endedBetween(before: TargetTraffic, after: TargetTraffic): TrafficWindow {
  return {
    requests: Math.max(0, after.requests - before.requests),
    failures: Math.max(0, after.failed - before.failed),
  };
}

/** Failures ÷ requests, percent, one decimal; null when nothing reached the target. */
export function failurePercent(traffic: TrafficWindow): number | null {
  if (traffic.requests === 0) return null;
  return Math.round((traffic.failures / traffic.requests) * 1000) / 10;
}

/**
 * A target's traffic added up over the stretches when some fault was on:
 * a fault that starts late or ends early in its window is measured only
 * while it acts.
 */
export class FaultedTraffic {
  private start: TargetTraffic | undefined;
  private total: TrafficWindow = { requests: 0, failures: 0 };
  private stretches = 0;

  constructor(private readonly read: () => Promise<TargetTraffic>) {}

  /** A fault went on: a stretch begins. */
  async on(): Promise<void> {
    this.start = await this.read();
  }

  /** The last fault is about to come off: the stretch ends. */
  async off(): Promise<void> {
    const start = this.start;
    if (!start) return;
    this.start = undefined;
    const stretch = trafficBetween(start, await this.read());
    this.total = {
      requests: this.total.requests + stretch.requests,
      failures: this.total.failures + stretch.failures,
    };
    this.stretches += 1;
  }

  /** The traffic of every ended stretch; undefined when none ended. */
  get window(): TrafficWindow | undefined {
    return this.stretches === 0 ? undefined : { ...this.total };
  }
}
