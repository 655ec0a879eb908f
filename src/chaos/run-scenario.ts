import { messageOf } from '../common/index.js';
import type { EngineSummary } from '../engine/index.js';
import type { InvariantReport, Stack } from '../stack/index.js';
import { scenarioChecks } from './checks.js';
import { FaultSchedule } from './faults.js';
import type { PhaseName, PhaseWindow, Scenario, ScenarioResult } from './model.js';
import { OrderSampler, phaseSuccessPercent } from './order-sampler.js';
import { watchRecovery } from './recovery-watch.js';
import { failurePercent, FaultedTraffic, type TrafficWindow } from './target-traffic.js';
import { Timeline, type Progress } from './timeline.js';
import { readWatchdogOutcome } from './watchdog-outcome.js';

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
}

/** Mutable state of one run, so an abort at any point still reports what was measured. */
interface RunState {
  phases: Partial<Record<PhaseName, PhaseWindow>>;
  onsetAt: number | undefined;
  chaosTraffic: TrafficWindow | undefined;
  recoverySeconds: number | null;
  summary: EngineSummary | undefined;
  invariants: InvariantReport | undefined;
}

/**
 * Runs one scenario on a stack whose engine is trading: baseline → chaos
 * (faults on) → recovery (faults off, until steady state) → verify (stop
 * the engine, judge its journal against the exchange). Faults are removed
 * whatever happens: at the window's end, on abort and on error.
 */
export async function runScenario(
  scenario: Scenario,
  stack: Stack,
  options: ScenarioRunOptions,
): Promise<ScenarioResult> {
  const startedAt = Date.now();
  const engine = stack.engine;
  const sampler = new OrderSampler(engine.events);
  const timeline = new Timeline(stack, scenario, sampler, startedAt, options.onProgress);
  // Measured while some fault is on: read before the last one comes off, when held requests still count as unanswered.
  const faulted = new FaultedTraffic(() => timeline.readTraffic());
  const faults = new FaultSchedule(stack.proxyClient, scenario.faults, {
    afterOn: () => faulted.on(),
    beforeOff: () => faulted.off(),
  });
  const state: RunState = {
    phases: {},
    onsetAt: undefined,
    chaosTraffic: undefined,
    recoverySeconds: null,
    summary: undefined,
    invariants: undefined,
  };
  const phase = (name: PhaseName) => {
    const now = Date.now();
    for (const window of Object.values(state.phases)) window.endedAt ??= now;
    state.phases[name] = { startedAt: now, endedAt: undefined };
    timeline.phase = name;
    // The engine's own stop (shed intents, cancels) is not the scenario's doing.
    if (name === 'verify') sampler.close();
    else sampler.phase = name;
    options.onPhase?.(name);
  };
  let status: ScenarioResult['status'] = 'completed';
  let error: string | undefined;
  try {
    timeline.start();
    phase('baseline');
    await timeline.wait(scenario.baselineSeconds, options.signal);

    phase('chaos');
    engine.announceScenario(scenario.name, scenario.failureType);
    await faults.start();
    if (faults.error) throw faults.error;
    await timeline.wait(scenario.chaosSeconds, options.signal);
    await faults.clear();
    if (faults.error) throw faults.error;
    state.chaosTraffic = faulted.window;

    phase('recovery');
    const healedAt = Date.now();
    const recoveredAt = await watchRecovery({
      sampler,
      baselinePercent: phaseSuccessPercent(sampler.counts('baseline')),
      tolerancePercent: scenario.recoveryTolerancePercent,
      watchdogStatusUrl: engine.healthUrl.replace(/\/health$/, '/watchdog/status'),
      component: scenario.target,
      timeoutMs: scenario.recoveryTimeoutSeconds * 1000,
      signal: options.signal,
      healedAt,
    });
    if (recoveredAt !== undefined) {
      state.recoverySeconds = Math.round((recoveredAt - healedAt) / 100) / 10;
      await timeline.wait(options.settleSeconds ?? 2, options.signal);
    }
    engine.announceScenario(undefined);

    phase('verify');
    timeline.stop();
    state.summary = await engine.stop();
    state.invariants = await stack.invariants();
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
  }
  const endedAt = Date.now();
  for (const window of Object.values(state.phases)) window.endedAt ??= endedAt;
  return assemble(scenario, options, {
    state,
    status,
    error,
    startedAt,
    endedAt,
    sampler,
    timeline,
    engine: stack.engine,
  });
}

interface Assembly {
  state: RunState;
  status: ScenarioResult['status'];
  error: string | undefined;
  startedAt: number;
  endedAt: number;
  sampler: OrderSampler;
  timeline: Timeline;
  engine: Stack['engine'];
}

async function assemble(
  scenario: Scenario,
  options: ScenarioRunOptions,
  assembly: Assembly,
): Promise<ScenarioResult> {
  const { state, status, error, startedAt, endedAt, sampler } = assembly;
  const watchdog = await readWatchdogOutcome(
    assembly.engine.chaosLogPath,
    scenario,
    state.onsetAt,
    startedAt,
  );
  const chaosFailureRate = state.chaosTraffic ? failurePercent(state.chaosTraffic) : null;
  const checks = scenarioChecks({
    scenario,
    recoverySeconds: state.recoverySeconds,
    chaosFailureRate,
    watchdog,
    invariants: state.invariants,
    summary: state.summary,
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
    watchdog,
    invariants: state.invariants,
    timeline: assembly.timeline.points,
    checks,
    passed: status === 'completed' && checks.every((check) => check.passed),
  };
}
