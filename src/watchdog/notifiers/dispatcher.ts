import { EventEmitter, setMaxListeners } from 'node:events';
import { withDefaults } from '../../common/index.js';
import type { Alert } from '../model.js';
import { NotifierError } from './errors.js';
import { Lane, type DropReason, type HealthChange, type NotifierStats } from './lane.js';
import type { Notifier } from './notifier.js';
import { sendOnce, withRetries } from './retry.js';

/** Options of an AlertDispatcher; every field has a default. */
export interface AlertDispatcherOptions {
  /** The same `alert.key` within this long of its first send goes out once per notifier, ms. Default 60 000. */
  dedupeWindowMs?: number;
  /** Alerts one notifier may take per rate window; more are dropped as rate_limited. Default 20. */
  rateLimitMax?: number;
  /** The rate window, ms. Default 60 000 (so 20 alerts a minute). */
  rateLimitWindowMs?: number;
  /** Time limit of one request, ms. Default 5000. */
  attemptTimeoutMs?: number;
  /** Tries per alert and notifier, the first included. Default 3. */
  attempts?: number;
  /** First retry backoff, ms (exponential with jitter after that). Default 250. */
  retryInitialDelayMs?: number;
  /** Longest retry backoff, ms. Default 5000. */
  retryMaxDelayMs?: number;
  /** Longest Retry-After honoured, ms; longer asks are cut to this. Default 10 000. */
  maxRetryAfterMs?: number;
  /** Monotonic clock for the windows, ms: a wall-clock step must not reopen a window. Default performance.now. */
  now?: () => number;
}

/** The defaults of AlertDispatcherOptions. */
export const DISPATCHER_DEFAULTS = {
  dedupeWindowMs: 60_000,
  rateLimitMax: 20,
  rateLimitWindowMs: 60_000,
  attemptTimeoutMs: 5000,
  attempts: 3,
  retryInitialDelayMs: 250,
  retryMaxDelayMs: 5000,
  maxRetryAfterMs: 10_000,
  now: (): number => performance.now(),
} as const satisfies Required<AlertDispatcherOptions>;

/** What the dispatcher tells its listeners; every event names the notifier. */
export interface DispatcherEvents {
  sent: [{ notifier: string; alert: Alert; durationMs: number }];
  dropped: [{ notifier: string; alert: Alert; reason: DropReason; error?: NotifierError }];
  /** Once when a notifier starts failing, not once per alert. */
  notifierDown: [{ notifier: string; error: NotifierError; at: number }];
  /** When a notifier that was down delivers again. */
  notifierRecovered: [{ notifier: string; at: number; downForMs: number }];
}

/**
 * Sends alerts to notifiers without ever holding up the caller: `dispatch`
 * returns at once, each notifier's sends run on their own (a dead Discord
 * does not delay Slack), and a failing send is retried, then dropped and
 * reported through events. The dispatcher owns its notifiers: close() closes them.
 */
export class AlertDispatcher extends EventEmitter<DispatcherEvents> {
  private readonly lanes: Lane[];
  private readonly settings: Required<AlertDispatcherOptions>;
  private readonly aborter = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private closing: Promise<void> | undefined;

  constructor(notifiers: readonly Notifier[], options: AlertDispatcherOptions = {}) {
    super();
    this.settings = withDefaults(DISPATCHER_DEFAULTS, options);
    validate(this.settings);
    const names = new Set(notifiers.map((notifier) => notifier.name));
    if (names.size !== notifiers.length) {
      throw new NotifierError('INVALID_CONFIG', 'notifier names must be unique');
    }
    this.lanes = notifiers.map((notifier) => new Lane(notifier, this.settings));
    // One abort listener per delivery under way (bounded by the rate limits), not a leak.
    setMaxListeners(0, this.aborter.signal);
  }

  /** Hands the alert to every notifier and returns at once; never throws. */
  dispatch(alert: Alert): void {
    for (const lane of this.lanes) {
      try {
        this.offer(lane, alert);
      } catch {
        // Nothing here may reach the watchdog; offer() itself only throws on a bug.
      }
    }
  }

  /** Resolves when every delivery under way (retries included) has finished. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Aborts deliveries under way (dropped as closed), then closes the notifiers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** Counters per notifier name. */
  stats(): Record<string, NotifierStats> {
    return Object.fromEntries(this.lanes.map((lane) => [lane.notifier.name, lane.stats()]));
  }

  private offer(lane: Lane, alert: Alert): void {
    if (this.aborter.signal.aborted) return this.drop(lane, alert, 'closed');
    const nowMs = this.settings.now();
    // Duplicates are checked first, so they do not use up the rate limit.
    if (lane.dedupe.has(alert.key, nowMs)) return this.drop(lane, alert, 'duplicate');
    if (!lane.rate.tryTake(nowMs)) return this.drop(lane, alert, 'rate_limited');
    lane.dedupe.remember(alert.key, nowMs);
    lane.inFlight += 1;
    const task = this.deliver(lane, alert)
      .catch(() => undefined)
      .finally(() => {
        lane.inFlight -= 1;
        this.inFlight.delete(task);
      });
    this.inFlight.add(task);
  }

  private async deliver(lane: Lane, alert: Alert): Promise<void> {
    const { notifier } = lane;
    const startedMs = this.settings.now();
    try {
      await withRetries(this.settings, this.aborter.signal, (signal) => {
        lane.attempts += 1;
        return sendOnce(notifier, alert, signal, this.settings.attemptTimeoutMs);
      });
    } catch (error) {
      return this.failed(lane, alert, error as NotifierError);
    }
    const durationMs = this.settings.now() - startedMs;
    this.health(lane, lane.delivered(this.settings.now()));
    this.safeEmit('sent', { notifier: notifier.name, alert, durationMs });
  }

  private failed(lane: Lane, alert: Alert, error: NotifierError): void {
    if (this.aborter.signal.aborted) return this.drop(lane, alert, 'closed', error);
    // A failed alert may be raised again within the window and should then get its chance.
    lane.dedupe.forget(alert.key);
    this.health(lane, lane.failed(error, this.settings.now()), error);
    this.drop(lane, alert, 'failed', error);
  }

  private health(lane: Lane, change: HealthChange, error?: NotifierError): void {
    const notifier = lane.notifier.name;
    const at = Date.now();
    if (change.kind === 'down' && error) this.safeEmit('notifierDown', { notifier, error, at });
    if (change.kind === 'recovered') {
      this.safeEmit('notifierRecovered', { notifier, at, downForMs: change.downForMs });
    }
  }

  private drop(lane: Lane, alert: Alert, reason: DropReason, error?: NotifierError): void {
    lane.dropped[reason] += 1;
    const event = { notifier: lane.notifier.name, alert, reason };
    this.safeEmit('dropped', error ? { ...event, error } : event);
  }

  /** Emits without letting a listener's exception into a delivery or the caller of dispatch(). */
  private safeEmit<K extends keyof DispatcherEvents>(event: K, ...args: DispatcherEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: DispatcherEvents[K]) => boolean)(event, ...args);
    } catch {
      // A listener's bug is its own; alerts keep flowing.
    }
  }

  private async shutdown(): Promise<void> {
    this.aborter.abort(new NotifierError('ABORTED', 'dispatcher closed'));
    await this.flush();
    await Promise.allSettled(this.lanes.map(async (lane) => lane.notifier.close?.()));
  }
}

function validate(settings: Required<AlertDispatcherOptions>): void {
  const positive = ['rateLimitWindowMs', 'attemptTimeoutMs', 'attempts', 'rateLimitMax'] as const;
  for (const key of positive) {
    if (!(settings[key] > 0)) {
      throw new NotifierError('INVALID_CONFIG', `${key} must be positive, got ${settings[key]}`);
    }
  }
  if (!Number.isInteger(settings.attempts)) {
    throw new NotifierError(
      'INVALID_CONFIG',
      `attempts must be an integer, got ${settings.attempts}`,
    );
  }
}
