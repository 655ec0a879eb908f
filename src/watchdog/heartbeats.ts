import { withDefaults } from '../common/index.js';
import type { ComponentStatus } from './model.js';

export interface HeartbeatMonitorOptions {
  /** Expected interval of a component registered without one, ms. Default 1000 (the engine's). */
  intervalMs?: number;
  /** Missed intervals after which a component is overdue. Default 3: one late beat is jitter, three is an outage. */
  missedIntervals?: number;
}

export const HEARTBEAT_DEFAULTS = { intervalMs: 1000, missedIntervals: 3 };

/** What the monitor knows about one component. */
export interface ComponentView {
  componentId: string;
  /** The last beat's status; unknown while overdue or before the first beat. */
  status: ComponentStatus;
  intervalMs: number;
  /** Last beat, ms since the epoch; undefined before the first. */
  lastBeatAt: number | undefined;
  /** The last beat's metrics. */
  metrics: Readonly<Record<string, number>>;
  overdue: boolean;
}

/**
 * A change in a component's heartbeat, reported once: `overdue` when it
 * went silent for `missedIntervals` intervals, `resumed` when it beat again.
 */
export type HeartbeatDetection =
  | {
      kind: 'overdue';
      componentId: string;
      /** When it became overdue: last sign of life + missedIntervals × intervalMs. */
      at: number;
      lastBeatAt: number | undefined;
    }
  | {
      kind: 'resumed';
      componentId: string;
      /** The first beat after the silence. */
      at: number;
      status: ComponentStatus;
      /** Time without beats, ms. */
      silentMs: number;
    };

interface Entry {
  intervalMs: number;
  /** Last beat or, before the first, the registration: silence is counted from here. */
  lastSeenAt: number;
  lastBeatAt: number | undefined;
  status: ComponentStatus;
  metrics: Readonly<Record<string, number>>;
  overdue: boolean;
}

/**
 * Tracks component heartbeats and reports overdue and resumed components.
 * Pure: every time is passed in, nothing runs on its own; the watchdog calls
 * check() on its tick and gets each change exactly once.
 */
export class HeartbeatMonitor {
  private readonly options: Required<HeartbeatMonitorOptions>;
  private readonly entries = new Map<string, Entry>();
  /** Changes seen by beat() and not yet handed out by check(). */
  private pending: HeartbeatDetection[] = [];

  constructor(options: HeartbeatMonitorOptions = {}) {
    this.options = withDefaults(HEARTBEAT_DEFAULTS, options);
  }

  /**
   * Starts watching a component at `at` (ms since the epoch): without a beat
   * it becomes overdue as if it had beaten then. Registering again changes
   * the interval and keeps what was seen.
   */
  register(componentId: string, at: number, intervalMs = this.options.intervalMs): void {
    const entry = this.entries.get(componentId);
    if (entry) {
      entry.intervalMs = intervalMs;
      return;
    }
    this.entries.set(componentId, {
      intervalMs,
      lastSeenAt: at,
      lastBeatAt: undefined,
      status: 'unknown',
      metrics: {},
      overdue: false,
    });
  }

  /** Records a beat (registering an unknown component with the default interval). Older beats than the last are ignored. */
  beat(
    componentId: string,
    status: ComponentStatus,
    metrics: Readonly<Record<string, number>>,
    at: number,
  ): void {
    if (!this.entries.has(componentId)) this.register(componentId, at);
    const entry = this.entries.get(componentId) as Entry;
    if (entry.lastBeatAt !== undefined && at < entry.lastBeatAt) return;
    const silentMs = at - entry.lastSeenAt;
    // A silence check() never saw (it ran too rarely) is still an outage: report both edges.
    if (!entry.overdue && silentMs >= this.overdueAfterMs(entry))
      this.markOverdue(componentId, entry);
    if (entry.overdue) this.pending.push({ kind: 'resumed', componentId, at, status, silentMs });
    Object.assign(entry, { lastSeenAt: at, lastBeatAt: at, status, metrics, overdue: false });
  }

  /**
   * Marks components silent for ≥ missedIntervals intervals at `now` as
   * overdue (status unknown) and returns the changes since the last check:
   * each outage's `overdue` once, then its `resumed` once.
   */
  check(now: number): HeartbeatDetection[] {
    for (const [componentId, entry] of this.entries) {
      if (!entry.overdue && now - entry.lastSeenAt >= this.overdueAfterMs(entry))
        this.markOverdue(componentId, entry);
    }
    const detections = this.pending;
    this.pending = [];
    return detections;
  }

  /**
   * The watcher itself did not run between `since` and `now` (its event loop
   * was blocked, its process suspended): silences that became overdue in
   * that gap are the watcher's, not the components'. Drops what they caused
   * and counts those components' silence from `now`. Outages older than the
   * gap stand.
   */
  forgive(since: number, now: number): void {
    this.pending = this.pending.filter((detection) => {
      const entry = this.entries.get(detection.componentId);
      if (!entry) return false;
      const overdueAt =
        detection.kind === 'overdue'
          ? detection.at
          : detection.at - detection.silentMs + this.overdueAfterMs(entry);
      return overdueAt <= since;
    });
    for (const entry of this.entries.values()) {
      if (!entry.overdue) entry.lastSeenAt = Math.max(entry.lastSeenAt, now);
    }
  }

  /** The components currently overdue. */
  overdue(): ComponentView[] {
    return this.components().filter((view) => view.overdue);
  }

  /** One component's view; undefined when it was never registered. */
  component(componentId: string): ComponentView | undefined {
    const entry = this.entries.get(componentId);
    return entry && view(componentId, entry);
  }

  /** Every component's view, in registration order. */
  components(): ComponentView[] {
    return [...this.entries].map(([componentId, entry]) => view(componentId, entry));
  }

  private overdueAfterMs(entry: Entry): number {
    return entry.intervalMs * this.options.missedIntervals;
  }

  private markOverdue(componentId: string, entry: Entry): void {
    entry.overdue = true;
    entry.status = 'unknown';
    this.pending.push({
      kind: 'overdue',
      componentId,
      at: entry.lastSeenAt + this.overdueAfterMs(entry),
      lastBeatAt: entry.lastBeatAt,
    });
  }
}

function view(componentId: string, entry: Entry): ComponentView {
  const { intervalMs, lastBeatAt, status, metrics, overdue } = entry;
  return { componentId, status, intervalMs, lastBeatAt, metrics, overdue };
}
