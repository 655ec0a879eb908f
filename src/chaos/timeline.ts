import { sleep } from '../common/index.js';
import type { PhaseName, Scenario, TimelinePoint } from './model.js';
import type { OrderSampler } from './order-sampler.js';
import { endedBetween, type TargetTraffic } from './target-traffic.js';

/** What a runner says once a second while a scenario runs. */
export interface Progress {
  scenario: string;
  phase: PhaseName;
  /** Seconds since the scenario started. */
  elapsedSeconds: number;
  /** Seconds left in a timed phase; null in recovery (it ends when steady state returns). */
  remainingSeconds: number | null;
  ordersPerSecond: number;
  failuresPerSecond: number;
  /** Requests and failures at the faulted dependency in the last second. */
  targetRequests: number;
  targetFailures: number;
}

/**
 * The per-second record of a scenario: every second it takes the order
 * sampler's tally and the target's traffic (proxy counters), appends a
 * point, and reports progress. Also times the phases' waits.
 */
export class Timeline {
  readonly points: TimelinePoint[] = [];
  phase: PhaseName = 'baseline';
  private timer: NodeJS.Timeout | undefined;
  private lastTraffic: TargetTraffic | undefined;
  private phaseEndsAt: number | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly readTarget: (signal: AbortSignal) => Promise<TargetTraffic>,
    private readonly scenario: Scenario,
    private readonly sampler: OrderSampler,
    private readonly startedAt: () => number,
    private readonly onProgress?: (progress: Progress) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick()).catch(() => undefined);
    }, 1_000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Waits out a timed phase (its remaining time shows in progress); aborting ends the wait with the signal's reason. */
  async wait(seconds: number, signal: AbortSignal): Promise<void> {
    this.phaseEndsAt = Date.now() + seconds * 1000;
    await sleep(seconds * 1000, signal);
    this.phaseEndsAt = undefined;
    signal.throwIfAborted();
  }

  /** The target's traffic now, counted since its proxy started. */
  readTraffic(): Promise<TargetTraffic> {
    return this.readTarget(AbortSignal.timeout(5_000));
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    const second = this.sampler.takeSecond();
    const traffic = await this.readTraffic().catch(() => this.lastTraffic);
    const delta =
      traffic && this.lastTraffic
        ? endedBetween(this.lastTraffic, traffic)
        : { requests: 0, failures: 0 };
    if (traffic) this.lastTraffic = traffic;
    this.points.push({
      second: this.points.length,
      phase: this.phase,
      orders: second.orders,
      failures: second.failures,
      refused: second.refused,
      p95Ms: second.p95Ms,
      targetRequests: delta.requests,
      targetFailures: delta.failures,
    });
    this.onProgress?.({
      scenario: this.scenario.name,
      phase: this.phase,
      elapsedSeconds: Math.round((now - this.startedAt()) / 1000),
      remainingSeconds:
        this.phaseEndsAt === undefined
          ? null
          : Math.max(0, Math.round((this.phaseEndsAt - now) / 1000)),
      ordersPerSecond: second.orders,
      failuresPerSecond: second.failures,
      targetRequests: delta.requests,
      targetFailures: delta.failures,
    });
  }
}
