import type { EventEmitter } from 'node:events';
import { LatencyRecorder } from '../common/index.js';
import type { SystemEvents, SystemOutcome } from '../sut/index.js';
import type { PhaseCounts, PhaseName } from './model.js';

type CountedPhase = Exclude<PhaseName, 'verify'>;

interface Tally {
  orders: number;
  failures: number;
  refused: number;
  latency: LatencyRecorder;
}

/** One second's tally, handed out by takeSecond(). */
export interface SecondTally {
  orders: number;
  failures: number;
  refused: number;
  p95Ms: number | null;
}

/**
 * Counts the system's order outcomes (an order the venue accepted, a
 * failure, a refusal: see SystemOutcome) per phase and per second, and keeps
 * the last second's successes and failures for recovery detection. Memory is
 * bounded: histograms, counters, and one second of timestamps.
 */
export class OrderSampler {
  /** Undefined until the run's clock starts: outcomes while the system gets ready count nowhere. */
  phase: CountedPhase | undefined;
  private readonly phases: Record<CountedPhase, Tally> = {
    baseline: emptyTally(),
    chaos: emptyTally(),
    recovery: emptyTally(),
  };
  private second = emptyTally();
  /** Times of recent orders (true) and failures (false), oldest first. */
  private recent: Array<{ at: number; ok: boolean }> = [];
  private readonly listener = (outcome: SystemOutcome): void => this.record(outcome);

  constructor(
    private readonly events: EventEmitter<SystemEvents>,
    private readonly now: () => number = Date.now,
  ) {
    events.on('outcome', this.listener);
  }

  /** Counts of a phase so far. */
  counts(phase: CountedPhase): PhaseCounts {
    const tally = this.phases[phase];
    const { orders, failures, refused } = tally;
    return { orders, failures, refused, latency: tally.latency.percentiles() };
  }

  /** The second just ended, and a fresh one begun. */
  takeSecond(): SecondTally {
    const { orders, failures, refused, latency } = this.second;
    this.second = emptyTally();
    return { orders, failures, refused, p95Ms: orders > 0 ? latency.percentiles().p95 : null };
  }

  /**
   * Orders ÷ (orders + failures) over the last `windowMs`, percent, with the
   * number of outcomes it stands on; refusals count in neither.
   */
  successRate(windowMs = 1_000): {
    percent: number | null;
    outcomes: number;
    /** When the window's first accepted order came, ms since the epoch; undefined when none. */
    firstOrderAt: number | undefined;
  } {
    this.prune(windowMs);
    if (this.recent.length === 0) return { percent: null, outcomes: 0, firstOrderAt: undefined };
    const ok = this.recent.filter((entry) => entry.ok).length;
    return {
      percent: (ok / this.recent.length) * 100,
      outcomes: this.recent.length,
      firstOrderAt: this.recent.find((entry) => entry.ok)?.at,
    };
  }

  close(): void {
    this.events.off('outcome', this.listener);
  }

  private record(outcome: SystemOutcome): void {
    if (this.phase === undefined) return;
    const { kind } = outcome;
    for (const tally of [this.phases[this.phase], this.second]) {
      if (kind === 'order') {
        tally.orders += 1;
        if (outcome.latencyMs !== undefined) tally.latency.record(outcome.latencyMs);
      } else if (kind === 'failure') {
        tally.failures += 1;
      } else {
        tally.refused += 1;
      }
    }
    if (kind === 'refused') return;
    this.recent.push({ at: this.now(), ok: kind === 'order' });
    // Bounded even when nobody asks: a second of outcomes at most, plus slack.
    if (this.recent.length > 10_000) this.prune(1_000);
  }

  private prune(windowMs: number): void {
    const from = this.now() - windowMs;
    const first = this.recent.findIndex((entry) => entry.at > from);
    this.recent = first < 0 ? [] : this.recent.slice(first);
  }
}

function emptyTally(): Tally {
  return { orders: 0, failures: 0, refused: 0, latency: new LatencyRecorder() };
}

/** Baseline success rate of a phase's counts, percent; null when it had no outcomes. */
export function phaseSuccessPercent(counts: PhaseCounts): number | null {
  const outcomes = counts.orders + counts.failures;
  return outcomes === 0 ? null : (counts.orders / outcomes) * 100;
}
