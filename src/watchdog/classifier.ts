import type { FailureType } from './model.js';

/**
 * The facts of a failed venue request the rules read: structurally the
 * engine's VenueFailure, so one can be passed as is.
 */
export interface FailureFacts {
  kind: 'rejected' | 'rate_limited' | 'not_found' | 'duplicate' | 'not_sent' | 'ambiguous';
  /** The ccxt class or error name, with the Node / undici code in brackets: `NetworkError(ECONNREFUSED)`. */
  errorClass: string;
  httpStatus?: number | undefined;
}

/** Free text for people; no rule ever reads it. */
interface Described {
  message?: string;
}

/** What the engine told the watchdog, reduced to the facts the rules read. */
export type Signal = Described &
  (
    | { kind: 'breaker_open'; dependency: 'exchange' | 'database'; lastFailure?: FailureFacts }
    | { kind: 'rate_limited'; httpStatus: 429 | 418; retryAfterMs?: number }
    | { kind: 'spool_started' }
    | { kind: 'heartbeat_overdue'; componentId: string }
    | { kind: 'anomaly'; componentId: string; metric: string }
    | { kind: 'reconcile_differences'; count: number }
    /** Requests to a dependency sent and unanswered for far longer than it ever takes. */
    | { kind: 'requests_stalled'; dependency: 'exchange'; oldestMs: number }
    /** A connection to a dependency refused outright: nothing listens there. */
    | { kind: 'connection_refused'; dependency: 'exchange' }
    /** The engine's own event loop did not run for this long: every component stalled at once. */
    | { kind: 'event_loop_blocked'; blockedMs: number }
  );

/** What the watchdog concluded from a signal. */
export interface Diagnosis {
  failureType: FailureType;
  componentId: string;
  /** 0..1; 0 means the signal shows no failure. */
  confidence: number;
  /** Which rule decided, in words, for alerts and reports. */
  reason: string;
}

/** Codes of connections the far side refused: the process is down, the network is fine. */
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ConnectionRefused']);
/** Codes of connections that got no answer at all: the black-hole pattern. */
const UNREACHABLE_CODES = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** Classes and codes of requests that were sent and timed out waiting. */
const TIMEOUT_CODES = new Set([
  'RequestTimeout',
  'TimeoutError',
  'ETIMEDOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Components whose work crosses the network: a silent one most likely lost its link. The rest run in-process. */
const NETWORK_COMPONENTS = new Set(['exchange', 'database', 'market_data']);
const IN_PROCESS_COMPONENTS = new Set(['executor', 'reconciler', 'strategies']);

/** The failure type an anomaly in each metric points to; other metrics count as performance. */
export const METRIC_FAILURE_TYPES: Readonly<Record<string, FailureType>> = {
  latencyMs: 'performance',
  commitMs: 'performance',
  errorRate: 'dependency',
  eventLoopDelayMs: 'resource',
  heapUsedBytes: 'resource',
  rssBytes: 'resource',
  inFlight: 'resource',
};

/**
 * Generic types each chaos pattern also shows as, so e.g. a silent exchange
 * heartbeat (connectivity) corroborates a network partition.
 */
const SHOWS_AS: Readonly<Partial<Record<FailureType, readonly FailureType[]>>> = {
  chaos_network_partition: ['connectivity', 'performance'],
  chaos_exchange_downtime: ['connectivity', 'dependency'],
  chaos_rate_limit: ['dependency', 'performance'],
  chaos_database_outage: ['dependency', 'connectivity'],
};

/** Corroboration never makes a diagnosis certain. */
const MAX_CONFIDENCE = 0.99;

/**
 * Diagnoses one signal by its codes, statuses and classes, never by message
 * text. The rules and their confidences (higher where the evidence names the
 * pattern outright, lower where several causes fit):
 *
 * | signal | facts | failure type | confidence |
 * |---|---|---|---|
 * | rate_limited | HTTP 418 (ban) / 429 | chaos_rate_limit | 0.95 / 0.9 |
 * | breaker_open exchange | not_sent, ECONNREFUSED | chaos_exchange_downtime | 0.85 |
 * | breaker_open exchange | ambiguous, no status, a timeout class/code | chaos_network_partition | 0.85 |
 * | breaker_open exchange | ambiguous, no status (reset, other) | chaos_network_partition | 0.7 |
 * | breaker_open exchange | not_sent, EHOSTUNREACH / ENETUNREACH / connect timeout | chaos_network_partition | 0.7 |
 * | breaker_open exchange | ambiguous, HTTP 5xx | chaos_exchange_downtime | 0.6 |
 * | breaker_open exchange | rate_limited | chaos_rate_limit | 0.75 |
 * | breaker_open exchange | anything else, or no failure given | dependency | 0.5 |
 * | breaker_open database | — | chaos_database_outage | 0.8 |
 * | spool_started | — | chaos_database_outage | 0.7 |
 * | connection_refused | exchange | chaos_exchange_downtime | 0.75 |
 * | event_loop_blocked | — | resource (component engine) | 0.8 |
 * | heartbeat_overdue | exchange, database, market_data / executor, reconciler, strategies / other | connectivity / resource / connectivity | 0.6 / 0.5 / 0.4 |
 * | anomaly | metric in METRIC_FAILURE_TYPES / other | its type / performance | 0.6 / 0.4 |
 * | reconcile_differences | count n ≥ 1 / 0 | data_quality | min(0.95, 0.7 + 0.05(n − 1)) / 0 |
 *
 * `recent` signals that agree (same component, same or related failure type,
 * a different kind of signal) raise the confidence, combined as independent
 * evidence: 1 − Π(1 − cᵢ), each kind counted once at its best, at most 0.99.
 */
export function diagnose(signal: Signal, recent: readonly Signal[] = []): Diagnosis {
  const primary = diagnoseOne(signal);
  if (primary.confidence === 0) return primary;
  const best = new Map<Signal['kind'], number>();
  for (const other of recent) {
    if (other.kind === signal.kind) continue;
    const diagnosis = diagnoseOne(other);
    if (!agree(primary, diagnosis)) continue;
    best.set(other.kind, Math.max(best.get(other.kind) ?? 0, diagnosis.confidence));
  }
  if (best.size === 0) return primary;
  const confidence = combineConfidence([primary.confidence, ...best.values()]);
  const reason = `${primary.reason}; corroborated by ${[...best.keys()].join(', ')}`;
  return { ...primary, confidence, reason };
}

/** Independent evidence combined: 1 − Π(1 − cᵢ), capped at 0.99. */
export function combineConfidence(confidences: readonly number[]): number {
  const doubt = confidences.reduce((product, c) => product * (1 - clamp01(c)), 1);
  return round(Math.min(MAX_CONFIDENCE, 1 - doubt));
}

/** One signal's diagnosis, without corroboration. */
function diagnoseOne(signal: Signal): Diagnosis {
  switch (signal.kind) {
    case 'breaker_open':
      if (signal.dependency === 'database')
        return found('chaos_database_outage', 'database', 0.8, 'database breaker open');
      return exchangeBreaker(signal.lastFailure);
    case 'rate_limited':
      // 418 is the ban that follows ignored 429s: the stronger evidence.
      return signal.httpStatus === 418
        ? found('chaos_rate_limit', 'exchange', 0.95, 'exchange banned the client (HTTP 418)')
        : found('chaos_rate_limit', 'exchange', 0.9, 'exchange rate-limited (HTTP 429)');
    case 'spool_started':
      return found(
        'chaos_database_outage',
        'database',
        0.7,
        'journal spooling: database writes fail',
      );
    case 'heartbeat_overdue':
      return overdueHeartbeat(signal.componentId);
    case 'anomaly':
      return anomaly(signal.componentId, signal.metric);
    case 'reconcile_differences':
      return reconcileDifferences(signal.count);
    case 'connection_refused':
      // Early evidence, before any breaker opens: its verdict (0.85) outranks this.
      return found(
        'chaos_exchange_downtime',
        signal.dependency,
        0.75,
        'connection refused: nothing listens at the exchange',
      );
    case 'event_loop_blocked':
      return found(
        'resource',
        'engine',
        0.8,
        `the engine's event loop was blocked for ${Math.round(signal.blockedMs)} ms`,
      );
    case 'requests_stalled':
      // Early evidence of a black hole, before any timeout: the breaker's verdict outranks it.
      return found(
        'chaos_network_partition',
        signal.dependency,
        0.6,
        `requests unanswered for ${Math.round(signal.oldestMs)} ms`,
      );
  }
}

/** Why the exchange breaker opened, from the last failure it counted. */
function exchangeBreaker(failure: FailureFacts | undefined): Diagnosis {
  const exchange = (type: FailureType, confidence: number, reason: string): Diagnosis =>
    found(type, 'exchange', confidence, `exchange breaker open: ${reason}`);
  if (failure === undefined) return exchange('dependency', 0.5, 'cause unknown');
  const code = transportCodeOf(failure.errorClass);
  if (failure.kind === 'not_sent') {
    if (REFUSED_CODES.has(code)) return exchange('chaos_exchange_downtime', 0.85, 'refused');
    if (UNREACHABLE_CODES.has(code))
      return exchange('chaos_network_partition', 0.7, `unreachable (${code})`);
    return exchange('dependency', 0.5, `not sent (${code})`);
  }
  if (failure.kind === 'ambiguous') {
    if (failure.httpStatus === undefined && TIMEOUT_CODES.has(code))
      return exchange('chaos_network_partition', 0.85, `no answer (${code})`);
    if (failure.httpStatus === undefined)
      return exchange('chaos_network_partition', 0.7, `connection lost (${code})`);
    if (failure.httpStatus >= 500)
      return exchange('chaos_exchange_downtime', 0.6, `HTTP ${failure.httpStatus}`);
  }
  if (failure.kind === 'rate_limited') return exchange('chaos_rate_limit', 0.75, 'rate-limited');
  return exchange('dependency', 0.5, `${failure.kind} (${code})`);
}

function overdueHeartbeat(componentId: string): Diagnosis {
  const reason = `no heartbeat from ${componentId}`;
  if (NETWORK_COMPONENTS.has(componentId))
    return found('connectivity', componentId, 0.6, `${reason}: its link is down`);
  // An in-process component that stops beating means the process is starved (event loop, memory).
  if (IN_PROCESS_COMPONENTS.has(componentId))
    return found('resource', componentId, 0.5, `${reason}: the process is starved`);
  // Unknown components most likely beat from elsewhere, across a link.
  return found('connectivity', componentId, 0.4, reason);
}

function anomaly(componentId: string, metric: string): Diagnosis {
  const type = METRIC_FAILURE_TYPES[metric];
  const reason = `${metric} of ${componentId} above its baseline`;
  return type === undefined
    ? found('performance', componentId, 0.4, reason)
    : found(type, componentId, 0.6, reason);
}

function reconcileDifferences(count: number): Diagnosis {
  if (count <= 0) return found('data_quality', 'reconciler', 0, 'journal and exchange agree');
  // Each further difference makes a one-off glitch less likely.
  const confidence = Math.min(0.95, 0.7 + 0.05 * (count - 1));
  return found('data_quality', 'reconciler', confidence, `${count} journal/exchange differences`);
}

/** `NetworkError(ECONNREFUSED)` → ECONNREFUSED; a bare class or code is its own. */
export function transportCodeOf(errorClass: string): string {
  const match = /\(([^()]+)\)$/.exec(errorClass);
  return match?.[1] ?? errorClass;
}

function agree(a: Diagnosis, b: Diagnosis): boolean {
  if (a.componentId !== b.componentId || b.confidence === 0) return false;
  if (a.failureType === b.failureType) return true;
  return (
    (SHOWS_AS[a.failureType]?.includes(b.failureType) ?? false) ||
    (SHOWS_AS[b.failureType]?.includes(a.failureType) ?? false)
  );
}

function found(
  failureType: FailureType,
  componentId: string,
  confidence: number,
  reason: string,
): Diagnosis {
  return { failureType, componentId, confidence, reason };
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** Three decimals: confidences are estimates, and reports compare them. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
