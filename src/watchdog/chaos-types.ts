import type { FailureType } from './model.js';

/** The failure types that name a built-in chaos scenario's pattern (SPEC §1). */
export type ChaosFailureType = Extract<FailureType, `chaos_${string}`>;

/** SPEC §1's upper-case names of the chaos failure types, as reports print them. */
export const CHAOS_TYPE_NAMES: Readonly<Record<ChaosFailureType, Uppercase<ChaosFailureType>>> = {
  chaos_network_partition: 'CHAOS_NETWORK_PARTITION',
  chaos_rate_limit: 'CHAOS_RATE_LIMIT',
  chaos_exchange_downtime: 'CHAOS_EXCHANGE_DOWNTIME',
  chaos_database_outage: 'CHAOS_DATABASE_OUTAGE',
};

/** The failure type each built-in scenario injects, by scenario name (SPEC §1). */
export const SCENARIO_FAILURE_TYPES: Readonly<Record<string, ChaosFailureType>> = {
  network_partition: 'chaos_network_partition',
  rate_limit_flood: 'chaos_rate_limit',
  exchange_downtime: 'chaos_exchange_downtime',
  database_outage: 'chaos_database_outage',
};

/** Whether a failure type (lower-case) is one of the four chaos patterns. */
export function isChaosType(type: string): type is ChaosFailureType {
  return Object.hasOwn(CHAOS_TYPE_NAMES, type);
}

/** SPEC §1's name of a chaos type (CHAOS_NETWORK_PARTITION); undefined for the generic types. */
export function chaosTypeName(type: string): Uppercase<ChaosFailureType> | undefined {
  return isChaosType(type) ? CHAOS_TYPE_NAMES[type] : undefined;
}

/** A chaos type from SPEC §1's upper-case name or the lower-case one; undefined otherwise. */
export function chaosTypeOf(name: string): ChaosFailureType | undefined {
  const lower = name.toLowerCase();
  return isChaosType(lower) ? lower : undefined;
}
