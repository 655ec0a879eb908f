import { messageOf } from '../common/index.js';
import type { World } from '../stack/index.js';
import type { OrderAccount, SystemReport, SystemUnderTest } from '../sut/index.js';
import { scenarioChecks } from './checks.js';
import { judgeWorldEvidence, type WorldVerdicts } from './evidence-checks.js';
import { FaultSchedule } from './faults.js';
import type { PhaseName, PhaseWindow, Scenario, ScenarioResult } from './model.js';
import { OrderSampler, phaseSuccessPercent } from './order-sampler.js';
import { recoveryWindow, watchRecovery } from './recovery-watch.js';
import {
  failurePercent,
  FaultedTraffic,
  readTargetTraffic,
  type TrafficWindow,
} from './target-traffic.js';
import { Timeline, type Progress } from './timeline.js';
import { readWatchdogOutcome, watchdogOutcome } from './watchdog-outcome.js';

export interface ScenarioRunOptions {
  seed: number;
  iteration: number;
  /** Aborting removes the faults at once and ends the run as aborted. */
  signal: AbortSignal;
  /** Told once a second: phase, time, orders and failures. */
  onProgress?: (progress: Progress) => void;
  /** After recovery, orders keep flowing this long before the verify phase, s. Default 2. */
  settleSeconds?: number;
  /** Told as each phase begins (the suite starts building the next stack at verify). */
  onPhase?: (phase: PhaseName) => void;
  /** Orders left resting at the venue after the system stopped fail the run (default: reported only). */
  expectFlat?: boolean;
}

/** Where a scenario runs: a world, and the system under test trading in it. */
export interface TestBed {
  world: World;
  system: SystemUnderTest;
}

/** Mutable state of one run, so an abort at any point still reports what was measured. */
interface RunState {
  phases: Partial<Record<PhaseName, PhaseWindow>>;
  onsetAt: number | undefined;
  chaosTraffic: TrafficWindow | undefined;
  recoverySeconds: number | null;
  /** How the system ended; undefined when the run never got to stop it. */
  systemReport: SystemReport | undefined;
  account: OrderAccount | undefined;
  verdicts: WorldVerdicts | undefined;
  /** Why the scenario did not apply to this system; undefined when it did. */
  skipped: string | undefined;
}

/**
 * Runs one scenario on a stack whose engine is trading: baseline → chaos
 * (faults on) → recovery (faults off, until steady state) → verify (stop
 * the engine, judge its journal against the exchange). Faults are removed
 * whatever happens: at the window's end, on abort and on error.
 */
export async function runScenario(
  scenario: Scenario,
  bed: TestBed,
  options: ScenarioRunOptions,
): Promise<ScenarioResult> {
  const { world, system } = bed;
  const sampler = new OrderSampler(system.events);
  // Evidence counts from the system's start: what it did while getting ready is its doing too.
  const evidenceSince = system.startedAt;
  let startedAt = Date.now();
  const readTarget = (signal: AbortSignal) =>
    readTargetTraffic(world.proxyClient, system, scenario.target, signal);
  const timeline = new Timeline(readTarget, scenario, sampler, () => startedAt, options.onProgress);
  // Measured while some fault is on: read before the last one comes off, when held requests still count as unanswered.
  const faulted = new FaultedTraffic(() => timeline.readTraffic());
  const faults = new FaultSchedule(world.proxyClient, scenario.faults, {
    afterOn: () => faulted.on(),
    beforeOff: () => faulted.off(),
  });
  const state: RunState = {
    phases: {},
    onsetAt: undefined,
    chaosTraffic: undefined,
    recoverySeconds: null,
    systemReport: undefined,
    account: undefined,
    verdicts: undefined,
    skipped: undefined,
  };
  const phase = async (name: PhaseName) => {
    const now = Date.now();
    for (const window of Object.values(state.phases)) window.endedAt ??= now;
    state.phases[name] = { startedAt: now, endedAt: undefined };
    timeline.phase = name;
    // The system's own stop (shed intents, cancels) is not the scenario's doing.
    if (name === 'verify') sampler.close();
    else sampler.phase = name;
    options.onPhase?.(name);
    await system.cue({ name: scenario.name, failureType: scenario.failureType, phase: name });
  };
  let status: ScenarioResult['status'] = 'completed';
  let error: string | undefined;
  try {
    await system.ready(options.signal);
    startedAt = Date.now();
    timeline.start();
    await phase('baseline');
    await timeline.wait(scenario.baselineSeconds, options.signal);

    state.skipped = await notApplicable(scenario, bed, options.signal);
    if (state.skipped === undefined) {
      await phase('chaos');
      await faults.start();
      if (faults.error) throw faults.error;
      await timeline.wait(scenario.chaosSeconds, options.signal);
      await faults.clear();
      if (faults.error) throw faults.error;
      state.chaosTraffic = faulted.window;

      await phase('recovery');
      const healedAt = Date.now();
      const baseline = sampler.counts('baseline');
      const watching = new AbortController();
      let firstSignAfterHeal: number | undefined;
      world.evidence
        .signedRequestSince(healedAt, AbortSignal.any([options.signal, watching.signal]))
        .then((at) => (firstSignAfterHeal = at))
        .catch(() => undefined);
      const recoveredAt = await watchRecovery({
        sampler,
        baselinePercent: phaseSuccessPercent(baseline),
        tolerancePercent: scenario.recoveryTolerancePercent,
        window: recoveryWindow(
          baseline.orders + baseline.failures,
          scenario.baselineSeconds * 1000,
        ),
        componentHealthy: () => system.componentHealthy(scenario.target),
        firstSignOfLife: () => firstSignAfterHeal,
        running: () => system.running,
        timeoutMs: scenario.recoveryTimeoutSeconds * 1000,
        signal: options.signal,
        healedAt,
      }).finally(() => watching.abort());
      if (recoveredAt !== undefined) {
        state.recoverySeconds = Math.round((recoveredAt - healedAt) / 100) / 10;
        await timeline.wait(options.settleSeconds ?? 2, options.signal);
      }
    }

    await phase('verify');
    timeline.stop();
    state.systemReport = await system.stop();
    state.account = await system.orderAccount();
    state.verdicts = await judgeWorldEvidence(world, system, evidenceSince);
  } catch (caught) {
    status = options.signal.aborted ? 'aborted' : 'error';
    error = options.signal.aborted ? 'interrupted' : messageOf(caught);
  } finally {
    timeline.stop();
    await faults.clear().catch((caught: unknown) => {
      status = 'error';
      error ??= `the faults could not be removed: ${messageOf(caught)}`;
    });
    sampler.close();
    state.onsetAt = faults.firstAppliedAt;
    // A run that broke before the stop still says how the system ended.
    state.systemReport ??= await system.stop().catch(() => undefined);
  }
  const endedAt = Date.now();
  for (const window of Object.values(state.phases)) window.endedAt ??= endedAt;
  if (state.skipped !== undefined && status === 'completed') status = 'skipped';
  return assemble(scenario, options, {
    state,
    status,
    error: error ?? state.skipped,
    startedAt,
    endedAt,
    sampler,
    timeline,
    system,
  });
}

/**
 * Why a scenario cannot apply to this system, decided after its baseline: a
 * database scenario against a system that never opened a connection to the
 * database proxy would fault nothing it uses.
 */
async function notApplicable(
  scenario: Scenario,
  { world }: TestBed,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (scenario.target !== 'database') return undefined;
  const stats = await world.proxyClient.stats('database', signal);
  return stats.connections.accepted === 0 ? 'the target uses no database' : undefined;
}

interface Assembly {
  state: RunState;
  status: ScenarioResult['status'];
  error: string | undefined;
  startedAt: number;
  endedAt: number;
  sampler: OrderSampler;
  timeline: Timeline;
  system: SystemUnderTest;
}

async function assemble(
  scenario: Scenario,
  options: ScenarioRunOptions,
  assembly: Assembly,
): Promise<ScenarioResult> {
  const { state, status, error, startedAt, endedAt, sampler } = assembly;
  const { system } = assembly;
  const logPath = system.watchdogLog;
  const watchdog =
    logPath === undefined
      ? undefined
      : await readWatchdogOutcome(logPath, scenario, state.onsetAt, startedAt);
  const chaosFailureRate = state.chaosTraffic ? failurePercent(state.chaosTraffic) : null;
  const checks =
    status === 'skipped'
      ? []
      : scenarioChecks({
          scenario,
          recoverySeconds: state.recoverySeconds,
          chaosFailureRate,
          chaosRequests: state.chaosTraffic?.requests ?? 0,
          refusalsUncounted: !system.countsRefusedConnections,
          watchdog,
          system: state.systemReport,
          account: state.account,
          verdicts: state.verdicts,
          expectFlat: options.expectFlat ?? false,
        });
  return {
    scenario,
    seed: options.seed,
    iteration: options.iteration,
    status,
    error,
    startedAt,
    endedAt,
    phases: state.phases,
    faultInjected: state.onsetAt !== undefined,
    recovery: { detected: state.recoverySeconds !== null, seconds: state.recoverySeconds },
    counts: {
      baseline: sampler.counts('baseline'),
      chaos: sampler.counts('chaos'),
      recovery: sampler.counts('recovery'),
    },
    chaosFailureRate,
    targetTraffic: state.chaosTraffic ?? { requests: 0, failures: 0 },
    watchdog: watchdog ?? watchdogOutcome([], scenario, undefined),
    system: state.systemReport,
    account: state.account,
    verdicts: state.verdicts,
    invariants: state.account?.journal,
    timeline: assembly.timeline.points,
    checks,
    passed:
      status === 'completed' && checks.every((check) => check.passed || check.skipped === true),
  };
}
