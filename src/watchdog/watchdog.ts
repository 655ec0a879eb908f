import { EventEmitter } from 'node:events';
import type { ChaosLog } from './chaos-log.js';
import { diagnose, type Diagnosis, type FailureFacts, type Signal } from './classifier.js';
import type { Alert, ChaosEvent, ComponentStatus, FailureType } from './model.js';
import type { AlertDispatcher } from './notifiers/index.js';
import { FailureCase, type FailureView } from './failure-case.js';
import type { RecoveryControls } from './recovery.js';
import { failureEvent, notifierEvent, type Experiment } from './watchdog-events.js';

export interface WatchdogOptions {
  controls: RecoveryControls;
  /** Where CHAOS_EVENT lines go. */
  log?: ChaosLog;
  /** Where alerts go (Discord, Slack, webhooks). */
  dispatcher?: AlertDispatcher;
  now?: () => number;
}

export interface WatchdogStatus {
  components: Record<string, { status: ComponentStatus; at: number }>;
  openFailures: FailureView[];
  recentFailures: FailureView[];
  recentAlerts: Alert[];
  chaosScenario: string | null;
  counts: { detections: number; alerts: number; recoveries: number; actions: number };
}

export interface WatchdogEvents {
  event: [ChaosEvent];
  detected: [FailureView];
  recovered: [FailureView];
}

const RECENT_KEPT = 50;

/**
 * Notices failures from the engine's signals, diagnoses them, alerts, runs
 * the recovery plan for the failure type, and says when the component is
 * healthy again. Every step is a CHAOS_EVENT line. Failures are tracked per
 * component: one open case per component at a time.
 */
export class Watchdog extends EventEmitter<WatchdogEvents> {
  private readonly now: () => number;
  private readonly open = new Map<string, FailureCase>();
  private readonly recent: FailureView[] = [];
  private readonly alerts: Alert[] = [];
  private readonly statuses = new Map<string, { status: ComponentStatus; at: number }>();
  private readonly counts = { detections: 0, alerts: 0, recoveries: 0, actions: 0 };
  private scenario: Experiment | undefined;
  private rateLimitedUntil = 0;
  private readonly breakers = new Map<string, string>();
  private rateLimitTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WatchdogOptions) {
    super();
    this.now = options.now ?? Date.now;
  }

  /** From now on events belong to this chaos experiment, injecting this failure type. */
  announceScenario(name: string, failureType?: FailureType): void {
    this.scenario = { name, failureType };
  }

  clearScenario(): void {
    this.scenario = undefined;
  }

  onHeartbeat(componentId: string, status: ComponentStatus, at: number): void {
    this.statuses.set(componentId, { status, at });
  }

  /**
   * Exchange requests unanswered for too long; `oldestMs` 0 means the
   * exchange answers again, which also ends a case opened by a refusal.
   */
  onStall(oldestMs: number): void {
    if (oldestMs > 0) {
      this.detect({ kind: 'requests_stalled', dependency: 'exchange', oldestMs });
    } else if (this.breakers.get('exchange') !== 'open') {
      this.recoverIf('exchange', undefined, 'requests_stalled');
      this.recoverIf('exchange', undefined, 'connection_refused');
    }
  }

  /** A connection to the exchange was refused: seen at once, long before a breaker opens. */
  onRefused(): void {
    this.detect({ kind: 'connection_refused', dependency: 'exchange' });
  }

  onBreaker(dependency: 'exchange' | 'database', state: string, lastFailure?: FailureFacts): void {
    this.breakers.set(dependency, state);
    if (state === 'open') this.detect({ kind: 'breaker_open', dependency, lastFailure });
    // The database is healthy once its spool is replayed, not when the breaker closes.
    if (state === 'closed' && dependency === 'exchange')
      this.recoverUnless('exchange', 'chaos_rate_limit');
    if (state === 'closed' && dependency === 'database' && !this.open.get('database')?.spooled) {
      this.recover('database');
    }
  }

  onRateLimited(httpStatus: 429 | 418, until: number): void {
    const at = this.now();
    this.detect({ kind: 'rate_limited', httpStatus, retryAfterMs: Math.max(0, until - at) });
    this.rateLimitedUntil = Math.max(this.rateLimitedUntil, until);
    clearTimeout(this.rateLimitTimer);
    // Recovered once the last Retry-After has passed with no new refusal.
    this.rateLimitTimer = setTimeout(
      () => {
        if (this.now() >= this.rateLimitedUntil) this.recoverIf('exchange', 'chaos_rate_limit');
      },
      this.rateLimitedUntil - at + 25,
    ).unref();
  }

  onSpool(state: 'started' | 'drained'): void {
    if (state === 'started') {
      this.detect({ kind: 'spool_started' });
      const database = this.open.get('database');
      if (database) database.spooled = true;
    } else {
      this.recover('database');
    }
  }

  /** A latency or error-rate anomaly against the component's rolling baseline. */
  onAnomaly(componentId: string, metric: string): void {
    this.detect({ kind: 'anomaly', componentId, metric });
  }

  /** The anomaly is over: the metric is back under its threshold. */
  onAnomalyCleared(componentId: string): void {
    this.recoverIf(componentId, undefined, 'anomaly');
  }

  /** A notifier stopped delivering (said once, not per alert) or delivers again. */
  onNotifier(notifier: string, state: 'down' | 'recovered', error?: string): void {
    this.publish(notifierEvent(notifier, state, error, this.scenario, this.now));
  }

  /** A component missed its heartbeats (three by default): its own loop stopped. */
  onHeartbeatOverdue(componentId: string): void {
    this.detect({ kind: 'heartbeat_overdue', componentId });
  }

  onHeartbeatResumed(componentId: string): void {
    this.recoverIf(componentId, undefined, 'heartbeat_overdue');
  }

  /**
   * The engine's event loop (the watchdog's too) did not run for `blockedMs`.
   * Seen only once it runs again, so the failure is over when it is detected.
   */
  onEventLoopBlocked(blockedMs: number): void {
    this.detect({ kind: 'event_loop_blocked', blockedMs });
    this.recoverIf('engine', undefined, 'event_loop_blocked');
  }

  status(): WatchdogStatus {
    return {
      components: Object.fromEntries(this.statuses),
      openFailures: [...this.open.values()].map((c) => c.view()),
      recentFailures: [...this.recent],
      recentAlerts: [...this.alerts],
      chaosScenario: this.scenario?.name ?? null,
      counts: { ...this.counts },
    };
  }

  close(): void {
    clearTimeout(this.rateLimitTimer);
  }

  private detect(signal: Signal): void {
    const diagnosis = diagnose(signal);
    if (diagnosis.confidence === 0) return;
    const current = this.open.get(diagnosis.componentId);
    if (current) {
      this.rediagnose(current, diagnosis, signal);
      return;
    }
    const failure: FailureCase = new FailureCase(
      diagnosis,
      this.now(),
      this.options.controls,
      (type, extra) => this.record(type, failure, extra),
      this.now,
    );
    failure.signalKind = signal.kind;
    this.open.set(diagnosis.componentId, failure);
    this.counts.detections += 1;
    this.record('failure_detected', failure, { reason: diagnosis.reason });
    this.raiseAlert(failure);
    this.emit('detected', failure.view());
    failure.start();
  }

  /** Keeps one case per component; stronger evidence of another type re-diagnoses it. */
  private rediagnose(failure: FailureCase, diagnosis: Diagnosis, signal: Signal): void {
    const before = failure.diagnosis;
    if (diagnosis.failureType === before.failureType || diagnosis.confidence <= before.confidence)
      return;
    failure.rediagnose(diagnosis);
    failure.signalKind = signal.kind;
    this.record('failure_rediagnosed', failure, { previous_failure_type: before.failureType });
    this.raiseAlert(failure);
  }

  private recoverIf(
    componentId: string,
    failureType: FailureType | undefined,
    signalKind?: Signal['kind'],
  ): void {
    const failure = this.open.get(componentId);
    if (!failure) return;
    if (failureType !== undefined && failure.diagnosis.failureType !== failureType) return;
    if (signalKind !== undefined && failure.signalKind !== signalKind) return;
    this.recover(componentId);
  }

  private recoverUnless(componentId: string, failureType: FailureType): void {
    const failure = this.open.get(componentId);
    if (failure && failure.diagnosis.failureType !== failureType) this.recover(componentId);
  }

  private recover(componentId: string): void {
    const failure = this.open.get(componentId);
    if (!failure) return;
    this.open.delete(componentId);
    this.counts.recoveries += 1;
    const recoveredAt = this.now();
    this.record('component_recovered', failure, { recovery_ms: recoveredAt - failure.detectedAt });
    void failure.recover(recoveredAt).then(() => {
      this.remember(failure.view());
      this.emit('recovered', failure.view());
    });
  }

  private raiseAlert(failure: FailureCase): void {
    const { diagnosis } = failure;
    const alert: Alert = {
      key: `${diagnosis.componentId}:${diagnosis.failureType}`,
      severity: diagnosis.confidence >= 0.7 ? 'critical' : 'warning',
      title: `${diagnosis.componentId}: ${diagnosis.failureType}`,
      message: diagnosis.reason,
      componentId: diagnosis.componentId,
      failureType: diagnosis.failureType,
      confidence: diagnosis.confidence,
      at: failure.detectedAt,
      ...(this.scenario && { chaosScenario: this.scenario.name }),
    };
    this.alerts.push(alert);
    if (this.alerts.length > RECENT_KEPT) this.alerts.shift();
    this.counts.alerts += 1;
    this.record('alert_raised', failure, { severity: alert.severity });
    this.options.dispatcher?.dispatch(alert);
  }

  private record(eventType: string, failure: FailureCase, extra?: Record<string, unknown>): void {
    if (eventType === 'recovery_action_started') this.counts.actions += 1;
    this.publish(failureEvent(eventType, failure, this.scenario, this.now, extra));
  }

  private publish(event: ChaosEvent): void {
    this.options.log?.write(event);
    this.emit('event', event);
  }

  private remember(view: FailureView): void {
    this.recent.push(view);
    if (this.recent.length > RECENT_KEPT) this.recent.shift();
  }
}
