import { describe, expect, it } from 'vitest';
import {
  CHAOS_TYPE_NAMES,
  SCENARIO_FAILURE_TYPES,
  chaosTypeName,
  chaosTypeOf,
  isChaosType,
} from './chaos-types.js';
import { FAILURE_TYPES } from './model.js';

describe('chaos types', () => {
  it('tells the four chaos patterns from the generic types', () => {
    expect(FAILURE_TYPES.filter(isChaosType)).toEqual([
      'chaos_network_partition',
      'chaos_rate_limit',
      'chaos_exchange_downtime',
      'chaos_database_outage',
    ]);
    expect(isChaosType('CHAOS_RATE_LIMIT')).toBe(false);
    expect(isChaosType('toString')).toBe(false);
  });

  it("maps to and from SPEC §1's upper-case names", () => {
    for (const [type, name] of Object.entries(CHAOS_TYPE_NAMES)) {
      expect(name).toBe(type.toUpperCase());
      expect(chaosTypeName(type)).toBe(name);
      expect(chaosTypeOf(name)).toBe(type);
      expect(chaosTypeOf(type)).toBe(type);
    }
    expect(chaosTypeName('connectivity')).toBeUndefined();
    expect(chaosTypeOf('CONNECTIVITY')).toBeUndefined();
  });

  it('names the failure type of each built-in scenario', () => {
    expect(SCENARIO_FAILURE_TYPES).toEqual({
      network_partition: 'chaos_network_partition',
      rate_limit_flood: 'chaos_rate_limit',
      exchange_downtime: 'chaos_exchange_downtime',
      database_outage: 'chaos_database_outage',
    });
  });
});
