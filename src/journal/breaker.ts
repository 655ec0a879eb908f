import type { CircuitBreakerPolicy } from 'cockatiel';
import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import type { BreakerState } from './journal.js';

/** Options of the database breaker. */
export interface DatabaseBreakerOptions {
  /** Consecutive failed calls that open it. */
  threshold: number;
  /** How long it stays open before letting one trial call through, ms (≤ 1000 so recovery is quick). */
  halfOpenAfterMs: number;
  onState: (state: BreakerState) => void;
}

/** The circuit breaker that guards every database write and probe. */
export function createDatabaseBreaker(options: DatabaseBreakerOptions): CircuitBreakerPolicy {
  const policy = circuitBreaker(handleAll, {
    halfOpenAfter: options.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.threshold),
  });
  policy.onStateChange((state) => options.onState(breakerState(state)));
  return policy;
}

/** The journal's name for a cockatiel state; an isolated breaker is open. */
export function breakerState(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half-open';
  return 'open';
}
