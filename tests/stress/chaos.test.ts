import { describe, expect, it } from 'vitest';
import { readChaosRun, writeChaosRun } from '../../src/report/index.js';
import { failedChecks, quickSuite, scenario, scratchDir } from '../support/chaos-run.js';

/**
 * The four built-in scenarios in quick mode (SPEC §3:
 * `npx vitest run tests/stress/chaos.test.ts -t network_partition`), each on
 * its own real stack: proxy faults, the engine in a child process, the
 * embedded database. Each must pass every SPEC §1 check, and its report
 * must read back with the SPEC's keys.
 */
const scratch = scratchDir();

async function runAndCheck(name: string): Promise<void> {
  const suite = await quickSuite([scenario(name)], scratch());
  const [result] = suite.results;
  expect(result, 'one result').toBeDefined();
  expect(result!.error).toBeUndefined();
  expect(failedChecks(result!)).toEqual([]);
  expect(result!.passed).toBe(true);
  expect(result!.invariants).toMatchObject({ lost: 0, duplicated: 0, unresolved: 0, ok: true });
  expect(result!.counts.baseline.orders).toBeGreaterThan(0);
  expect(result!.counts.recovery.orders).toBeGreaterThan(0);
  expect(result!.watchdog.diagnosisCorrect).toBe(true);

  const dir = await writeChaosRun(
    scratch(),
    {
      ...{ startedAt: suite.startedAt, endedAt: suite.endedAt, mode: 'sequential' as const },
      ...{ parallel: false, seed: 42, soakSeconds: null, aborted: false },
    },
    suite.results,
  );
  const { summary, reports } = await readChaosRun(dir);
  expect(summary.results).toMatchObject({ passed_scenarios: 1, failed_scenarios: 0 });
  expect(reports[0]!.validation).toEqual({
    recovery_detected: true,
    recovery_time_seconds: result!.recovery.seconds,
    sla_met: true,
    failure_rate_acceptable: true,
    watchdog_alerts_fired: true,
    recovery_events_logged: true,
  });
}

describe('chaos scenarios (quick)', () => {
  it('test_network_partition_chaos', () => runAndCheck('network_partition'), 90_000);
  it('test_rate_limit_flood_chaos', () => runAndCheck('rate_limit_flood'), 90_000);
  it('test_exchange_downtime_chaos', () => runAndCheck('exchange_downtime'), 90_000);
  it('test_database_outage_chaos', () => runAndCheck('database_outage'), 90_000);
});
