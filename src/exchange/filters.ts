import { multiply, type Amount } from '../common/index.js';
import { rejected } from './errors.js';
import type { OrderRequest } from './orders.js';
import type { SymbolSpec } from './symbols.js';

/**
 * Applies the symbol's filters to a new order, throwing the venue's
 * "Filter failure: NAME" (-1013) for the first one it breaks. Market orders
 * are valued at the reference price (the current mid) for NOTIONAL.
 */
export function checkFilters(
  spec: SymbolSpec,
  request: OrderRequest,
  referencePrice: Amount,
): void {
  if (request.type === 'MARKET') {
    checkMarketOrder(spec, request, referencePrice);
    return;
  }
  const price = request.price ?? 0n;
  const quantity = request.quantity ?? 0n;
  if (!onGrid(price, spec.minPrice, spec.maxPrice, spec.tickSize))
    throw rejected.filter('PRICE_FILTER');
  if (!onGrid(quantity, spec.minQty, spec.maxQty, spec.stepSize)) throw rejected.filter('LOT_SIZE');
  checkNotional(spec, multiply(price, quantity));
}

function checkMarketOrder(spec: SymbolSpec, request: OrderRequest, referencePrice: Amount): void {
  // exchangeInfo says applyMinToMarket: true, applyMaxToMarket: false.
  if (request.quoteOrderQty !== undefined) {
    checkNotional(spec, request.quoteOrderQty, false);
    return;
  }
  const quantity = request.quantity ?? 0n;
  if (!onGrid(quantity, spec.minQty, spec.marketMaxQty, spec.stepSize)) {
    throw rejected.filter('MARKET_LOT_SIZE');
  }
  checkNotional(spec, multiply(referencePrice, quantity), false);
}

function checkNotional(spec: SymbolSpec, notional: Amount, applyMax = true): void {
  const overMax = applyMax && notional > spec.maxNotional;
  if (notional < spec.minNotional || overMax) throw rejected.filter('NOTIONAL');
}

/** Within [min, max] and a whole number of steps above min. */
function onGrid(value: Amount, min: Amount, max: Amount, step: Amount): boolean {
  return value >= min && value <= max && (value - min) % step === 0n;
}
