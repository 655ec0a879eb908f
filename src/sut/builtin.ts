import { EventEmitter } from 'node:events';
import { messageOf } from '../common/index.js';
import type { EngineSummary, PlaceOutcome } from '../engine/index.js';
import {
  engineOptionsFor,
  judgeInvariants,
  readInvariants,
  startEngine,
  type EngineHandle,
  type EngineSettings,
  type World,
} from '../stack/index.js';
import type { FailureView } from '../watchdog/index.js';
import type {
  Dependency,
  OrderAccount,
  ScenarioCue,
  SystemEvents,
  SystemOutcome,
  SystemReport,
  SystemStarter,
  SystemUnderTest,
} from './system.js';

/** The built-in engine as a system under test, started on the world with these settings. */
export function builtinEngine(settings: EngineSettings): SystemStarter {
  return async (world) => {
    const startedAt = Date.now();
    const handle = await startEngine(
      settings.engineProcess ?? 'child',
      engineOptionsFor(world, settings),
    );
    return new BuiltinSystem(handle, world, startedAt);
  };
}

/**
 * The engine that ships with the product. Besides the world's evidence it
 * offers its own: per-intent outcomes, its watchdog (status and CHAOS_EVENT
 * log), its count of refused connections, its journal.
 */
export class BuiltinSystem implements SystemUnderTest {
  readonly kind = 'builtin';
  readonly clientIdsNameIntents = true;
  readonly countsRefusedConnections = true;
  readonly events = new EventEmitter<SystemEvents>();
  readonly apiKey: string;
  private stopped: EngineSummary | undefined;
  private stopping: Promise<SystemReport> | undefined;

  /** @param startedAt when the engine was started; default when its world was. */
  constructor(
    private readonly engine: EngineHandle,
    private readonly world: World,
    readonly startedAt = world.startedAt,
  ) {
    this.apiKey = world.account.apiKey;
    // Asked for only once someone counts: a child engine forwards outcomes only when heard.
    const events = this.events as EventEmitter;
    events.on('newListener', (name: string) => {
      if (name === 'outcome' && this.events.listenerCount('outcome') === 0) {
        engine.events.on('outcome', this.forward);
      }
    });
    events.on('removeListener', (name: string) => {
      if (name === 'outcome' && this.events.listenerCount('outcome') === 0) {
        engine.events.off('outcome', this.forward);
      }
    });
  }

  get running(): boolean {
    return this.engine.running;
  }

  get watchdogLog(): string | undefined {
    return this.engine.chaosLogPath;
  }

  get summary(): EngineSummary | undefined {
    return this.stopped;
  }

  ready(): Promise<void> {
    // Started means trading: the engine resolves its start only once it is.
    return Promise.resolve();
  }

  cue(cue: ScenarioCue): Promise<void> {
    if (cue.phase === 'chaos') this.engine.announceScenario(cue.name, cue.failureType);
    if (cue.phase === 'verify') this.engine.announceScenario(undefined);
    return Promise.resolve();
  }

  async refusedConnections(dependency: Dependency, signal: AbortSignal): Promise<number> {
    const response = await fetch(this.engine.metricsUrl, { signal });
    return refusedConnections(await response.text(), dependency);
  }

  async componentHealthy(component: string): Promise<boolean> {
    const url = this.engine.healthUrl.replace(/\/health$/, '/watchdog/status');
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (!response.ok) return false;
      const status = (await response.json()) as { openFailures?: FailureView[] };
      if (!Array.isArray(status.openFailures)) return false;
      return !status.openFailures.some((open) => open.componentId === component);
    } catch {
      // An engine that cannot answer its status is not yet back.
      return false;
    }
  }

  stop(): Promise<SystemReport> {
    // One stop however many ask (an abort may come while the run stops it).
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<SystemReport> {
    const report = (survived: boolean, detail: string): SystemReport => ({
      kind: 'builtin',
      command: null,
      exitCode: null,
      signal: null,
      survived,
      runByThisTool: true,
      detail,
      lastOutput: [],
      logFile: null,
      leftProcessesBehind: false,
    });
    try {
      this.stopped = await this.engine.stop();
      return report(true, 'the engine stopped cleanly and explained its balances');
    } catch (error) {
      return report(false, `the engine did not stop cleanly: ${messageOf(error)}`);
    }
  }

  async orderAccount(): Promise<OrderAccount> {
    try {
      const journal = await readInvariants(this.world);
      const judged = judgeInvariants(journal, this.stopped);
      return { verdict: { status: 'judged', ...judged }, journal };
    } catch (error) {
      return {
        verdict: {
          status: 'judged',
          passed: false,
          detail: `the journal could not be read: ${messageOf(error)}`,
        },
      };
    }
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  private readonly forward = ({ outcome }: { outcome: PlaceOutcome }): void => {
    this.events.emit('outcome', classifyOutcome(outcome));
  };
}

/**
 * An order is an intent the venue accepted. A failure is one the fault cost:
 * rejected, abandoned at its deadline, left unknown, or shed by a full
 * bulkhead. A refusal is the engine holding an intent back on purpose (its
 * risk gate halted or throttled trading, or a strategy limit): a recovery
 * action working, not a failed order.
 */
export function classifyOutcome(outcome: PlaceOutcome): SystemOutcome {
  if (outcome.kind === 'placed') {
    return 'latencyMs' in outcome
      ? { kind: 'order', latencyMs: outcome.latencyMs }
      : { kind: 'order' };
  }
  if (outcome.kind === 'refused') return { kind: 'refused' };
  return { kind: 'failure' };
}

/** The engine's `n1v1_connections_refused_total{dependency="…"}` from Prometheus text; 0 when absent. */
export function refusedConnections(metricsText: string, dependency: Dependency): number {
  const line = metricsText
    .split('\n')
    .find((l) => l.startsWith(`n1v1_connections_refused_total{dependency="${dependency}"}`));
  const value = Number(line?.split(' ').at(-1));
  return Number.isFinite(value) ? value : 0;
}
