import { EventEmitter } from 'node:events';
import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { withLinkedSignal } from '../../common/index.js';
import type { BreakerState } from '../../journal/index.js';

export interface DependencyBreakerOptions {
  /** Consecutive failures that open the breaker. Default 5. */
  consecutiveFailures?: number;
  /** How long the breaker stays open before a half-open probe, ms. Default 1000 (the ceiling). */
  halfOpenAfterMs?: number;
  /** Which errors count against the dependency (others pass through untouched). */
  isFailure: (error: Error) => boolean;
  /**
   * Errors that are the dependency's own answer (a refusal, "not found"): it
   * is up, whatever it said. A half-open trial closes the breaker only on a
   * success or one of these; any other error (our own deadline aborting the
   * trial, say) proves nothing and opens it again. Default: none.
   */
  isAnswer?: (error: Error) => boolean;
  /** A cheap request run while open, so the breaker closes without waiting for real traffic. */
  probe: (signal: AbortSignal) => Promise<void>;
  /** A probe still unanswered after this is abandoned: calls queue behind a half-open probe. Default 3000 ms. */
  probeTimeoutMs?: number;
}

export interface DependencyBreakerEvents {
  /** `lastError`: the failure that tripped it, when it opens. */
  state: [{ state: BreakerState; at: number; lastError: unknown }];
}

/**
 * A circuit breaker for one dependency, with active probing: while it is open
 * a probe is tried as soon as half-open is allowed, so recovery after a heal
 * takes at most `halfOpenAfterMs` plus one probe, even when nothing else calls.
 */
export class DependencyBreaker extends EventEmitter<DependencyBreakerEvents> {
  private readonly policy: CircuitBreakerPolicy;
  private readonly aborter = new AbortController();
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(private readonly options: DependencyBreakerOptions) {
    super();
    // cockatiel counts an error its filter does not handle as a success, which in
    // half-open would close the breaker on a trial that never reached the dependency.
    const counts = (error: Error) =>
      options.isFailure(error) ||
      (this.policy.state === CircuitState.HalfOpen && !(options.isAnswer?.(error) ?? false));
    this.policy = circuitBreaker(handleWhen(counts), {
      halfOpenAfter: options.halfOpenAfterMs ?? 1000,
      breaker: new ConsecutiveBreaker(options.consecutiveFailures ?? 5),
    });
    this.policy.onStateChange((state) => {
      const last = this.policy.lastFailure;
      const lastError = last && 'error' in last ? last.error : undefined;
      this.emit('state', { state: breakerState(state), at: Date.now(), lastError });
      if (state === CircuitState.Open) this.startProbing();
      if (state === CircuitState.Closed) this.stopProbing();
    });
  }

  get state(): BreakerState {
    return breakerState(this.policy.state);
  }

  execute<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.policy.execute(fn, signal);
  }

  /**
   * Runs `fn` through the breaker with a signal that ends when `parent` aborts
   * or `timeoutMs` passes, whichever is first: a bounded call to the dependency.
   */
  executeWithin<T>(
    parent: AbortSignal,
    timeoutMs: number,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return withLinkedSignal([parent], timeoutMs, (signal) =>
      this.policy.execute(() => fn(signal), signal),
    );
  }

  close(): void {
    this.stopProbing();
    this.aborter.abort();
  }

  private startProbing(): void {
    if (this.probeTimer || this.aborter.signal.aborted) return;
    // A quarter of the open time, so the probe goes out soon after half-open is allowed.
    const everyMs = Math.max(10, (this.options.halfOpenAfterMs ?? 1000) / 4);
    this.probeTimer = setInterval(() => void this.probeOnce(), everyMs).unref();
  }

  private stopProbing(): void {
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }

  private async probeOnce(): Promise<void> {
    if (this.probing || this.policy.state !== CircuitState.Open) return;
    this.probing = true;
    try {
      await this.executeWithin(this.aborter.signal, this.options.probeTimeoutMs ?? 3000, (signal) =>
        this.options.probe(signal),
      );
    } catch {
      // Still open (or not yet allowed to probe): the next tick tries again.
    } finally {
      this.probing = false;
    }
  }
}

function breakerState(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half-open';
  return 'open';
}
