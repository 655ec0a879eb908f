import { multiplyCeil, type Amount } from '../common/index.js';
import { rejected } from './errors.js';
import type { FillResult, TakeLimits } from './matching.js';
import type { OrderRegistry } from './order-registry.js';
import { isOpen, type OrderRequest } from './orders.js';
import type { SymbolSpec } from './symbols.js';

/** Rules a client order must pass, besides the symbol filters, before it is accepted. */
export function checkAccountRules(
  registry: OrderRegistry,
  accountId: string,
  spec: SymbolSpec,
  request: OrderRequest,
): void {
  // The matching engine, not the API layer, refuses this one: hence -2010, not -1013.
  if (registry.restingCount(accountId, spec.symbol) >= spec.maxNumOrders) {
    throw rejected.newOrder('Filter failure: MAX_NUM_ORDERS');
  }
  if (request.clientOrderId === undefined) return;
  const previous = registry.latestWithClientId(accountId, spec.symbol, request.clientOrderId);
  // The venue's rule: a client order id is unique only among open orders.
  if (previous && isOpen(previous)) throw rejected.duplicateOrder();
}

/** How far the order may trade: its limit price, and its size in base or quote. */
export function takeLimits(request: OrderRequest, spec: SymbolSpec): TakeLimits {
  return {
    side: request.side,
    limitPrice: request.type === 'MARKET' ? undefined : request.price,
    qtyLeft: request.quantity,
    quoteLeft: request.quantity === undefined ? request.quoteOrderQty : undefined,
    stepSize: spec.stepSize,
  };
}

/**
 * Funds the order holds from acceptance: the most it can spend. A BUY holds
 * quote (its limit value, or what a market order will cost on the current
 * book); a SELL holds its base quantity.
 */
export function fundsNeeded(request: OrderRequest, plan: FillResult): Amount {
  if (request.side === 'SELL') return request.quantity ?? plan.qty;
  if (request.type !== 'MARKET') return multiplyCeil(request.price ?? 0n, request.quantity ?? 0n);
  return plan.quote;
}

/** The asset an order's funds are held in. */
export function heldAsset(side: OrderRequest['side'], spec: SymbolSpec): string {
  return side === 'BUY' ? spec.quoteAsset : spec.baseAsset;
}
