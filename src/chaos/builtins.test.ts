import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseToxicSpec, toxicDefinition } from '../proxy/index.js';
import { BUILT_IN_SCENARIOS, builtInScenario, quickScenario } from './builtins.js';
import type { Scenario } from './model.js';
import { TARGET_PROXY_MODES, parseScenarioDocument } from './scenario-file.js';

/** A scenario as a user would write it in a file, snake_case. */
function asDocument(scenario: Scenario): Record<string, unknown> {
  return {
    name: scenario.name,
    description: scenario.description,
    failure_type: scenario.failureType,
    target: scenario.target,
    baseline_seconds: scenario.baselineSeconds,
    chaos_seconds: scenario.chaosSeconds,
    sla_recovery_seconds: scenario.slaRecoverySeconds,
    recovery_timeout_seconds: scenario.recoveryTimeoutSeconds,
    expected_failure_rate: scenario.expectedFailureRate,
    failure_band: scenario.failureBand,
    recovery_tolerance_percent: scenario.recoveryTolerancePercent,
    faults: scenario.faults.map((fault) => ({
      target: fault.target,
      toxic: fault.toxic,
      toxicity: fault.toxicity,
      scope: fault.scope,
      stream: fault.stream,
      attributes: fault.attributes,
      start_seconds: fault.startSeconds,
      ...(fault.durationSeconds !== undefined && { duration_seconds: fault.durationSeconds }),
    })),
  };
}

describe('built-in scenarios', () => {
  it("are SPEC §1's four, in order, with their windows, bands and SLAs", () => {
    const table = BUILT_IN_SCENARIOS.map((s) => [
      s.name,
      s.failureType,
      s.target,
      s.faults[0]?.toxic,
      s.faults[0]?.toxicity,
      s.chaosSeconds,
      s.failureBand,
      s.expectedFailureRate,
      s.slaRecoverySeconds,
    ]);
    expect(table).toEqual([
      [
        'network_partition',
        'chaos_network_partition',
        'exchange',
        'http_timeout',
        1,
        60,
        { min: 90, max: 100 },
        100,
        30,
      ],
      [
        'rate_limit_flood',
        'chaos_rate_limit',
        'exchange',
        'http_status',
        0.5,
        30,
        { min: 40, max: 60 },
        50,
        45,
      ],
      [
        'exchange_downtime',
        'chaos_exchange_downtime',
        'exchange',
        'disabled',
        1,
        300,
        { min: 95, max: 100 },
        100,
        60,
      ],
      [
        'database_outage',
        'chaos_database_outage',
        'database',
        'reset_peer',
        0.8,
        120,
        { min: 70, max: 90 },
        80,
        90,
      ],
    ]);
  });

  it('share the baseline, recovery timeout, tolerance and fault timing', () => {
    for (const scenario of BUILT_IN_SCENARIOS) {
      expect(scenario.baselineSeconds).toBe(30);
      expect(scenario.recoveryTimeoutSeconds).toBe(2 * scenario.slaRecoverySeconds);
      expect(scenario.recoveryTolerancePercent).toBe(10);
      expect(scenario.description).toMatch(/^[A-Z].{20,}\.$/);
      expect(scenario.faults).toHaveLength(1);
      expect(scenario.faults[0]).toMatchObject({
        target: scenario.target,
        stream: 'downstream',
        startSeconds: 0,
        durationSeconds: undefined,
      });
    }
  });

  it("fault with toxics the proxy accepts, in the target proxy's mode", () => {
    for (const { target, toxic, toxicity, stream, attributes } of BUILT_IN_SCENARIOS.flatMap(
      (scenario) => scenario.faults,
    )) {
      if (toxic === 'disabled') {
        expect(attributes).toEqual({});
        continue;
      }
      expect(toxicDefinition(toxic)?.modes).toContain(TARGET_PROXY_MODES[target]);
      const spec = parseToxicSpec({ type: toxic, toxicity, stream, attributes });
      // The proxy keeps the attributes as written: none is ignored or replaced by a default.
      expect(spec.attributes).toEqual(attributes);
    }
  });

  it('answer a rate limit as Binance does', () => {
    expect(builtInScenario('rate_limit_flood')?.faults[0]?.attributes).toMatchObject({
      status: 429,
      headers: { 'Retry-After': '1', 'Content-Type': 'application/json' },
    });
    const body = builtInScenario('rate_limit_flood')?.faults[0]?.attributes.body;
    expect(JSON.parse(body as string)).toMatchObject({ code: -1003 });
  });

  it('obey the rules of a user scenario file', () => {
    const text = stringify({ scenarios: BUILT_IN_SCENARIOS.map(asDocument) });
    expect(parseScenarioDocument(text, 'builtins.yaml')).toEqual(BUILT_IN_SCENARIOS);
  });

  it('are looked up by name as copies, leaving the catalogue frozen', () => {
    const scenario = builtInScenario('database_outage');
    expect(scenario).toEqual(BUILT_IN_SCENARIOS[3]);
    expect(scenario).not.toBe(BUILT_IN_SCENARIOS[3]);
    scenario!.faults[0]!.toxicity = 0;
    expect(BUILT_IN_SCENARIOS[3]!.faults[0]!.toxicity).toBe(0.8);
    expect(Object.isFrozen(BUILT_IN_SCENARIOS[3]!.faults[0]!.attributes)).toBe(true);
    expect(builtInScenario('Database_Outage')).toBeUndefined();
    expect(builtInScenario('toString')).toBeUndefined();
  });
});

describe('quickScenario', () => {
  it('compresses the windows and keeps SLAs, bands and the recovery timeout', () => {
    for (const scenario of BUILT_IN_SCENARIOS) {
      const quick = quickScenario(scenario);
      expect(quick).toEqual({
        ...scenario,
        baselineSeconds: 3,
        chaosSeconds: 5,
      });
    }
  });

  it('scales fault timing with the chaos window, in a new object', () => {
    const scenario = structuredClone(BUILT_IN_SCENARIOS[2]!);
    scenario.faults = [
      { ...scenario.faults[0]!, startSeconds: 150, durationSeconds: 60 },
      { ...scenario.faults[0]!, startSeconds: 30, durationSeconds: undefined },
    ];
    const before = structuredClone(scenario);
    const quick = quickScenario(scenario);
    expect(quick.faults.map((f) => [f.startSeconds, f.durationSeconds])).toEqual([
      [2.5, 1],
      [0.5, undefined],
    ]);
    expect(scenario).toEqual(before);
    expect(quick.faults[0]).not.toBe(scenario.faults[0]);
  });

  it('leaves short windows alone', () => {
    const scenario = { ...structuredClone(BUILT_IN_SCENARIOS[0]!), baselineSeconds: 2 };
    scenario.chaosSeconds = 5;
    scenario.faults[0]!.startSeconds = 1;
    scenario.faults[0]!.durationSeconds = 3;
    expect(quickScenario(scenario)).toEqual(scenario);
  });

  it('keeps every fault inside the compressed window', () => {
    const timing = fc
      .record({
        chaos: fc.double({ min: 0.5, max: 86_400, noNaN: true }),
        start: fc.double({ min: 0, max: 0.999, noNaN: true }),
        duration: fc.option(fc.double({ min: 0.001, max: 1, noNaN: true }), { nil: undefined }),
      })
      .map(({ chaos, start, duration }) => ({
        chaos,
        start: start * chaos,
        duration: duration === undefined ? undefined : duration * (chaos - start * chaos),
      }));
    fc.assert(
      fc.property(timing, ({ chaos, start, duration }) => {
        const scenario = structuredClone(BUILT_IN_SCENARIOS[0]!);
        scenario.chaosSeconds = chaos;
        scenario.faults[0]!.startSeconds = start;
        scenario.faults[0]!.durationSeconds = duration;
        const quick = quickScenario(scenario);
        const fault = quick.faults[0]!;
        const factor = quick.chaosSeconds / chaos;
        expect(quick.chaosSeconds).toBeLessThanOrEqual(6);
        expect(fault.startSeconds).toBeCloseTo(start * factor, 9);
        expect(fault.startSeconds).toBeLessThanOrEqual(quick.chaosSeconds);
        if (duration === undefined) {
          expect(fault.durationSeconds).toBeUndefined();
          return;
        }
        expect(fault.durationSeconds).toBeCloseTo(duration * factor, 9);
        expect(fault.startSeconds + fault.durationSeconds!).toBeLessThanOrEqual(
          quick.chaosSeconds + 1e-9,
        );
      }),
    );
  });
});
