import { FINAL_STATUSES, type Journal } from '../journal/index.js';
import { signedExecuted, type OrderStore } from './executor/index.js';

/**
 * Rebuilds the engine's memory from the journal after a restart: every order
 * not final goes back into the store (the reconciler settles them), and each
 * strategy's position is the sum of what its orders executed.
 */
export async function restoreStore(journal: Journal, store: OrderStore): Promise<void> {
  const positions = new Map<string, { strategyId: string; symbol: string; base: number }>();
  for (const order of await journal.orders()) {
    const key = `${order.strategyId} ${order.symbol}`;
    const position = positions.get(key) ?? {
      strategyId: order.strategyId,
      symbol: order.symbol,
      base: 0,
    };
    position.base += signedExecuted(order);
    positions.set(key, position);
    if (!FINAL_STATUSES.has(order.status)) store.adopt(order);
  }
  for (const { strategyId, symbol, base } of positions.values()) {
    store.restorePosition(strategyId, symbol, base);
  }
}
