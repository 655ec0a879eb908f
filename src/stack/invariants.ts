import type { EngineSummary } from '../engine/index.js';
import type { LedgerEntry } from '../exchange/index.js';
import { UNRESOLVED_STATUSES, type OrderRecord } from '../journal/index.js';

/** One broken invariant, named by client order id. */
export interface InvariantViolation {
  kind: 'lost' | 'duplicated' | 'unresolved' | 'mismatched';
  clientOrderId: string;
  detail: string;
}

export interface InvariantReport {
  /** Orders the exchange accepted that the journal lacks or says the exchange never had. */
  lost: number;
  /** Client order ids the exchange accepted more than once: one intent, two orders. */
  duplicated: number;
  /** Journal orders still PENDING or UNKNOWN. */
  unresolved: number;
  /** Orders whose final status or executed quantity differ between journal and exchange. */
  mismatched: number;
  /** Client order ids the exchange accepted from this account (a duplicated id counts once). */
  exchangeOrders: number;
  /** Orders in the journal. */
  journalOrders: number;
  ok: boolean;
  /** The first violations of each kind, for the report. */
  examples: InvariantViolation[];
}

interface ExchangeView {
  accepted: number;
  status: string;
  executedQty: string;
}

const EXAMPLES_PER_KIND = 5;

/**
 * The suite's verdict on an engine: its journal against the exchange's
 * ledger (the ground truth), keyed by client order id. Binance refuses a
 * reused client order id only while the first order is open, so a duplicate
 * shows up as two acceptances under one id.
 */
export function checkInvariants(
  journal: readonly OrderRecord[],
  ledger: readonly LedgerEntry[],
  apiKey: string,
): InvariantReport {
  const exchange = exchangeView(ledger, apiKey);
  const journalById = new Map(journal.map((order) => [order.clientOrderId, order]));
  const violations: InvariantViolation[] = [];
  for (const [clientOrderId, view] of exchange) {
    const order = journalById.get(clientOrderId);
    if (view.accepted > 1) {
      violations.push({
        kind: 'duplicated',
        clientOrderId,
        detail: `accepted ${view.accepted} times`,
      });
    }
    if (!order || order.status === 'REJECTED' || order.status === 'ABANDONED') {
      violations.push({
        kind: 'lost',
        clientOrderId,
        detail: order
          ? `journal says ${order.status}, exchange says ${view.status}`
          : 'not in the journal',
      });
    } else if (!UNRESOLVED_STATUSES.has(order.status) && !agrees(order, view)) {
      violations.push({
        kind: 'mismatched',
        clientOrderId,
        detail: `journal ${order.status} ${order.executedQty}, exchange ${view.status} ${view.executedQty}`,
      });
    }
  }
  for (const order of journal) {
    if (UNRESOLVED_STATUSES.has(order.status)) {
      violations.push({
        kind: 'unresolved',
        clientOrderId: order.clientOrderId,
        detail: order.status,
      });
    } else if (!exchange.has(order.clientOrderId) && !neverPlaced(order)) {
      violations.push({
        kind: 'mismatched',
        clientOrderId: order.clientOrderId,
        detail: `journal says ${order.status}, the exchange never accepted it`,
      });
    }
  }
  return summarise(violations, exchange.size, journal.length);
}

function exchangeView(ledger: readonly LedgerEntry[], apiKey: string): Map<string, ExchangeView> {
  const byId = new Map<string, ExchangeView>();
  for (const entry of ledger) {
    if (entry.apiKey !== apiKey) continue;
    let view = byId.get(entry.clientOrderId);
    if (!view) {
      view = { accepted: 0, status: 'NEW', executedQty: '0' };
      byId.set(entry.clientOrderId, view);
    }
    if (entry.event === 'ORDER_ACCEPTED') view.accepted += 1;
    if (entry.event === 'ORDER_STATUS') {
      view.status = entry.status;
      view.executedQty = entry.executedQty;
    }
  }
  return byId;
}

function agrees(order: OrderRecord, view: ExchangeView): boolean {
  return order.status === view.status && Number(order.executedQty) === Number(view.executedQty);
}

function neverPlaced(order: OrderRecord): boolean {
  return order.status === 'REJECTED' || order.status === 'ABANDONED';
}

function summarise(
  violations: InvariantViolation[],
  exchangeOrders: number,
  journalOrders: number,
): InvariantReport {
  const count = (kind: InvariantViolation['kind']) =>
    violations.filter((violation) => violation.kind === kind).length;
  const examples = (['lost', 'duplicated', 'unresolved', 'mismatched'] as const).flatMap((kind) =>
    violations.filter((violation) => violation.kind === kind).slice(0, EXAMPLES_PER_KIND),
  );
  const report = {
    lost: count('lost'),
    duplicated: count('duplicated'),
    unresolved: count('unresolved'),
    mismatched: count('mismatched'),
    exchangeOrders,
    journalOrders,
    examples,
  };
  return { ...report, ok: violations.length === 0 };
}

/**
 * The verdict of a run on its orders: the journal against the ledger, and the
 * venue's balances explained by the fills (known only when the engine stopped
 * cleanly and said so in its summary).
 */
export function judgeInvariants(
  invariants: InvariantReport,
  summary: EngineSummary | undefined,
): { passed: boolean; detail: string } {
  const { lost, duplicated, unresolved, mismatched, journalOrders, exchangeOrders } = invariants;
  const balances = summary?.balances;
  const balanceWords = !balances
    ? 'balances not checked (the engine did not stop cleanly)'
    : !balances.checked
      ? `balances not checked: ${balances.reason ?? 'unknown reason'}`
      : balances.ok
        ? 'every balance explained'
        : 'balances do not add up';
  return {
    passed: invariants.ok && balances?.checked === true && balances.ok,
    detail:
      `${journalOrders} journaled, ${exchangeOrders} at the exchange: ${lost} lost, ` +
      `${duplicated} duplicated, ${unresolved} unresolved, ${mismatched} mismatched; ${balanceWords}`,
  };
}
