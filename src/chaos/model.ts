import type { LatencyPercentiles } from '../common/index.js';
import type { HttpMatch } from '../proxy/index.js';
import type { InvariantReport } from '../stack/index.js';
import type { OrderAccount, SystemReport } from '../sut/index.js';
import type { FailureType } from '../watchdog/index.js';
import type { WorldVerdicts } from './evidence-checks.js';

/** The dependencies a scenario can fault: each sits behind its own proxy. */
export type ScenarioTarget = 'exchange' | 'database';

/** One fault: a proxy toxic on a target, or (`toxic: 'disabled'`) the target's proxy switched off. */
export interface FaultSpec {
  target: ScenarioTarget;
  /** A proxy toxic type (`http_timeout`, `http_status`, `reset_peer`, `latency`, …) or `disabled`. */
  toxic: string;
  /** Share it applies to, 0..1: of requests (http), of connections or, with scope chunk, of messages (tcp). */
  toxicity: number;
  /** tcp targets: `chunk` draws the toxicity per message instead of per connection. */
  scope: 'connection' | 'chunk';
  stream: 'upstream' | 'downstream';
  attributes: Record<string, unknown>;
  /** http targets: only requests with this method and path (glob) meet the fault; default all. */
  match?: HttpMatch;
  /** From the start of the chaos window, s. */
  startSeconds: number;
  /** How long it stays on, s; undefined: until the chaos window ends. */
  durationSeconds: number | undefined;
}

/** A chaos experiment, built in or from a user's file, validated. */
export interface Scenario {
  /** Lower-case letters, digits and underscores: it names report files. */
  name: string;
  description: string;
  /** The failure the fault injects, as the watchdog names it. */
  failureType: FailureType;
  /** The dependency whose failure rate proves the fault took effect (measured at its proxy). */
  target: ScenarioTarget;
  baselineSeconds: number;
  chaosSeconds: number;
  /** Longest wait for recovery after the faults are removed. */
  recoveryTimeoutSeconds: number;
  slaRecoverySeconds: number;
  /** The nominal failure rate at the target, percent (the seed's `expected_failure_rate`). */
  expectedFailureRate: number;
  /** The measured rate passes inside this band, percent, bounds included. */
  failureBand: { min: number; max: number };
  /** Order success over 1 s within this many percentage points of the baseline's counts as recovered. */
  recoveryTolerancePercent: number;
  faults: FaultSpec[];
}

export type PhaseName = 'baseline' | 'chaos' | 'recovery' | 'verify';

/** Start and end of one phase, ms since the epoch; `endedAt` undefined when it was cut short. */
export interface PhaseWindow {
  startedAt: number;
  endedAt: number | undefined;
}

/** What the engine made of its intents in one phase. */
export interface PhaseCounts {
  /** Orders the venue accepted. */
  orders: number;
  /** Intents that failed: rejected, abandoned, left unknown, or shed. */
  failures: number;
  /** Intents the engine itself held back (risk gate: halted, throttled, limits). */
  refused: number;
  /** Intent to acknowledgement of the accepted orders, ms. */
  latency: LatencyPercentiles;
}

/** One second of a scenario run. */
export interface TimelinePoint {
  /** Seconds since the scenario started (0, 1, 2, …). */
  second: number;
  phase: PhaseName;
  orders: number;
  failures: number;
  refused: number;
  /** p95 of the orders accepted in this second, ms; null when none. */
  p95Ms: number | null;
  /** Requests that reached the target's proxy in this second (tcp: client messages). */
  targetRequests: number;
  targetFailures: number;
}

/** One pass/fail check of SPEC §1; `detail` says what was measured against what. */
export interface Check {
  name:
    | 'recovery_detected'
    | 'sla_met'
    | 'failure_rate_acceptable'
    | 'watchdog_alerts_fired'
    | 'recovery_events_logged'
    | 'invariants_hold'
    | 'target_survived'
    | 'no_duplicate_orders'
    | 'respects_retry_after'
    | 'no_orphan_orders';
  /** False for a skipped check: a check never passes without its evidence. */
  passed: boolean;
  /** The system cannot give this check's evidence; `detail` says why. It neither passes nor fails the run. */
  skipped?: boolean;
  detail: string;
}

/** What the watchdog did during the scenario, from its CHAOS_EVENT log. */
export interface WatchdogOutcome {
  alerts: number;
  recoveryEvents: number;
  /** Recovery actions started, by name. */
  actions: string[];
  /** The watchdog's own diagnosis of the first failure it detected, or null. */
  diagnosedFailureType: string | null;
  /** Whether that diagnosis matches the injected failure type. */
  diagnosisCorrect: boolean | null;
  /** From fault onset to the first alert, ms. */
  firstAlertMs: number | null;
  /**
   * When the watchdog acted, in time order: the faulted component's alerts
   * and recoveries, and every recovery action started. At most
   * WATCHDOG_EVENT_LIMIT (the first ones), so a flapping watchdog cannot
   * bloat the report.
   */
  events: WatchdogEvent[];
}

/** One thing the watchdog did, at `at` (ms since the epoch). */
export interface WatchdogEvent {
  at: number;
  /** alert_raised, recovery_action_started, component_recovered. */
  kind: WatchdogEventKind;
  /** The alert's or recovery's failure type, or the action's name. */
  name: string;
}

export type WatchdogEventKind = 'alert' | 'action' | 'recovered';

/** `skipped`: the scenario does not apply to the system (e.g. a database outage for a bot with no database). */
export type RunStatus = 'completed' | 'aborted' | 'error' | 'skipped';

/** Everything one scenario run measured and decided; the reports are built from it. */
export interface ScenarioResult {
  scenario: Scenario;
  seed: number;
  /** 1 for the first run of a scenario; soak runs count up. */
  iteration: number;
  /** `aborted` when interrupted (SIGINT/SIGTERM); `error` when the run itself broke. */
  status: RunStatus;
  error: string | undefined;
  startedAt: number;
  endedAt: number;
  phases: Partial<Record<PhaseName, PhaseWindow>>;
  faultInjected: boolean;
  recovery: {
    detected: boolean;
    /** From fault removal to steady state, s. */
    seconds: number | null;
  };
  counts: Record<'baseline' | 'chaos' | 'recovery', PhaseCounts>;
  /** Failed ÷ all requests to the target during the chaos window, percent, measured at the proxy. */
  chaosFailureRate: number | null;
  targetTraffic: { requests: number; failures: number };
  /** The system's watchdog (empty for a system that keeps none: its checks are then skipped). */
  watchdog: WatchdogOutcome;
  /** How the system under test ended; undefined when the run never stopped it. */
  system: SystemReport | undefined;
  /** Its own account of its orders (journal or intents) against the venue. */
  account: OrderAccount | undefined;
  /** The world's evidence judged: duplicates, Retry-After, orphans. */
  verdicts: WorldVerdicts | undefined;
  /** The built-in engine's journal against the ledger; undefined for other systems or when not checked. */
  invariants: InvariantReport | undefined;
  timeline: TimelinePoint[];
  checks: Check[];
  passed: boolean;
}

/** The system under test as a scenario file names it (`target:` beside `scenarios:`); flags win over it. */
export interface TargetConfig {
  /** Shell command that runs the bot. */
  command: string;
  /** Regular expression: ready when a line of its output matches. */
  readyPattern: string | undefined;
  /** Ready when this URL answers 2xx. */
  healthUrl: string | undefined;
  readyTimeoutSeconds: number | undefined;
  graceSeconds: number | undefined;
  /** It must report its intents. */
  intents: boolean | undefined;
  /** Orders left resting after it stopped fail the scenario. */
  expectFlat: boolean | undefined;
}
