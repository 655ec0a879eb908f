import { LatencyRecorder, messageOf, SeededRandom, sleep } from '../common/index.js';
import type { StackOptions, World } from '../stack/index.js';
import type { SystemStarter } from '../sut/index.js';
import { BedSupply, closeBed, type Planned } from './bed-supply.js';
import { quickScenario } from './builtins.js';
import type { Scenario, ScenarioResult } from './model.js';
import { runScenario, type TestBed } from './run-scenario.js';
import type { Progress } from './timeline.js';
import { watchdogOutcome } from './watchdog-outcome.js';

export type SuiteMode = 'sequential' | 'random';

export interface SuiteOptions {
  /** The scenarios selected, in the order given. */
  scenarios: readonly Scenario[];
  mode: SuiteMode;
  /** Decides the random order and seeds every stack (prices, strategies, fault draws). */
  seed: number;
  /** Each scenario on its own stack, all at once. */
  parallel: boolean;
  /** Soak: repeat the selection until this many seconds have passed; null runs it once. */
  soakSeconds: number | null;
  /** Baseline and chaos windows compressed; SLAs unchanged. */
  quick: boolean;
  /** How to build each scenario's world (database, simulator) and the built-in engine (strategies, process, log directory). */
  stack: Omit<StackOptions, 'seed'>;
  /** The system under test, started on each scenario's world; default the built-in engine with `stack`'s settings. */
  target?: SystemStarter;
  /** Orders left resting at the venue after the system stopped fail a scenario. Default false. */
  expectFlat?: boolean;
  /**
   * One world for every scenario instead of a fresh one each (a bot this
   * tool does not run stays connected throughout); scenarios run one after
   * another with `settleSeconds` between them. The caller closes it.
   */
  sharedWorld?: World;
  /** Between scenarios on a shared world, s. Default 5 (2 with quick). */
  settleSeconds?: number;
  signal: AbortSignal;
  onScenarioStart?: (scenario: Scenario, iteration: number) => void;
  onProgress?: (progress: Progress) => void;
  onScenarioEnd?: (result: ScenarioResult) => void;
}

export interface SuiteResult {
  results: ScenarioResult[];
  startedAt: Date;
  endedAt: Date;
  aborted: boolean;
}

/**
 * Runs the selected scenarios, each on a fresh stack of its own (so one
 * scenario's aftermath never colours the next): in the given or a seeded
 * random order, one after another or all at once, once or as a soak.
 */
export async function runChaosSuite(options: SuiteOptions): Promise<SuiteResult> {
  const startedAt = new Date();
  const results: ScenarioResult[] = [];
  const random = new SeededRandom(options.seed);
  const scenarios = options.quick ? options.scenarios.map(quickScenario) : [...options.scenarios];
  const stacks = new BedSupply(options);
  const runOne = async (planned: Planned, next?: Planned): Promise<void> => {
    options.onScenarioStart?.(planned.scenario, planned.iteration);
    const result = await runPlanned(planned, stacks, options, next);
    results.push(result);
    options.onScenarioEnd?.(result);
  };
  try {
    let runIndex = 0;
    for (let iteration = 1; ; iteration += 1) {
      const order = roundOrder(scenarios, options.mode, random);
      const plan = order.map((scenario) => ({
        scenario,
        iteration,
        seed: options.seed + runIndex++,
      }));
      if (options.parallel && !options.sharedWorld) {
        await Promise.all(plan.map((planned) => runOne(planned)));
      } else {
        for (const [i, planned] of plan.entries()) {
          if (options.signal.aborted) break;
          if (options.sharedWorld && results.length > 0) await settle(options);
          await runOne(planned, plan[i + 1]);
        }
      }
      const elapsedSeconds = (Date.now() - startedAt.getTime()) / 1000;
      if (options.signal.aborted || options.soakSeconds === null) break;
      if (elapsedSeconds >= options.soakSeconds) break;
    }
  } finally {
    await stacks.close();
  }
  return { results, startedAt, endedAt: new Date(), aborted: options.signal.aborted };
}

async function runPlanned(
  planned: Planned,
  beds: BedSupply,
  options: SuiteOptions,
  next: Planned | undefined,
): Promise<ScenarioResult> {
  const { scenario, iteration, seed } = planned;
  const startedAt = Date.now();
  let bed: TestBed;
  try {
    bed = await beds.take(planned);
  } catch (error) {
    const reason = `the stack did not start: ${messageOf(error)}`;
    return brokenRun(scenario, iteration, seed, startedAt, reason, options.signal.aborted);
  }
  try {
    return await runScenario(scenario, bed, {
      seed,
      iteration,
      signal: options.signal,
      onProgress: options.onProgress,
      settleSeconds: options.quick ? 1 : 2,
      expectFlat: options.expectFlat,
      // The next scenario's stack starts while this one is judged: off the clock, and after
      // the recovery it would slow down has been timed.
      onPhase: (phase) => {
        if (phase === 'verify' && next) beds.prepare(next);
      },
    });
  } catch (error) {
    // Not expected (runScenario reports its own failures): one broken run must not sink the suite.
    return brokenRun(
      scenario,
      iteration,
      seed,
      startedAt,
      messageOf(error),
      options.signal.aborted,
    );
  } finally {
    await closeBed(bed, beds.ownsWorlds);
  }
}

/** Lets a shared world's system settle after one scenario's faults before the next one's baseline. */
async function settle(options: SuiteOptions): Promise<void> {
  const seconds = options.settleSeconds ?? (options.quick ? 2 : 5);
  await sleep(seconds * 1000, options.signal).catch(() => undefined);
}

/** A run that broke before it could measure (its stack never came up): nothing passes. */
function brokenRun(
  scenario: Scenario,
  iteration: number,
  seed: number,
  startedAt: number,
  reason: string,
  aborted: boolean,
): ScenarioResult {
  const counts = {
    orders: 0,
    failures: 0,
    refused: 0,
    latency: new LatencyRecorder().percentiles(),
  };
  return {
    scenario,
    seed,
    iteration,
    status: aborted ? 'aborted' : 'error',
    error: reason,
    startedAt,
    endedAt: Date.now(),
    phases: {},
    faultInjected: false,
    recovery: { detected: false, seconds: null },
    counts: { baseline: counts, chaos: counts, recovery: counts },
    chaosFailureRate: null,
    targetTraffic: { requests: 0, failures: 0 },
    watchdog: watchdogOutcome([], scenario, undefined),
    system: undefined,
    account: undefined,
    verdicts: undefined,
    invariants: undefined,
    timeline: [],
    checks: [],
    passed: false,
  };
}

/**
 * One round's run order: as given, or in random mode shuffled (Fisher–Yates)
 * by the suite's seeded generator, so the same seed gives the same order,
 * round after round.
 */
export function roundOrder<T>(items: readonly T[], mode: SuiteMode, random: SeededRandom): T[] {
  const copy = [...items];
  if (mode === 'sequential') return copy;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
