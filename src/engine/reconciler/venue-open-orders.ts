import type { Journal } from '../../journal/index.js';
import type { OrderCheckContext } from './reconcile-order.js';
import type { Difference } from './reconciler.js';

export interface OpenOrdersContext extends OrderCheckContext {
  journal: Journal;
  symbols: readonly string[];
  /** Whether a client order id is one this engine hands out (other bots may share the account). */
  ownsClientOrderId: (clientOrderId: string) => boolean;
}

/**
 * Looks for orders resting at the venue under this engine's ids that the
 * journal has never heard of. The executor journals before it sends, so such
 * an order means the journal lost a write: it is reported, never ignored.
 */
export async function compareOpenOrders(
  context: OpenOrdersContext,
): Promise<{ differences: Difference[]; complete: boolean }> {
  const { venue, breaker, journal } = context;
  const differences: Difference[] = [];
  let complete = true;
  for (const symbol of context.symbols) {
    const signal = AbortSignal.any([context.signal, AbortSignal.timeout(context.queryTimeoutMs)]);
    try {
      const open = await breaker.execute(() => venue.openOrders(symbol, signal), signal);
      for (const order of open) {
        if (!context.ownsClientOrderId(order.clientOrderId)) continue;
        if (await journal.order(order.clientOrderId)) continue;
        differences.push({
          kind: 'unknown_to_journal',
          clientOrderId: order.clientOrderId,
          symbol,
        });
      }
    } catch {
      // Unreachable or rate limited: this pass could not look; the next one will.
      complete = false;
    }
  }
  return { differences, complete };
}
