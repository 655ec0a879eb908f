import { formatAmount as f } from '../../common/index.js';
import type { RollingStats } from '../market-stats.js';
import type { RateLimits } from '../rate-limiter.js';
import type { SymbolSpec } from '../symbols.js';

/** Wire shapes of Binance Spot market-data responses, field for field. */

export function rateLimitsInfo(limits: RateLimits) {
  return [
    {
      rateLimitType: 'REQUEST_WEIGHT',
      ...weightInterval(limits.weightWindowSeconds),
      limit: limits.weightLimit,
    },
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
  ];
}

/** Binance states intervals as a unit and a count: 1 MINUTE, 10 SECOND. */
export function weightInterval(seconds: number): { interval: string; intervalNum: number } {
  return seconds % 60 === 0
    ? { interval: 'MINUTE', intervalNum: seconds / 60 }
    : { interval: 'SECOND', intervalNum: seconds };
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
