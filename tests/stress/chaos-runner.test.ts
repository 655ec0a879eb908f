import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { roundOrder, runScenario, type Scenario } from '../../src/chaos/index.js';
import { closeServer, listen, SeededRandom } from '../../src/common/index.js';
import { createProxyServer, ProxyClient } from '../../src/proxy/index.js';
import { createStack } from '../../src/stack/index.js';
import { BuiltinSystem } from '../../src/sut/index.js';
import { failedChecks, quickSuite, scenario, scratchDir } from '../support/chaos-run.js';

const scratch = scratchDir();

/** Two seconds of exchange downtime: a whole run without waiting on real windows. */
function tinyScenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    name: 'blip',
    description: 'Exchange switched off for two seconds',
    failureType: 'chaos_exchange_downtime',
    target: 'exchange',
    baselineSeconds: 1,
    chaosSeconds: 2,
    recoveryTimeoutSeconds: 20,
    slaRecoverySeconds: 10,
    expectedFailureRate: 100,
    failureBand: { min: 95, max: 100 },
    recoveryTolerancePercent: 10,
    faults: [
      {
        target: 'exchange',
        toxic: 'disabled',
        toxicity: 1,
        scope: 'connection',
        stream: 'downstream',
        attributes: {},
        startSeconds: 0,
        durationSeconds: undefined,
      },
    ],
    ...overrides,
  };
}

describe('chaos runner: reproducibility', () => {
  it('random mode: the same seed gives the same order, round after round', () => {
    const names = ['network_partition', 'rate_limit_flood', 'exchange_downtime', 'database_outage'];
    const rounds = (seed: number) => {
      const random = new SeededRandom(seed);
      return [1, 2, 3].map(() => roundOrder(names, 'random', random).join());
    };
    expect(rounds(7)).toEqual(rounds(7));
    const orders = new Set([1, 2, 3, 4, 5, 6].flatMap((seed) => rounds(seed)));
    expect(orders.size).toBeGreaterThan(1);
    expect(roundOrder(names, 'sequential', new SeededRandom(7))).toEqual(names);
  });

  it('the same seed draws the same faults at the proxy', async () => {
    const upstream = createServer((_req, res) => res.end('ok'));
    const port = await listen(upstream, '127.0.0.1', 0);
    const pattern = async (seed: number) => {
      const server = await createProxyServer({ port: 0, seed });
      try {
        const client = new ProxyClient(server.url);
        const [proxy] = await client.populate([
          { name: 'exchange', upstream: `127.0.0.1:${port}`, mode: 'http' },
        ]);
        await client.addToxic('exchange', {
          type: 'http_status',
          toxicity: 0.5,
          attributes: { status: 429 },
        });
        const statuses: number[] = [];
        for (let i = 0; i < 24; i += 1)
          statuses.push((await fetch(`http://${proxy!.listen}/`)).status);
        return statuses.join();
      } finally {
        await server.close();
      }
    };
    try {
      const first = await pattern(11);
      expect(await pattern(11)).toBe(first);
      expect(first.split(',').filter((status) => status === '429')).toHaveLength(12);
      const others = await Promise.all([12, 13, 14].map(pattern));
      expect(others.some((other) => other !== first)).toBe(true);
    } finally {
      await closeServer(upstream);
    }
  });
});

describe('chaos runner: modes', () => {
  it('--parallel runs each scenario on its own stack: one fault does not leak into the other', async () => {
    const suite = await quickSuite(
      [scenario('network_partition'), scenario('rate_limit_flood')],
      scratch(),
      { parallel: true },
    );
    const byName = new Map(suite.results.map((result) => [result.scenario.name, result]));
    expect([...byName.keys()].sort()).toEqual(['network_partition', 'rate_limit_flood']);
    for (const result of suite.results) expect(failedChecks(result)).toEqual([]);
    // Overlapping in time, yet each measured only its own fault.
    const [a, b] = suite.results;
    expect(a!.startedAt).toBeLessThan(b!.endedAt);
    expect(b!.startedAt).toBeLessThan(a!.endedAt);
    expect(byName.get('rate_limit_flood')!.chaosFailureRate).toBeLessThanOrEqual(60);
  }, 120_000);

  it('--duration soaks: the selection repeats until the time is up, one result per iteration', async () => {
    // One run of this scenario takes about 8 s (its stack's start-up included).
    const suite = await quickSuite([tinyScenario()], scratch(), { quick: false, soakSeconds: 12 });
    expect(suite.results.length).toBeGreaterThanOrEqual(2);
    expect(suite.results.map((result) => result.iteration)).toEqual(
      suite.results.map((_, i) => i + 1),
    );
    for (const result of suite.results) expect(failedChecks(result)).toEqual([]);
    expect(suite.endedAt.getTime() - suite.startedAt.getTime()).toBeGreaterThanOrEqual(12_000);
  }, 120_000);
});

describe('chaos runner: guarantees', () => {
  it('an abort during chaos removes every fault first and reports the run aborted', async () => {
    const stack = await createStack({ seed: 5, logDir: scratch(), strategies: 12 });
    try {
      const controller = new AbortController();
      const long = tinyScenario({ chaosSeconds: 60 });
      const bed = { world: stack.world, system: new BuiltinSystem(stack.engine, stack.world) };
      const run = runScenario(long, bed, {
        seed: 5,
        iteration: 1,
        signal: controller.signal,
        onPhase: (phase) => {
          if (phase === 'chaos') setTimeout(() => controller.abort(), 1_500);
        },
      });
      const result = await run;
      expect(result.status).toBe('aborted');
      expect(result.passed).toBe(false);
      expect(result.faultInjected).toBe(true);
      expect(result.phases.chaos?.endedAt).toBeDefined();
      const exchange = await stack.proxyClient.getProxy('exchange');
      expect(exchange.enabled).toBe(true);
      expect(exchange.toxics).toEqual([]);
    } finally {
      await stack.close();
    }
  }, 60_000);

  it('an engine that resends orders blindly fails on its invariants, whatever its recovery', async () => {
    const suite = await quickSuite([scenario('network_partition')], scratch(), {
      stack: { engine: { executor: { unsafeBlindRetry: true } } },
    });
    const [result] = suite.results;
    expect(result!.status).toBe('completed');
    expect(result!.invariants?.duplicated).toBeGreaterThan(0);
    expect(failedChecks(result!)).toContain('invariants_hold');
    expect(result!.passed).toBe(false);
  }, 90_000);

  it('a stack that does not come up is an error result, not a crashed suite', async () => {
    const suite = await quickSuite([tinyScenario()], scratch(), {
      stack: { databaseUrl: 'not a url' },
    });
    const [result] = suite.results;
    expect(result).toMatchObject({
      status: 'error',
      passed: false,
      faultInjected: false,
      counts: { baseline: { orders: 0, latency: { count: 0, p95: 0 } } },
      watchdog: { alerts: 0, recoveryEvents: 0, actions: [], diagnosedFailureType: null },
    });
    expect(result!.error).toMatch(/^the stack did not start: /);
  }, 30_000);
});
