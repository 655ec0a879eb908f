import {
  ExponentialBackoff,
  handleWhen,
  retry,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from 'cockatiel';
import { sleep, withLinkedSignal } from '../../common/index.js';
import type { Alert } from '../model.js';
import { abortedError, NotifierError, toNotifierError } from './errors.js';
import type { Notifier } from './notifier.js';

/** How one alert is retried. */
export interface RetrySettings {
  /** Tries in all, the first included. */
  attempts: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  /** Longest Retry-After honoured, ms; a longer one is cut to this. */
  maxRetryAfterMs: number;
}

type Context = IRetryBackoffContext<unknown>;

/**
 * Backoff durations from cockatiel's ExponentialBackoff, or the endpoint's
 * Retry-After (capped) when it sent one, handed out through `take()`
 * instead of being waited by cockatiel. Why: cockatiel's retry delay is a
 * timer its AbortSignal does not cancel, so close() would leave it running.
 */
class DeferredBackoff implements IBackoffFactory<Context> {
  private inner: IBackoff<unknown> | undefined;
  private pendingMs = 0;

  constructor(private readonly settings: RetrySettings) {}

  next(context: Context): IBackoff<Context> {
    this.inner = this.inner
      ? this.inner.next(context)
      : new ExponentialBackoff({
          initialDelay: this.settings.retryInitialDelayMs,
          maxDelay: this.settings.retryMaxDelayMs,
        }).next();
    const error = 'error' in context.result ? context.result.error : undefined;
    const hintMs = error instanceof NotifierError ? error.retryAfterMs : undefined;
    this.pendingMs =
      hintMs === undefined ? this.inner.duration : Math.min(hintMs, this.settings.maxRetryAfterMs);
    return { duration: 0, next: (next) => this.next(next) };
  }

  /** The wait owed before the next try, once. */
  take(): number {
    const ms = this.pendingMs;
    this.pendingMs = 0;
    return ms;
  }
}

/**
 * Runs `attempt` with cockatiel's retry policy: retryable NotifierErrors are
 * retried with exponential backoff (or Retry-After), others are thrown at
 * once. Waits are abortable and unref'd. Rejects with the last NotifierError.
 */
export async function withRetries(
  settings: RetrySettings,
  signal: AbortSignal,
  attempt: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const backoff = new DeferredBackoff(settings);
  const policy = retry(
    handleWhen((error) => error instanceof NotifierError && error.retryable),
    { maxAttempts: settings.attempts - 1, backoff },
  ).dangerouslyUnref();
  try {
    await policy.execute(async (context) => {
      await sleep(backoff.take(), context.signal);
      if (context.signal.aborted) throw abortedError(context.signal);
      await attempt(context.signal);
    }, signal);
  } catch (error) {
    throw toNotifierError(error);
  }
}

/**
 * One try of one notifier, limited to `timeoutMs`. A notifier that ignores
 * its signal is abandoned when the signal aborts, so it cannot stall the
 * dispatcher's flush() or close().
 */
export function sendOnce(
  notifier: Notifier,
  alert: Alert,
  parent: AbortSignal,
  timeoutMs: number,
): Promise<void> {
  return withLinkedSignal([parent], timeoutMs, (signal) => {
    if (signal.aborted) return Promise.reject(abortedError(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(abortedError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      // A notifier that throws synchronously is caught by the async wrapper.
      (async () => notifier.send(alert, signal))()
        .then(resolve, (error: unknown) => reject(toNotifierError(error)))
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  });
}
