import { OPEN_STATUSES, UNRESOLVED_STATUSES, type OrderRecord } from '../../journal/index.js';
import type { VenueOrder } from '../connector/index.js';
import {
  differsFromVenue,
  withStatus,
  withVenueState,
  type OrderStore,
} from '../executor/index.js';
import { checkOrder, type OrderCheck, type OrderCheckContext } from './reconcile-order.js';
import {
  readVenueOpenOrders,
  unknownToJournal,
  type OpenOrdersContext,
  type VenueOpenOrders,
} from './venue-open-orders.js';

export interface PassContext extends OrderCheckContext, OpenOrdersContext {
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
  /** Orders still PENDING or UNKNOWN after this pass, those the executor is still placing included. */
  unresolved: string[];
  /** Whether the venue could be asked about everything. */
  complete: boolean;
}

/** Thrown when the database does not yet hold every journal entry (spool not replayed): reads would be stale. */
export class JournalBehindError extends Error {
  override name = 'JournalBehindError';
}

/** One reconcile pass: the venue's resting orders, then every live journal order not in flight. */
export async function reconcilePass(context: PassContext): Promise<ReconcileReport> {
  const { journal, now } = context;
  const startedAt = now();
  if (journal.status().mode !== 'direct')
    throw new JournalBehindError('the journal is replaying its spool');
  // The venue first: an order placed after this read is already in the journal read next.
  const venueOpen = await readVenueOpenOrders(context);
  const live = await journal.orders({ statuses: [...UNRESOLVED_STATUSES, ...OPEN_STATUSES] });
  const differences = await unknownToJournal(journal, venueOpen, live);
  const unresolved = live
    .filter((o) => context.isPlacing(o.clientOrderId))
    .map((o) => o.clientOrderId);
  const orders = live.filter((order) => !context.isPlacing(order.clientOrderId));
  let complete = venueOpen.readSymbols.size === context.symbols.length;
  await forEachLimited(orders, context.concurrency ?? 8, async (order) => {
    if (stillOpenAsJournaled(order, venueOpen)) return;
    const check = await checkOrder(context, order);
    const difference = await apply(context, order, check);
    if (difference) differences.push(difference);
    if (check.kind === 'unresolved') {
      unresolved.push(order.clientOrderId);
      if (check.reason !== 'could_still_land') complete = false;
    }
  });
  const durationMs = now() - startedAt;
  return { at: startedAt, durationMs, checked: orders.length, differences, unresolved, complete };
}

/**
 * Makes the journal say what the check found. The update is built on the
 * newest version of the order this engine knows (another writer, a cancel,
 * may have moved it on since the database was read) and claimed in memory
 * before it is journaled, so two writers never journal one version twice.
 */
async function apply(
  context: PassContext,
  dbOrder: OrderRecord,
  check: OrderCheck,
): Promise<Difference | undefined> {
  if (check.kind === 'missing_at_venue') {
    return { kind: 'missing_at_venue', clientOrderId: dbOrder.clientOrderId };
  }
  if (check.kind !== 'updated' && check.kind !== 'abandoned') return undefined;
  const { store, journal, now } = context;
  const known = store.get(dbOrder.clientOrderId);
  const base = known && known.version > dbOrder.version ? known : dbOrder;
  if ((store.latestVersion(base.clientOrderId) ?? 0) > base.version) return undefined;
  const next = nextRecord(base, check, now());
  if (!next || !store.put(next)) return undefined;
  await journal.append({ kind: 'RECONCILED', order: next });
  return check.kind === 'abandoned'
    ? { kind: 'abandoned', clientOrderId: next.clientOrderId }
    : { kind: 'updated', clientOrderId: next.clientOrderId, from: base.status, to: next.status };
}

function nextRecord(
  base: OrderRecord,
  check: { kind: 'updated'; venueOrder: VenueOrder } | { kind: 'abandoned'; order: OrderRecord },
  at: number,
): OrderRecord | undefined {
  if (check.kind === 'abandoned') {
    // Only an order still unresolved may be given up; anything newer knows better.
    return UNRESOLVED_STATUSES.has(base.status)
      ? withStatus(base, 'ABANDONED', 'absent_at_venue', at)
      : undefined;
  }
  return differsFromVenue(base, check.venueOrder)
    ? withVenueState(base, check.venueOrder, at)
    : undefined;
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
