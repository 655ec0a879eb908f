import { describe, expect, it } from 'vitest';
import { combineConfidence, diagnose, transportCodeOf } from './classifier.js';
import type { FailureFacts, Signal } from './classifier.js';

const exchangeBreaker = (lastFailure?: FailureFacts): Signal => ({
  kind: 'breaker_open',
  dependency: 'exchange',
  ...(lastFailure && { lastFailure }),
});

describe('diagnose', () => {
  const rules: [string, Signal, string, string, number][] = [
    [
      'exchange breaker after timeouts',
      exchangeBreaker({ kind: 'ambiguous', errorClass: 'RequestTimeout' }),
      'chaos_network_partition',
      'exchange',
      0.85,
    ],
    [
      'exchange breaker after undici header timeouts',
      exchangeBreaker({ kind: 'ambiguous', errorClass: 'NetworkError(UND_ERR_HEADERS_TIMEOUT)' }),
      'chaos_network_partition',
      'exchange',
      0.85,
    ],
    [
      'exchange breaker after resets',
      exchangeBreaker({
        kind: 'ambiguous',
        errorClass: 'NetworkError(ECONNRESET)',
        httpStatus: undefined,
      }),
      'chaos_network_partition',
      'exchange',
      0.7,
    ],
    [
      'exchange breaker after unreachable hosts',
      exchangeBreaker({ kind: 'not_sent', errorClass: 'NetworkError(EHOSTUNREACH)' }),
      'chaos_network_partition',
      'exchange',
      0.7,
    ],
    [
      'exchange breaker after refused connections',
      exchangeBreaker({ kind: 'not_sent', errorClass: 'ExchangeNotAvailable(ECONNREFUSED)' }),
      'chaos_exchange_downtime',
      'exchange',
      0.85,
    ],
    [
      'exchange breaker after a bare ConnectionRefused',
      exchangeBreaker({ kind: 'not_sent', errorClass: 'ConnectionRefused' }),
      'chaos_exchange_downtime',
      'exchange',
      0.85,
    ],
    [
      'exchange breaker after 5xx',
      exchangeBreaker({ kind: 'ambiguous', errorClass: 'ExchangeNotAvailable', httpStatus: 503 }),
      'chaos_exchange_downtime',
      'exchange',
      0.6,
    ],
    [
      'exchange breaker after rate limits',
      exchangeBreaker({ kind: 'rate_limited', errorClass: 'RateLimitExceeded', httpStatus: 429 }),
      'chaos_rate_limit',
      'exchange',
      0.75,
    ],
    [
      'exchange breaker after a gate abort',
      exchangeBreaker({ kind: 'not_sent', errorClass: 'GateAborted' }),
      'dependency',
      'exchange',
      0.5,
    ],
    [
      'exchange breaker after refusals',
      exchangeBreaker({ kind: 'rejected', errorClass: 'InvalidOrder', httpStatus: 400 }),
      'dependency',
      'exchange',
      0.5,
    ],
    ['exchange breaker, cause unknown', exchangeBreaker(), 'dependency', 'exchange', 0.5],
    [
      'database breaker',
      { kind: 'breaker_open', dependency: 'database' },
      'chaos_database_outage',
      'database',
      0.8,
    ],
    ['spool started', { kind: 'spool_started' }, 'chaos_database_outage', 'database', 0.7],
    [
      'HTTP 429',
      { kind: 'rate_limited', httpStatus: 429, retryAfterMs: 1000 },
      'chaos_rate_limit',
      'exchange',
      0.9,
    ],
    ['HTTP 418', { kind: 'rate_limited', httpStatus: 418 }, 'chaos_rate_limit', 'exchange', 0.95],
    [
      'silent exchange',
      { kind: 'heartbeat_overdue', componentId: 'exchange' },
      'connectivity',
      'exchange',
      0.6,
    ],
    [
      'silent market data',
      { kind: 'heartbeat_overdue', componentId: 'market_data' },
      'connectivity',
      'market_data',
      0.6,
    ],
    [
      'silent executor',
      { kind: 'heartbeat_overdue', componentId: 'executor' },
      'resource',
      'executor',
      0.5,
    ],
    [
      'silent strategies',
      { kind: 'heartbeat_overdue', componentId: 'strategies' },
      'resource',
      'strategies',
      0.5,
    ],
    [
      'silent unknown component',
      { kind: 'heartbeat_overdue', componentId: 'pricing_feed' },
      'connectivity',
      'pricing_feed',
      0.4,
    ],
    [
      'latency anomaly',
      { kind: 'anomaly', componentId: 'exchange', metric: 'latencyMs' },
      'performance',
      'exchange',
      0.6,
    ],
    [
      'event-loop anomaly',
      { kind: 'anomaly', componentId: 'executor', metric: 'eventLoopDelayMs' },
      'resource',
      'executor',
      0.6,
    ],
    [
      'error-rate anomaly',
      { kind: 'anomaly', componentId: 'database', metric: 'errorRate' },
      'dependency',
      'database',
      0.6,
    ],
    [
      'anomaly in another metric',
      { kind: 'anomaly', componentId: 'executor', metric: 'widgets' },
      'performance',
      'executor',
      0.4,
    ],
    [
      'one reconcile difference',
      { kind: 'reconcile_differences', count: 1 },
      'data_quality',
      'reconciler',
      0.7,
    ],
    [
      'five reconcile differences',
      { kind: 'reconcile_differences', count: 5 },
      'data_quality',
      'reconciler',
      0.9,
    ],
    [
      'many reconcile differences',
      { kind: 'reconcile_differences', count: 100 },
      'data_quality',
      'reconciler',
      0.95,
    ],
    [
      'no reconcile differences',
      { kind: 'reconcile_differences', count: 0 },
      'data_quality',
      'reconciler',
      0,
    ],
  ];

  it.each(rules)('%s', (_name, signal, failureType, componentId, confidence) => {
    const diagnosis = diagnose(signal);
    expect(diagnosis).toMatchObject({ failureType, componentId });
    expect(diagnosis.confidence).toBeCloseTo(confidence, 10);
    expect(diagnosis.reason).not.toBe('');
  });

  it.each(rules)('message text never changes %s', (_name, signal) => {
    const plain = diagnose(signal);
    for (const message of [
      'connection refused',
      'ECONNREFUSED',
      'timeout',
      'HTTP 429 Too Many Requests',
      'database is down',
      'Simulated network partition',
    ]) {
      expect(diagnose({ ...signal, message })).toEqual(plain);
      // A VenueFailure-like object with text on it (e.g. copied from an error) is read by its codes only.
      if (signal.kind === 'breaker_open' && signal.lastFailure) {
        const lastFailure = { ...signal.lastFailure, message };
        expect(diagnose({ ...signal, lastFailure })).toEqual(plain);
      }
    }
  });

  it('reads transport codes from the class, not from anything else', () => {
    expect(transportCodeOf('NetworkError(ECONNREFUSED)')).toBe('ECONNREFUSED');
    expect(transportCodeOf('RequestTimeout')).toBe('RequestTimeout');
    expect(transportCodeOf('Weird(Name)(ETIMEDOUT)')).toBe('ETIMEDOUT');
  });
});

describe('diagnose with recent signals', () => {
  const partition = exchangeBreaker({ kind: 'ambiguous', errorClass: 'RequestTimeout' });
  const silentExchange: Signal = { kind: 'heartbeat_overdue', componentId: 'exchange' };
  const slowExchange: Signal = { kind: 'anomaly', componentId: 'exchange', metric: 'latencyMs' };

  it('raises confidence when another kind of signal agrees', () => {
    const alone = diagnose(partition);
    const corroborated = diagnose(partition, [silentExchange]);
    expect(corroborated.failureType).toBe('chaos_network_partition');
    // 1 − (1 − 0.85)(1 − 0.6) = 0.94
    expect(corroborated.confidence).toBeCloseTo(0.94, 10);
    expect(corroborated.confidence).toBeGreaterThan(alone.confidence);
    expect(corroborated.reason).toContain('corroborated by heartbeat_overdue');
  });

  it('adds each agreeing kind, capped at 0.99', () => {
    const diagnosis = diagnose(partition, [silentExchange, slowExchange]);
    // 1 − 0.15 × 0.4 × 0.4 = 0.976
    expect(diagnosis.confidence).toBeCloseTo(0.976, 10);
    const spool: Signal = { kind: 'spool_started' };
    const database: Signal = { kind: 'breaker_open', dependency: 'database' };
    const silentDb: Signal = { kind: 'heartbeat_overdue', componentId: 'database' };
    const dbErrors: Signal = { kind: 'anomaly', componentId: 'database', metric: 'errorRate' };
    // 1 − 0.2 × 0.3 × 0.4 × 0.4 = 0.9904, capped.
    expect(diagnose(database, [spool, silentDb, dbErrors]).confidence).toBe(0.99);
  });

  it('counts repeats of one kind once, and the same kind as the signal not at all', () => {
    const once = diagnose(partition, [silentExchange]);
    expect(diagnose(partition, [silentExchange, silentExchange, silentExchange])).toEqual(once);
    expect(diagnose(partition, [partition, partition])).toEqual(diagnose(partition));
  });

  it('ignores signals about other components or unrelated failures', () => {
    const otherComponent: Signal = { kind: 'heartbeat_overdue', componentId: 'database' };
    const unrelated: Signal = { kind: 'reconcile_differences', count: 3 };
    const noFailure: Signal = { kind: 'reconcile_differences', count: 0 };
    expect(diagnose(partition, [otherComponent, unrelated, noFailure])).toEqual(
      diagnose(partition),
    );
    // A rate limit on the exchange does not make a partition likelier.
    expect(diagnose(partition, [{ kind: 'rate_limited', httpStatus: 429 }])).toEqual(
      diagnose(partition),
    );
  });

  it('corroborates a generic diagnosis with a chaos pattern that shows as it', () => {
    const diagnosis = diagnose(silentExchange, [partition]);
    expect(diagnosis.failureType).toBe('connectivity');
    expect(diagnosis.confidence).toBeCloseTo(0.94, 10);
  });

  it('leaves a no-failure diagnosis at zero', () => {
    const none = diagnose({ kind: 'reconcile_differences', count: 0 }, [silentExchange]);
    expect(none.confidence).toBe(0);
  });
});

describe('combineConfidence', () => {
  it('combines independent evidence and clamps inputs', () => {
    expect(combineConfidence([])).toBe(0);
    expect(combineConfidence([0.5])).toBe(0.5);
    expect(combineConfidence([0.5, 0.5])).toBe(0.75);
    expect(combineConfidence([1, 0.2])).toBe(0.99);
    expect(combineConfidence([-1, 2])).toBe(0.99);
  });
});
