import type { FailureType } from './model.js';

/** What the watchdog can make the engine do; the engine supplies these. */
export interface RecoveryControls {
  /** Stop new orders (orders in flight go on). */
  pauseTrading(reason: string): void;
  resumeTrading(): void;
  /** One reconcile pass of journal against venue. */
  reconcile(): Promise<unknown>;
  /** Admit new orders at `fraction` of their recent rate for `forMs`; returns what is in force. */
  throttleNewOrders(fraction: number, forMs: number): unknown;
}

/**
 * After a rate limit, half the rate that drew it, for ten seconds: enough
 * for the venue's window to turn over without drawing the next refusal.
 */
export const REDUCED_RATE = { fraction: 0.5, forMs: 10_000 };

export type ActionStatus = 'pending' | 'running' | 'completed' | 'failed';

/**
 * One step of a recovery plan. `when` says when it runs: at once when the
 * failure is detected, or once the component is healthy again. Steps that
 * wait for the dependency itself (the breaker's probes, the spool's replay)
 * complete when it recovers.
 */
export interface ActionSpec {
  name: string;
  /** Lower runs first. */
  priority: number;
  when: 'on_detect' | 'until_recovered' | 'on_recover';
  run?: (controls: RecoveryControls) => unknown;
}

export interface RecoveryAction {
  name: string;
  priority: number;
  status: ActionStatus;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  durationMs: number | undefined;
  error: string | undefined;
}

const EXCHANGE_PLAN: ActionSpec[] = [
  {
    name: 'pause_new_orders',
    priority: 1,
    when: 'on_detect',
    run: (c) => c.pauseTrading('exchange unreachable'),
  },
  { name: 'probe_exchange', priority: 2, when: 'until_recovered' },
  { name: 'resume_trading', priority: 3, when: 'on_recover', run: (c) => c.resumeTrading() },
  { name: 'reconcile', priority: 4, when: 'on_recover', run: (c) => c.reconcile() },
];

const RATE_LIMIT_PLAN: ActionSpec[] = [
  { name: 'hold_until_retry_after', priority: 1, when: 'until_recovered' },
  {
    name: 'resume_at_reduced_rate',
    priority: 2,
    when: 'on_recover',
    run: (c) => c.throttleNewOrders(REDUCED_RATE.fraction, REDUCED_RATE.forMs),
  },
  { name: 'reconcile', priority: 3, when: 'on_recover', run: (c) => c.reconcile() },
];

const DATABASE_PLAN: ActionSpec[] = [
  { name: 'spool_journal_writes', priority: 1, when: 'on_detect' },
  { name: 'reconnect_database', priority: 2, when: 'until_recovered' },
  { name: 'drain_spool', priority: 3, when: 'until_recovered' },
  { name: 'reconcile', priority: 4, when: 'on_recover', run: (c) => c.reconcile() },
];

const WATCH_PLAN: ActionSpec[] = [
  { name: 'watch_component', priority: 1, when: 'until_recovered' },
];

/** The plan for a failure type: what a careful operator would do, in order. */
export function recoveryPlan(failureType: FailureType, componentId: string): ActionSpec[] {
  if (failureType === 'chaos_rate_limit') return RATE_LIMIT_PLAN;
  if (failureType === 'chaos_database_outage' || componentId === 'database') return DATABASE_PLAN;
  if (componentId === 'exchange') return EXCHANGE_PLAN;
  return WATCH_PLAN;
}

export function pendingAction(spec: ActionSpec): RecoveryAction {
  return {
    name: spec.name,
    priority: spec.priority,
    status: 'pending',
    startedAt: undefined,
    finishedAt: undefined,
    durationMs: undefined,
    error: undefined,
  };
}
