import { describe, expect, it } from 'vitest';
import {
  CHAOS_EVENT_FIELDS,
  chaosEvent,
  orderChaosEvent,
  validateChaosEvent,
} from './chaos-event.js';
import type { ChaosEvent } from './model.js';

const at = Date.UTC(2023, 11, 1, 2, 0, 30);

function valid(): ChaosEvent {
  return chaosEvent(
    {
      eventType: 'failure_detected',
      componentId: 'exchange',
      failureType: 'chaos_network_partition',
      errorMessage: 'exchange breaker open',
      confidence: 0.85,
      chaosScenario: 'network_partition',
    },
    () => at,
  );
}

describe('chaosEvent', () => {
  it('stamps the clock as ISO-8601 UTC and fills SPEC §5 in order', () => {
    const event = valid();
    expect(event).toEqual({
      timestamp: '2023-12-01T02:00:30.000Z',
      event_type: 'failure_detected',
      chaos_engineering: true,
      component_id: 'exchange',
      failure_type: 'chaos_network_partition',
      error_message: 'exchange breaker open',
      confidence: 0.85,
      metadata: { chaos_scenario: 'network_partition' },
    });
    expect(Object.keys(event)).toEqual([...CHAOS_EVENT_FIELDS]);
    expect(validateChaosEvent(event)).toEqual([]);
  });

  it('lower-cases SPEC §1 names and defaults chaos_engineering to whether a scenario runs', () => {
    const event = chaosEvent(
      {
        eventType: 'alert_raised',
        componentId: 'exchange',
        failureType: 'CHAOS_RATE_LIMIT',
        confidence: 1,
      },
      () => at,
    );
    expect(event.failure_type).toBe('chaos_rate_limit');
    expect(event.chaos_engineering).toBe(false);
    expect(event.error_message).toBe('');
    expect(event.metadata).toEqual({});
    expect(validateChaosEvent(event)).toEqual([]);
  });

  it('keeps extra metadata beside the scenario', () => {
    const event = chaosEvent(
      {
        eventType: 'recovery_action_completed',
        componentId: 'database',
        failureType: 'chaos_database_outage',
        confidence: 0.8,
        chaosScenario: 'database_outage',
        metadata: { action: 'drain_spool', durationMs: 12, chaos_scenario: 'overridden' },
      },
      () => at,
    );
    expect(event.metadata).toEqual({
      action: 'drain_spool',
      durationMs: 12,
      chaos_scenario: 'database_outage',
    });
  });
});

describe('orderChaosEvent', () => {
  it('puts the fields in SPEC order whatever order they came in', () => {
    const { metadata, confidence, ...rest } = valid();
    const shuffled = { metadata, confidence, ...rest } as ChaosEvent;
    expect(Object.keys(orderChaosEvent(shuffled))).toEqual([...CHAOS_EVENT_FIELDS]);
  });
});

describe('validateChaosEvent', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['upper-case failure_type', { failure_type: 'CHAOS_NETWORK_PARTITION' }, /must be lower-case/],
    ['unknown failure_type', { failure_type: 'meteor_strike' }, /not a known failure type/],
    ['confidence 1.5', { confidence: 1.5 }, /within 0\.\.1/],
    ['negative confidence', { confidence: -0.1 }, /within 0\.\.1/],
    ['confidence as a string', { confidence: '0.9' }, /finite number/],
    ['local time', { timestamp: '2023-12-01T02:00:30.000+01:00' }, /ISO-8601 UTC/],
    ['a date only', { timestamp: '2023-12-01' }, /ISO-8601 UTC/],
    ['an impossible date', { timestamp: '2023-13-45T02:00:30Z' }, /ISO-8601 UTC/],
    ['epoch ms', { timestamp: at }, /ISO-8601 UTC/],
    ['chaos_engineering as a string', { chaos_engineering: 'true' }, /boolean/],
    ['empty component_id', { component_id: '' }, /non-empty string/],
    ['event_type in capitals', { event_type: 'FAILURE' }, /snake_case/],
    ['error_message missing a string', { error_message: null }, /error_message must be a string/],
    ['metadata an array', { metadata: [] }, /metadata must be a JSON object/],
    [
      'chaos_scenario a number',
      { metadata: { chaos_scenario: 1 } },
      /chaos_scenario must be a string/,
    ],
  ];

  it.each(cases)('catches %s', (_name, patch, problem) => {
    const problems = validateChaosEvent({ ...valid(), ...patch });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it('names missing and extra fields', () => {
    const event: Record<string, unknown> = { ...valid(), level: 'info' };
    delete event.confidence;
    expect(validateChaosEvent(event)).toEqual([
      'missing field confidence',
      'unexpected field level',
    ]);
  });

  it('rejects what is not an object', () => {
    expect(validateChaosEvent(null)).toEqual(['event is not a JSON object']);
    expect(validateChaosEvent([valid()])).toEqual(['event is not a JSON object']);
  });

  it('accepts the seed example', () => {
    const seed = {
      timestamp: '2023-12-01T02:00:30.000Z',
      event_type: 'chaos_failure_detected',
      chaos_engineering: true,
      component_id: 'order_executor',
      failure_type: 'chaos_network_partition',
      error_message: 'Simulated network partition',
      confidence: 0.95,
      metadata: { chaos_scenario: 'network_partition' },
    };
    expect(validateChaosEvent(seed)).toEqual([]);
  });
});
