import type { NotifierError } from './errors.js';
import { DedupeWindow, RateWindow } from './limits.js';
import type { Notifier, NotifierKind } from './notifier.js';

/** Why an alert did not reach a notifier. */
export type DropReason = 'duplicate' | 'rate_limited' | 'failed' | 'closed';

/** Whether a notifier's last finished delivery succeeded. */
export type NotifierHealth = 'up' | 'down';

/** Counters of one notifier, as `AlertDispatcher.stats()` reports them. */
export interface NotifierStats {
  kind: NotifierKind;
  health: NotifierHealth;
  /** Alerts delivered. */
  sent: number;
  /** Requests made, retries included. */
  attempts: number;
  /** Deliveries under way now. */
  inFlight: number;
  /** Alerts not delivered, by reason. */
  dropped: Record<DropReason, number>;
  /** The last delivery failure, if any. */
  lastError?: { code: string; message: string; status?: number };
}

/** What a health change means for events. */
export type HealthChange =
  { kind: 'none' } | { kind: 'down' } | { kind: 'recovered'; downForMs: number };

/** One notifier's state inside the dispatcher: its limits, health and counters. */
export class Lane {
  readonly dedupe: DedupeWindow;
  readonly rate: RateWindow;
  private health: NotifierHealth = 'up';
  private downSinceMs = 0;
  private sent = 0;
  private lastError: NotifierStats['lastError'];
  attempts = 0;
  inFlight = 0;
  readonly dropped: Record<DropReason, number> = {
    duplicate: 0,
    rate_limited: 0,
    failed: 0,
    closed: 0,
  };

  constructor(
    readonly notifier: Notifier,
    limits: { dedupeWindowMs: number; rateLimitMax: number; rateLimitWindowMs: number },
  ) {
    this.dedupe = new DedupeWindow(limits.dedupeWindowMs);
    this.rate = new RateWindow(limits.rateLimitMax, limits.rateLimitWindowMs);
  }

  /** Records a delivery; reports a recovery when the notifier was down. */
  delivered(nowMs: number): HealthChange {
    this.sent += 1;
    if (this.health === 'up') return { kind: 'none' };
    this.health = 'up';
    return { kind: 'recovered', downForMs: Math.max(0, nowMs - this.downSinceMs) };
  }

  /** Records a failed delivery; reports `down` only on the first failure of a run. */
  failed(error: NotifierError, nowMs: number): HealthChange {
    this.lastError = {
      code: error.code,
      message: error.message,
      ...(error.status === undefined ? {} : { status: error.status }),
    };
    if (this.health === 'down') return { kind: 'none' };
    this.health = 'down';
    this.downSinceMs = nowMs;
    return { kind: 'down' };
  }

  stats(): NotifierStats {
    return {
      kind: this.notifier.kind,
      health: this.health,
      sent: this.sent,
      attempts: this.attempts,
      inFlight: this.inFlight,
      dropped: { ...this.dropped },
      ...(this.lastError ? { lastError: { ...this.lastError } } : {}),
    };
  }
}
