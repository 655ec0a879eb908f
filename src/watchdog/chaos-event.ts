import { isJsonObject } from '../common/index.js';
import { FAILURE_TYPES } from './model.js';
import type { ChaosEvent, FailureType } from './model.js';

/** SPEC §5's fields, in SPEC order: the order every CHAOS_EVENT line is written in. */
export const CHAOS_EVENT_FIELDS = [
  'timestamp',
  'event_type',
  'chaos_engineering',
  'component_id',
  'failure_type',
  'error_message',
  'confidence',
  'metadata',
] as const satisfies readonly (keyof ChaosEvent)[];

/** What `chaosEvent()` needs; the timestamp comes from the clock. */
export interface ChaosEventInput {
  /** e.g. failure_detected, alert_raised, recovery_action_completed, component_recovered. */
  eventType: string;
  componentId: string;
  /** Any case: CHAOS_RATE_LIMIT and chaos_rate_limit give the same event. */
  failureType: FailureType | Uppercase<FailureType>;
  /** Default ''. */
  errorMessage?: string;
  /** 0..1. */
  confidence: number;
  /** The announced scenario, if any; goes to metadata.chaos_scenario. */
  chaosScenario?: string;
  /** Default: true when a scenario is announced, since that is when the event belongs to an experiment. */
  chaosEngineering?: boolean;
  /** Extra facts; chaos_scenario here is overridden by `chaosScenario`. */
  metadata?: Record<string, unknown>;
}

/** One CHAOS_EVENT from camel-case input, stamped by `now` (ms since the epoch; default Date.now). */
export function chaosEvent(input: ChaosEventInput, now: () => number = Date.now): ChaosEvent {
  const metadata: ChaosEvent['metadata'] = { ...input.metadata };
  if (input.chaosScenario !== undefined) metadata.chaos_scenario = input.chaosScenario;
  return {
    timestamp: new Date(now()).toISOString(),
    event_type: input.eventType,
    chaos_engineering: input.chaosEngineering ?? input.chaosScenario !== undefined,
    component_id: input.componentId,
    failure_type: input.failureType.toLowerCase(),
    error_message: input.errorMessage ?? '',
    confidence: input.confidence,
    metadata,
  };
}

/** The same event with its fields in SPEC order (JSON keeps insertion order). */
export function orderChaosEvent(event: ChaosEvent): ChaosEvent {
  return Object.fromEntries(
    CHAOS_EVENT_FIELDS.map((field) => [field, event[field]]),
  ) as unknown as ChaosEvent;
}

/** ISO-8601 in UTC with a literal Z, as Date#toISOString writes it (fraction optional). */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** Event types are identifiers (failure_detected), so log queries can match them exactly. */
const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;
const KNOWN_TYPES = new Set<string>(FAILURE_TYPES);

/**
 * Everything wrong with a would-be CHAOS_EVENT, one sentence per problem;
 * empty when it is valid. Checks SPEC §5 field for field: no field missing,
 * none extra, each of its type, failure_type a lower-case FailureType,
 * confidence in 0..1 and timestamp ISO-8601 UTC.
 */
export function validateChaosEvent(value: unknown): string[] {
  if (!isJsonObject(value)) return ['event is not a JSON object'];
  const problems: string[] = [];
  const expected = new Set<string>(CHAOS_EVENT_FIELDS);
  for (const field of CHAOS_EVENT_FIELDS) {
    if (!(field in value)) problems.push(`missing field ${field}`);
  }
  for (const field of Object.keys(value)) {
    if (!expected.has(field)) problems.push(`unexpected field ${field}`);
  }
  problems.push(...checkTimestamp(value.timestamp));
  if ('event_type' in value) problems.push(...checkEventType(value.event_type));
  if ('chaos_engineering' in value && typeof value.chaos_engineering !== 'boolean')
    problems.push('chaos_engineering must be a boolean');
  if ('component_id' in value && (typeof value.component_id !== 'string' || !value.component_id))
    problems.push('component_id must be a non-empty string');
  if ('failure_type' in value) problems.push(...checkFailureType(value.failure_type));
  if ('error_message' in value && typeof value.error_message !== 'string')
    problems.push('error_message must be a string');
  if ('confidence' in value) problems.push(...checkConfidence(value.confidence));
  if ('metadata' in value) problems.push(...checkMetadata(value.metadata));
  return problems;
}

function checkTimestamp(timestamp: unknown): string[] {
  if (timestamp === undefined) return [];
  if (typeof timestamp !== 'string' || !ISO_UTC.test(timestamp) || isNaN(Date.parse(timestamp)))
    return [`timestamp must be ISO-8601 UTC (…Z), got ${JSON.stringify(timestamp)}`];
  return [];
}

function checkEventType(eventType: unknown): string[] {
  if (typeof eventType !== 'string' || !SNAKE_CASE.test(eventType))
    return [`event_type must be a lower-case snake_case string, got ${JSON.stringify(eventType)}`];
  return [];
}

function checkFailureType(failureType: unknown): string[] {
  if (typeof failureType !== 'string') return ['failure_type must be a string'];
  const problems: string[] = [];
  if (failureType !== failureType.toLowerCase())
    problems.push(`failure_type must be lower-case, got ${failureType}`);
  if (!KNOWN_TYPES.has(failureType.toLowerCase()))
    problems.push(`failure_type ${failureType} is not a known failure type`);
  return problems;
}

function checkConfidence(confidence: unknown): string[] {
  if (typeof confidence !== 'number' || !Number.isFinite(confidence))
    return ['confidence must be a finite number'];
  if (confidence < 0 || confidence > 1)
    return [`confidence must be within 0..1, got ${confidence}`];
  return [];
}

function checkMetadata(metadata: unknown): string[] {
  if (!isJsonObject(metadata)) return ['metadata must be a JSON object'];
  if ('chaos_scenario' in metadata && typeof metadata.chaos_scenario !== 'string')
    return ['metadata.chaos_scenario must be a string'];
  return [];
}
