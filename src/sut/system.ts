import type { EventEmitter } from 'node:events';
import type { EngineSummary } from '../engine/index.js';
import type { InvariantReport, World } from '../stack/index.js';
import type { FailureType } from '../watchdog/index.js';

/** What one order attempt of the system came to, as the runner counts it per phase. */
export interface SystemOutcome {
  /** `order`: the venue accepted it; `failure`: it failed; `refused`: the system held it back on purpose. */
  kind: 'order' | 'failure' | 'refused';
  /** Attempt to acknowledgement, ms, for accepted orders. */
  latencyMs?: number;
}

export interface SystemEvents {
  outcome: [outcome: SystemOutcome];
}

/** The dependencies behind the world's proxies. */
export type Dependency = 'exchange' | 'database';

/** What a scenario tells the system as it moves on: its name and the failure it injects. */
export interface ScenarioCue {
  name: string;
  failureType: FailureType;
  phase: 'baseline' | 'chaos' | 'recovery' | 'verify';
}

/** A verdict the system can give about itself, or why it cannot. */
export type SelfVerdict =
  { status: 'judged'; passed: boolean; detail: string } | { status: 'skipped'; reason: string };

/** How the system's own account of its orders compares with the venue's ledger. */
export interface OrderAccount {
  verdict: SelfVerdict;
  /** The built-in engine's journal judged against the ledger. */
  journal?: InvariantReport;
  /** An external bot's reported intents judged against the venue's orders. */
  intents?: IntentsSummary;
}

/** The intents-file judgment, as reported. */
export interface IntentsSummary {
  intents: number;
  ordersAccepted: number;
  unknownOrders: number;
  placedTwice: number;
  /** Intents whose order's terms (symbol, side, type, quantity, price) were not the intent's. */
  mismatched: number;
  unplaced: number;
  malformedLines: number;
  /** The first findings, one line each. */
  examples: string[];
}

/** How the system ended, for the report's `system_under_test`. */
export interface SystemReport {
  kind: 'builtin' | 'external';
  /** The command line of an external system; null for the built-in engine. */
  command: string | null;
  exitCode: number | null;
  signal: string | null;
  /** It was still running when the runner stopped it. */
  survived: boolean;
  /** This tool ran it (and so saw how it ended); false for a bot that runs elsewhere. */
  runByThisTool: boolean;
  /** One line on how it ended. */
  detail: string;
  /** Its last lines of output (external), for a reader to see why. */
  lastOutput: string[];
  /** Where its whole output went, when it was captured. */
  logFile: string | null;
  /** A process of its group was still alive after it was stopped (false is the only good answer). */
  leftProcessesBehind: boolean;
}

/**
 * The seam between the world and whatever trades in it: the built-in engine,
 * or the user's bot as an external process. The chaos runner talks only to
 * this; the judge reads the world's evidence and whatever this offers.
 */
export interface SystemUnderTest {
  readonly kind: 'builtin' | 'external';
  /** Outcomes of the system's orders as they happen (the phase counts and recovery read them). */
  readonly events: EventEmitter<SystemEvents>;
  /** The API key it trades with (the venue's evidence is filtered by it). */
  readonly apiKey: string;
  /** When it was started, ms since the epoch: everything the world records from then on is its doing. */
  readonly startedAt: number;
  /** False once it has ended on its own (a process that exited); true while it runs or when this tool cannot see it. */
  readonly running: boolean;
  /** Resolves once the system trades (the scenario's clock starts then); rejects with the reason it never did. */
  ready(signal: AbortSignal): Promise<void>;
  /** The scenario moved on to a phase (the engine's watchdog is told; a bot can read it from a file). */
  cue(cue: ScenarioCue): Promise<void>;
  /**
   * It names every intent by a client order id of its own and reuses it on
   * every retry, and its own account of its orders is judged exactly (the
   * built-in engine's journal): orders of equal terms under different ids are
   * then different intents, and only a reused id is a duplicate on the wire.
   */
  readonly clientIdsNameIntents: boolean;
  /** Whether it counts the connections the operating system refused it (see refusedConnections). */
  readonly countsRefusedConnections: boolean;
  /** Connections the operating system refused it (no proxy sees those); undefined when it cannot tell. */
  refusedConnections(dependency: Dependency, signal: AbortSignal): Promise<number | undefined>;
  /** The system's own view of a component's health; undefined when it has none. */
  componentHealthy(component: string): Promise<boolean | undefined>;
  /** Its CHAOS_EVENT log (watchdog alerts and recoveries); undefined when it keeps none. */
  readonly watchdogLog: string | undefined;
  /** Stops it after the verify phase; never rejects. */
  stop(): Promise<SystemReport>;
  /** Its own account of its orders, judged against the venue; call after stop(). */
  orderAccount(): Promise<OrderAccount>;
  /** The engine's stop summary (balances explained); undefined for a system that gives none. */
  readonly summary: EngineSummary | undefined;
  /** Ends it at once, whatever state it is in. */
  close(): Promise<void>;
}

/** Starts a system on a world. */
export type SystemStarter = (world: World, context: SystemContext) => Promise<SystemUnderTest>;

/** What a system is started with besides the world. */
export interface SystemContext {
  /** The scenario it runs for (a name; an external bot reads it from N1V1_SCENARIO). */
  scenario: string;
  /** Where its own files go (output log, intents, phase file). */
  runDir: string;
  /** Where its output log goes; default runDir. */
  logDir?: string;
  /** Names the output log: `<logName>-target.log`. */
  logName: string;
  signal: AbortSignal;
}
