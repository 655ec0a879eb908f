import type { Journal, OrderRecord } from '../../journal/index.js';
import type { VenueOrder } from '../connector/index.js';
import type { OrderCheckContext } from './reconcile-order.js';
import type { Difference } from './pass.js';

export interface OpenOrdersContext extends OrderCheckContext {
  journal: Journal;
  symbols: readonly string[];
  /** Whether a client order id is one this engine hands out (other bots may share the account). */
  ownsClientOrderId: (clientOrderId: string) => boolean;
}

/** The venue's resting orders of this engine, read one symbol at a time. */
export interface VenueOpenOrders {
  byClientOrderId: Map<string, VenueOrder>;
  /** Symbols whose list was read; for the others nothing can be concluded from absence. */
  readSymbols: Set<string>;
}

/**
 * Reads the venue's open orders per symbol: one cheap request per symbol
 * instead of one per resting order, which keeps a periodic reconcile far
 * from the venue's weight limit however many quotes the strategies keep.
 */
export async function readVenueOpenOrders(context: OpenOrdersContext): Promise<VenueOpenOrders> {
  const { venue, breaker } = context;
  const byClientOrderId = new Map<string, VenueOrder>();
  const readSymbols = new Set<string>();
  for (const symbol of context.symbols) {
    try {
      const open = await breaker.executeWithin(context.signal, context.queryTimeoutMs, (signal) =>
        venue.openOrders(symbol, signal),
      );
      for (const order of open) {
        if (context.ownsClientOrderId(order.clientOrderId))
          byClientOrderId.set(order.clientOrderId, order);
      }
      readSymbols.add(symbol);
    } catch {
      // Unreachable or rate limited: this pass cannot look at the symbol; the next one will.
    }
  }
  return { byClientOrderId, readSymbols };
}

/**
 * Orders resting at the venue under this engine's ids that the journal does
 * not hold as live. The executor journals before it sends, so an id the
 * journal has never heard of means a lost write: reported, never ignored.
 */
export async function unknownToJournal(
  journal: Journal,
  venueOpen: VenueOpenOrders,
  journalLive: readonly OrderRecord[],
): Promise<Difference[]> {
  const live = new Set(journalLive.map((order) => order.clientOrderId));
  const differences: Difference[] = [];
  for (const [clientOrderId, order] of venueOpen.byClientOrderId) {
    if (live.has(clientOrderId) || (await journal.order(clientOrderId))) continue;
    differences.push({ kind: 'unknown_to_journal', clientOrderId, symbol: order.symbol });
  }
  return differences;
}
