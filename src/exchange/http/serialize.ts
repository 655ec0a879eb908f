import { formatAmount as f } from '../decimal.js';
import type { Account } from '../accounts.js';
import type { RollingStats } from '../market-stats.js';
import { isOpen, type Order, type Trade } from '../orders.js';
import type { RateLimits } from '../rate-limiter.js';
import type { SymbolSpec } from '../symbols.js';

/** Wire shapes of Binance Spot REST responses, field for field. */

export type ResponseType = 'ACK' | 'RESULT' | 'FULL';

// Responses are built as plain literals: on Node 20, `{ ...a, x }` costs microseconds per
// property, and these run on every order.

export function orderAck(order: Order) {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    transactTime: order.time,
  };
}

function orderResult(order: Order) {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    transactTime: order.time,
    price: f(order.price),
    origQty: f(order.origQty),
    executedQty: f(order.executedQty),
    origQuoteOrderQty: f(order.origQuoteOrderQty),
    cummulativeQuoteQty: f(order.cummulativeQuoteQty),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    workingTime: order.workingTime,
    selfTradePreventionMode: 'NONE',
  };
}

export function orderResponse(order: Order, fills: Trade[], type: ResponseType) {
  if (type === 'ACK') return orderAck(order);
  const result = orderResult(order);
  if (type === 'RESULT') return result;
  return Object.assign(result, {
    fills: fills.map((fill) => ({
      price: f(fill.price),
      qty: f(fill.qty),
      commission: f(fill.commission),
      commissionAsset: fill.commissionAsset,
      tradeId: fill.id,
    })),
  });
}

export function orderQuery(order: Order) {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: f(order.price),
    origQty: f(order.origQty),
    executedQty: f(order.executedQty),
    cummulativeQuoteQty: f(order.cummulativeQuoteQty),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    stopPrice: f(0n),
    icebergQty: f(0n),
    time: order.time,
    updateTime: order.updateTime,
    isWorking: isOpen(order) && order.workingTime >= 0,
    workingTime: order.workingTime,
    origQuoteOrderQty: f(order.origQuoteOrderQty),
    selfTradePreventionMode: 'NONE',
  };
}

export function cancelResponse(order: Order, cancelClientOrderId: string) {
  return {
    symbol: order.symbol,
    origClientOrderId: order.clientOrderId,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: cancelClientOrderId,
    transactTime: order.updateTime,
    price: f(order.price),
    origQty: f(order.origQty),
    executedQty: f(order.executedQty),
    origQuoteOrderQty: f(order.origQuoteOrderQty),
    cummulativeQuoteQty: f(order.cummulativeQuoteQty),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    selfTradePreventionMode: 'NONE',
  };
}

export function myTrade(trade: Trade) {
  return {
    symbol: trade.symbol,
    id: trade.id,
    orderId: trade.orderId,
    orderListId: -1,
    price: f(trade.price),
    qty: f(trade.qty),
    quoteQty: f(trade.quoteQty),
    commission: f(trade.commission),
    commissionAsset: trade.commissionAsset,
    time: trade.time,
    isBuyer: trade.isBuyer,
    isMaker: trade.isMaker,
    isBestMatch: true,
  };
}

export function accountInfo(account: Account, makerBps: number, takerBps: number, now: number) {
  const rate = (bps: number) => (bps / 10_000).toFixed(8);
  return {
    makerCommission: makerBps,
    takerCommission: takerBps,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: {
      maker: rate(makerBps),
      taker: rate(takerBps),
      buyer: rate(0),
      seller: rate(0),
    },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: account.updateTime || now,
    accountType: 'SPOT',
    balances: account
      .snapshot()
      .map((b) => ({ asset: b.asset, free: f(b.free), locked: f(b.locked) })),
    permissions: ['SPOT'],
    uid: 0,
  };
}

export function rateLimitsInfo(limits: RateLimits) {
  return [
    {
      rateLimitType: 'REQUEST_WEIGHT',
      interval: 'MINUTE',
      intervalNum: 1,
      limit: limits.weightPerMinute,
    },
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
  ];
}

export function symbolInfo(spec: SymbolSpec) {
  return {
    symbol: spec.symbol,
    status: 'TRADING',
    baseAsset: spec.baseAsset,
    baseAssetPrecision: 8,
    quoteAsset: spec.quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      {
        filterType: 'PRICE_FILTER',
        minPrice: f(spec.minPrice),
        maxPrice: f(spec.maxPrice),
        tickSize: f(spec.tickSize),
      },
      {
        filterType: 'LOT_SIZE',
        minQty: f(spec.minQty),
        maxQty: f(spec.maxQty),
        stepSize: f(spec.stepSize),
      },
      {
        filterType: 'MARKET_LOT_SIZE',
        minQty: f(spec.minQty),
        maxQty: f(spec.marketMaxQty),
        stepSize: f(spec.stepSize),
      },
      {
        filterType: 'NOTIONAL',
        minNotional: f(spec.minNotional),
        applyMinToMarket: true,
        maxNotional: f(spec.maxNotional),
        applyMaxToMarket: false,
        avgPriceMins: 0,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: spec.maxNumOrders },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'NONE',
    allowedSelfTradePreventionModes: ['NONE'],
  };
}

export function ticker24h(
  symbol: string,
  stats: RollingStats,
  bid: [bigint, bigint],
  ask: [bigint, bigint],
) {
  const change = stats.last - stats.open;
  const percent = stats.open === 0n ? 0 : (Number(change) / Number(stats.open)) * 100;
  const weighted =
    stats.volume === 0n ? stats.last : (stats.quoteVolume * 100_000_000n) / stats.volume;
  return {
    symbol,
    priceChange: f(change),
    priceChangePercent: percent.toFixed(3),
    weightedAvgPrice: f(weighted),
    prevClosePrice: f(stats.open),
    lastPrice: f(stats.last),
    lastQty: f(stats.lastQty),
    bidPrice: f(bid[0]),
    bidQty: f(bid[1]),
    askPrice: f(ask[0]),
    askQty: f(ask[1]),
    openPrice: f(stats.open),
    highPrice: f(stats.high),
    lowPrice: f(stats.low),
    volume: f(stats.volume),
    quoteVolume: f(stats.quoteVolume),
    openTime: stats.openTime,
    closeTime: stats.closeTime,
    firstId: stats.firstId,
    lastId: stats.lastId,
    count: stats.count,
  };
}
