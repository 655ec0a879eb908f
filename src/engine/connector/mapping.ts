import ccxt from 'ccxt';
import type {
  Balances,
  Fee,
  MarketInterface,
  Order as CcxtOrder,
  Tickers,
  Trade as CcxtTrade,
} from 'ccxt';
import type { OrderStatus } from '../../journal/index.js';
import type {
  Balance,
  BookTop,
  MarketRules,
  PlaceOrderRequest,
  VenueOrder,
  VenueTrade,
} from './venue-client.js';

/** Binance's order statuses, as the journal names them. */
const VENUE_STATUSES: Record<string, OrderStatus> = {
  NEW: 'NEW',
  PENDING_NEW: 'NEW',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  CANCELED: 'CANCELED',
  // Still open until the venue confirms the cancel.
  PENDING_CANCEL: 'NEW',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
  EXPIRED_IN_MATCH: 'EXPIRED',
};

type Info = Record<string, unknown>;

/** A decimal string without trailing zeros ("0.00100000" → "0.001"); numbers without float noise. */
export function decimal(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value))
    return ccxt.Precise.stringAdd(ccxt.numberToString(value), '0');
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
    return ccxt.Precise.stringAdd(value, '0');
  return undefined;
}

/** The journal's status: the venue's own word when it gave one, else ccxt's unified status. */
export function journalStatus(order: CcxtOrder): OrderStatus {
  const raw = (order.info as Info | undefined)?.['status'];
  if (typeof raw === 'string' && raw in VENUE_STATUSES) return VENUE_STATUSES[raw]!;
  switch (order.status) {
    case 'closed':
      return 'FILLED';
    case 'canceled':
      return 'CANCELED';
    case 'expired':
      return 'EXPIRED';
    case 'rejected':
      return 'REJECTED';
    default:
      return (order.filled ?? 0) > 0 ? 'PARTIALLY_FILLED' : 'NEW';
  }
}

/**
 * Fee per asset over the fills in this answer: Binance's `fills` (exact
 * strings) when present, else ccxt's unified fees.
 */
export function feesOf(order: CcxtOrder): Record<string, string> {
  const fees: Record<string, string> = {};
  const add = (asset: unknown, amount: unknown) => {
    const value = decimal(amount);
    if (typeof asset !== 'string' || value === undefined) return;
    fees[asset] = ccxt.Precise.stringAdd(fees[asset] ?? '0', value) ?? value;
  };
  const fills = (order.info as Info | undefined)?.['fills'];
  if (Array.isArray(fills)) {
    for (const fill of fills as Info[]) add(fill['commissionAsset'], fill['commission']);
    return fees;
  }
  // ccxt fills `fees` at run time; its Order type only declares `fee`.
  const listed = (order as CcxtOrder & { fees?: Fee[] }).fees;
  const unified = listed?.length ? listed : order.fee ? [order.fee] : [];
  for (const fee of unified) add(fee?.currency, fee?.cost);
  return fees;
}

/** A ccxt order as the journal sees it; `clientOrderId` overrides the answer's (a cancel answer carries the cancel's own id). */
export function venueOrder(order: CcxtOrder, clientOrderId?: string): VenueOrder {
  const info = (order.info ?? {}) as Info;
  return {
    clientOrderId: clientOrderId ?? order.clientOrderId ?? '',
    exchangeOrderId: String(order.id),
    symbol: order.symbol ?? '',
    status: journalStatus(order),
    executedQty: decimal(info['executedQty']) ?? decimal(order.filled) ?? '0',
    cumulativeQuote: decimal(info['cummulativeQuoteQty']) ?? decimal(order.cost) ?? '0',
    fees: feesOf(order),
  };
}

/** A ccxt trade as the venue gave it: Binance's exact strings when present, else ccxt's unified numbers. */
export function venueTrade(trade: CcxtTrade): VenueTrade {
  const info = (trade.info ?? {}) as Info;
  return {
    tradeId: String(trade.id),
    exchangeOrderId: String(trade.order ?? info['orderId'] ?? ''),
    symbol: trade.symbol ?? '',
    side: trade.side === 'sell' ? 'SELL' : 'BUY',
    quantity: decimal(info['qty']) ?? decimal(trade.amount) ?? '0',
    quoteQuantity: decimal(info['quoteQty']) ?? decimal(trade.cost) ?? '0',
    fee: decimal(info['commission']) ?? decimal(trade.fee?.cost) ?? '0',
    feeAsset: String(info['commissionAsset'] ?? trade.fee?.currency ?? ''),
    at: trade.timestamp ?? 0,
  };
}

/** One market's rules: Binance's filters verbatim when present, else ccxt's unified precision and limits. */
export function marketRules(market: MarketInterface, precisionMode: number): MarketRules {
  const filters = (market.info as Info | undefined)?.['filters'];
  const filter = (type: string, field: string): string | undefined => {
    if (!Array.isArray(filters)) return undefined;
    const found = (filters as Info[]).find((f) => f['filterType'] === type);
    return decimal(found?.[field]);
  };
  const step = (precision: number | undefined) =>
    precision === undefined
      ? undefined
      : precisionMode === ccxt.DECIMAL_PLACES
        ? ccxt.Precise.stringDiv('1', `1${'0'.repeat(precision)}`)
        : decimal(precision);
  return {
    symbol: market.symbol,
    base: market.base,
    quote: market.quote,
    stepSize: filter('LOT_SIZE', 'stepSize') ?? step(market.precision.amount) ?? '0',
    tickSize: filter('PRICE_FILTER', 'tickSize') ?? step(market.precision.price) ?? '0',
    minQty: filter('LOT_SIZE', 'minQty') ?? decimal(market.limits.amount?.min) ?? '0',
    minNotional:
      filter('NOTIONAL', 'minNotional') ??
      filter('MIN_NOTIONAL', 'minNotional') ??
      decimal(market.limits.cost?.min) ??
      '0',
  };
}

/** Free and locked per asset: Binance's account balances verbatim when present, else ccxt's unified ones. */
export function balancesOf(balance: Balances): Map<string, Balance> {
  const result = new Map<string, Balance>();
  const raw = (balance.info as Info | undefined)?.['balances'];
  if (Array.isArray(raw)) {
    for (const entry of raw as Info[]) {
      const free = decimal(entry['free']);
      const locked = decimal(entry['locked']);
      if (typeof entry['asset'] === 'string' && free !== undefined && locked !== undefined) {
        result.set(entry['asset'], { free, locked });
      }
    }
    return result;
  }
  const free = (balance.free ?? {}) as unknown as Record<string, number | undefined>;
  const used = (balance.used ?? {}) as unknown as Record<string, number | undefined>;
  for (const asset of Object.keys(free)) {
    result.set(asset, { free: decimal(free[asset]) ?? '0', locked: decimal(used[asset]) ?? '0' });
  }
  return result;
}

/** Best bid and ask per symbol; a symbol without both sides is left out. */
export function bookTopsOf(tickers: Tickers, atMs: number): Map<string, BookTop> {
  const tops = new Map<string, BookTop>();
  for (const ticker of Object.values(tickers)) {
    const { bid, ask } = ticker;
    if (typeof bid !== 'number' || typeof ask !== 'number' || !ticker.symbol) continue;
    tops.set(ticker.symbol, { symbol: ticker.symbol, bid, ask, at: atMs });
  }
  return tops;
}

/**
 * createOrder's params: Binance's own parameter name for the client order id
 * (ccxt passes unknown params through, and the venue refuses any it does not
 * read); ccxt's unified `clientOrderId` for other venues.
 */
export function orderParams(
  exchangeId: string,
  request: PlaceOrderRequest,
): Record<string, unknown> {
  const params: Record<string, unknown> =
    exchangeId === 'binance'
      ? { newClientOrderId: request.clientOrderId }
      : { clientOrderId: request.clientOrderId };
  // ccxt sends a post-only limit as Binance's LIMIT_MAKER, without timeInForce.
  if (request.type === 'LIMIT_MAKER') params['postOnly'] = true;
  else if (request.type === 'LIMIT') params['timeInForce'] = request.timeInForce ?? 'GTC';
  return params;
}

/** fetchOrder / cancelOrder params that select an order by client order id. */
export function clientIdParams(exchangeId: string, clientOrderId: string): Record<string, unknown> {
  return exchangeId === 'binance' ? { origClientOrderId: clientOrderId } : { clientOrderId };
}
