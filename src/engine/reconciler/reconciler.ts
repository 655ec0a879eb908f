import { EventEmitter } from 'node:events';
import { sleep } from '../../common/index.js';
import { OPEN_STATUSES, UNRESOLVED_STATUSES, type OrderRecord } from '../../journal/index.js';
import type { OrderStore } from '../executor/index.js';
import { absenceConclusiveAt, checkOrder, type OrderCheckContext } from './reconcile-order.js';
import { differsFromVenue } from '../executor/index.js';
import {
  readVenueOpenOrders,
  unknownToJournal,
  type OpenOrdersContext,
  type VenueOpenOrders,
} from './venue-open-orders.js';

export interface ReconcilerOptions extends OrderCheckContext, OpenOrdersContext {
  store: OrderStore;
  /** Orders the executor is placing right now: it owns them, the reconciler leaves them alone. */
  isPlacing: (clientOrderId: string) => boolean;
  /** Venue queries at once. Default 8. */
  concurrency?: number;
}

export type Difference =
  | { kind: 'updated'; clientOrderId: string; from: string; to: string }
  | { kind: 'abandoned'; clientOrderId: string }
  | { kind: 'missing_at_venue'; clientOrderId: string }
  /** Open at the venue under one of this engine's ids, and absent from the journal: a lost order. */
  | { kind: 'unknown_to_journal'; clientOrderId: string; symbol: string };

export interface ReconcileReport {
  at: number;
  durationMs: number;
  /** Journal orders compared with the venue. */
  checked: number;
  differences: Difference[];
  /** Orders still PENDING or UNKNOWN after this pass. */
  unresolved: string[];
  /** Whether the venue could be asked about everything. */
  complete: boolean;
}

export interface ReconcilerEvents {
  report: [ReconcileReport];
}

/**
 * Compares the journal with the venue and makes the journal true: statuses and
 * fills of orders the engine is not handling, unresolved orders settled once
 * the venue's answer is final, open orders the journal does not know reported.
 */
export class Reconciler extends EventEmitter<ReconcilerEvents> {
  private running: Promise<ReconcileReport> | undefined;
  private rerun = false;

  constructor(private readonly options: ReconcilerOptions) {
    super();
  }

  /** One pass. A call during a pass gets one more pass after it, so recent changes are seen. */
  async run(): Promise<ReconcileReport> {
    if (this.running) {
      this.rerun = true;
      await this.running.catch(() => undefined);
      return this.run();
    }
    this.rerun = false;
    this.running = this.pass();
    try {
      const report = await this.running;
      this.emit('report', report);
      return report;
    } finally {
      this.running = undefined;
    }
  }

  /** Passes until nothing is unresolved or `timeoutMs` has gone by; returns the last report. */
  async settle(timeoutMs: number): Promise<ReconcileReport> {
    const { now, signal } = this.options;
    const giveUpAt = now() + timeoutMs;
    for (;;) {
      const report = await this.run();
      if (report.unresolved.length === 0 || now() >= giveUpAt || signal.aborted) return report;
      await sleep(Math.min(await this.nextDecisionInMs(report), giveUpAt - now()), signal);
    }
  }

  private async pass(): Promise<ReconcileReport> {
    const { journal, now } = this.options;
    const startedAt = now();
    // The venue first: an order placed after this read is already in the journal read next.
    const venueOpen = await readVenueOpenOrders(this.options);
    const live = await journal.orders({ statuses: [...UNRESOLVED_STATUSES, ...OPEN_STATUSES] });
    const orders = live.filter((order) => !this.options.isPlacing(order.clientOrderId));
    const differences = await unknownToJournal(journal, venueOpen, live);
    const unresolved: string[] = [];
    let complete = venueOpen.readSymbols.size === this.options.symbols.length;
    await forEachLimited(orders, this.options.concurrency ?? 8, async (order) => {
      if (stillOpenAsJournaled(order, venueOpen)) return;
      const check = await checkOrder(this.options, order);
      if (check.kind === 'updated') {
        await this.record(check.order);
        differences.push({
          kind: 'updated',
          clientOrderId: order.clientOrderId,
          from: check.before,
          to: check.order.status,
        });
      } else if (check.kind === 'abandoned') {
        await this.record(check.order);
        differences.push({ kind: 'abandoned', clientOrderId: order.clientOrderId });
      } else if (check.kind === 'missing_at_venue') {
        differences.push({ kind: 'missing_at_venue', clientOrderId: order.clientOrderId });
      } else if (check.kind === 'unresolved') {
        unresolved.push(order.clientOrderId);
        if (check.reason !== 'could_still_land') complete = false;
      }
    });
    return {
      at: startedAt,
      durationMs: now() - startedAt,
      checked: orders.length,
      differences,
      unresolved,
      complete,
    };
  }

  private async record(order: OrderRecord): Promise<void> {
    await this.options.journal.append({ kind: 'RECONCILED', order });
    this.options.store.put(order);
  }

  /** How long until an unresolved order of the last report can be decided. */
  private async nextDecisionInMs(report: ReconcileReport): Promise<number> {
    const { journal, now } = this.options;
    let earliest = Infinity;
    for (const id of report.unresolved) {
      const order = await journal.order(id);
      if (order) earliest = Math.min(earliest, absenceConclusiveAt(this.options, order));
    }
    // At least a short pause (venue or breaker trouble), at most one second between passes.
    return Math.min(1_000, Math.max(100, earliest - now()));
  }
}

/** Whether the venue's open-order list shows the order exactly as the journal has it: nothing to ask. */
function stillOpenAsJournaled(order: OrderRecord, venueOpen: VenueOpenOrders): boolean {
  const listed = venueOpen.byClientOrderId.get(order.clientOrderId);
  return listed !== undefined && !differsFromVenue(order, listed);
}

/** Runs `work` over items with at most `limit` at once. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
