import { EventEmitter } from 'node:events';
import { sleep } from '../../common/index.js';
import { UNRESOLVED_STATUSES } from '../../journal/index.js';
import { reconcilePass, type PassContext, type ReconcileReport } from './pass.js';
import { absenceConclusiveAt } from './reconcile-order.js';

export type ReconcilerOptions = PassContext;

export interface ReconcilerEvents {
  report: [ReconcileReport];
}

/**
 * Compares the journal with the venue and makes the journal true: statuses and
 * fills of orders the engine is not handling, unresolved orders settled once
 * the venue's answer is final, open orders the journal does not know reported.
 */
export class Reconciler extends EventEmitter<ReconcilerEvents> {
  private current: Promise<ReconcileReport> | undefined;
  private next: Promise<ReconcileReport> | undefined;

  constructor(private readonly options: ReconcilerOptions) {
    super();
  }

  /**
   * One pass. Calls during a pass share one more pass after it, so recent
   * changes are seen without passes piling up behind a slow venue.
   */
  run(): Promise<ReconcileReport> {
    if (!this.current) return this.start();
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.start();
      });
    return this.next;
  }

  /** Passes until nothing is unresolved or `timeoutMs` has gone by; returns the last report. */
  async settle(timeoutMs: number): Promise<ReconcileReport> {
    const { now, signal } = this.options;
    const giveUpAt = now() + timeoutMs;
    for (;;) {
      // A pass fails while the database is away or behind; keep trying until the deadline.
      const report = await this.run().catch(() => undefined);
      const done = report !== undefined && report.unresolved.length === 0;
      if (done || now() >= giveUpAt || signal.aborted) return report ?? this.fromMemory();
      const waitMs = report ? await this.nextDecisionInMs(report) : 500;
      await sleep(Math.min(waitMs, giveUpAt - now()), signal);
    }
  }

  private start(): Promise<ReconcileReport> {
    const pass = reconcilePass(this.options).then((report) => {
      this.emit('report', report);
      return report;
    });
    this.current = pass;
    const clear = () => {
      if (this.current === pass) this.current = undefined;
    };
    pass.then(clear, clear);
    return pass;
  }

  /** What the engine's memory says when no pass could run: every order it is unsure of. */
  private fromMemory(): ReconcileReport {
    const unresolved = this.options.store
      .orders()
      .filter((order) => UNRESOLVED_STATUSES.has(order.status))
      .map((order) => order.clientOrderId);
    return {
      at: this.options.now(),
      durationMs: 0,
      checked: 0,
      differences: [],
      unresolved,
      complete: false,
    };
  }

  /** How long until an unresolved order of the last report can be decided. */
  private async nextDecisionInMs(report: ReconcileReport): Promise<number> {
    const { journal, now } = this.options;
    let earliest = Infinity;
    for (const id of report.unresolved) {
      const order = await journal.order(id).catch(() => undefined);
      if (order) earliest = Math.min(earliest, absenceConclusiveAt(this.options, order));
    }
    // At least a short pause (venue or breaker trouble), at most one second between passes.
    return Math.min(1_000, Math.max(100, earliest - now()));
  }
}
