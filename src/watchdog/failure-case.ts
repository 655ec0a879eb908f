import { isJsonObject, messageOf } from '../common/index.js';
import type { Diagnosis } from './classifier.js';
import {
  pendingAction,
  recoveryPlan,
  type ActionSpec,
  type RecoveryAction,
  type RecoveryControls,
} from './recovery.js';

/** A failure case as the status API and reports show it. */
export interface FailureView {
  id: number;
  componentId: string;
  failureType: string;
  confidence: number;
  reason: string;
  detectedAt: number;
  recoveredAt: number | null;
  recoveryMs: number | null;
  actions: RecoveryAction[];
}

export type RecordEvent = (eventType: string, extra?: Record<string, unknown>) => void;

let nextId = 1;

/**
 * One detected failure and its recovery plan. Steps run in priority order:
 * those due at detection at once, those that wait for the dependency until
 * it recovers, the rest after.
 */
export class FailureCase {
  readonly id = nextId++;
  /** The database case: the journal began spooling, so recovery means the spool drained. */
  spooled = false;
  /** What kind of signal opened the case; some recoveries only answer their own kind. */
  signalKind: string | undefined;
  private recoveredAt: number | undefined;
  private readonly steps: Array<{ spec: ActionSpec; action: RecoveryAction }>;

  constructor(
    public diagnosis: Diagnosis,
    readonly detectedAt: number,
    private readonly controls: RecoveryControls,
    private readonly record: RecordEvent,
    private readonly now: () => number = Date.now,
  ) {
    this.steps = [...recoveryPlan(diagnosis.failureType, diagnosis.componentId)]
      .sort((a, b) => a.priority - b.priority)
      .map((spec) => ({ spec, action: pendingAction(spec) }));
  }

  /** Runs the steps due at detection and starts those that wait for recovery. */
  start(): void {
    for (const step of this.steps) this.startStep(step);
  }

  /**
   * Stronger evidence changed the diagnosis: the case takes the new type, and
   * the new type's plan adds the steps the old one lacked.
   */
  rediagnose(diagnosis: Diagnosis): void {
    this.diagnosis = diagnosis;
    const known = new Set(this.steps.map((step) => step.spec.name));
    for (const spec of recoveryPlan(diagnosis.failureType, diagnosis.componentId)) {
      if (known.has(spec.name)) continue;
      const step = { spec, action: pendingAction(spec) };
      this.steps.push(step);
      this.startStep(step);
    }
    this.steps.sort((a, b) => a.spec.priority - b.spec.priority);
  }

  private startStep(step: { spec: ActionSpec; action: RecoveryAction }): void {
    if (step.spec.when === 'on_detect') void this.run(step);
    if (step.spec.when === 'until_recovered') this.begin(step);
  }

  /** The component is healthy again: waiting steps complete, the rest run in order. */
  async recover(at: number): Promise<void> {
    this.recoveredAt = at;
    for (const step of this.steps) if (step.spec.when === 'until_recovered') this.finish(step);
    for (const step of this.steps) if (step.spec.when === 'on_recover') await this.run(step);
  }

  view(): FailureView {
    return {
      id: this.id,
      componentId: this.diagnosis.componentId,
      failureType: this.diagnosis.failureType,
      confidence: this.diagnosis.confidence,
      reason: this.diagnosis.reason,
      detectedAt: this.detectedAt,
      recoveredAt: this.recoveredAt ?? null,
      recoveryMs: this.recoveredAt === undefined ? null : this.recoveredAt - this.detectedAt,
      actions: this.steps.map((step) => ({ ...step.action })),
    };
  }

  private async run(step: { spec: ActionSpec; action: RecoveryAction }): Promise<void> {
    this.begin(step);
    try {
      const result = await step.spec.run?.(this.controls);
      this.finish(step, undefined, isJsonObject(result) ? result : undefined);
    } catch (error) {
      this.finish(step, messageOf(error));
    }
  }

  private begin(step: { spec: ActionSpec; action: RecoveryAction }): void {
    step.action.status = 'running';
    step.action.startedAt = this.now();
    this.record('recovery_action_started', {
      action: step.spec.name,
      priority: step.spec.priority,
    });
  }

  /** `result`: what the action did, when it says (e.g. the reduced rate), for the log. */
  private finish(
    step: { spec: ActionSpec; action: RecoveryAction },
    error?: string,
    result?: Record<string, unknown>,
  ): void {
    if (step.action.status !== 'running') return;
    const finishedAt = this.now();
    step.action.status = error === undefined ? 'completed' : 'failed';
    step.action.finishedAt = finishedAt;
    step.action.durationMs = finishedAt - (step.action.startedAt ?? finishedAt);
    step.action.error = error;
    this.record(error === undefined ? 'recovery_action_completed' : 'recovery_action_failed', {
      action: step.spec.name,
      duration_ms: step.action.durationMs,
      ...(error !== undefined && { error }),
      ...(result !== undefined && { result }),
    });
  }
}
