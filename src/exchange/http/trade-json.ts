import { formatAmount as f, SCALE, type Amount } from '../../common/index.js';
import type { Account } from '../accounts.js';
import type { Order, Trade } from '../orders.js';

/** Wire shapes of Binance Spot order, trade and account responses, field for field. */

export type ResponseType = 'ACK' | 'RESULT' | 'FULL';

// Built from literals and Object.assign, never `{ ...a, x }`: on Node 20 spreading then
// adding properties costs microseconds per property, and these run on every order.

export function orderAck(order: Order) {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    transactTime: order.time,
  };
}

/** The fields every full order shape shares: price, sizes, progress, status and kind. */
function orderState(order: Order) {
  return {
    price: f(order.price),
    origQty: f(order.origQty),
    executedQty: f(order.executedQty),
    origQuoteOrderQty: f(order.origQuoteOrderQty),
    cummulativeQuoteQty: f(order.cummulativeQuoteQty),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
  };
}

export function orderResponse(order: Order, fills: Trade[], type: ResponseType) {
  if (type === 'ACK') return orderAck(order);
  const result = Object.assign(orderAck(order), orderState(order), {
    workingTime: order.workingTime,
    selfTradePreventionMode: 'NONE',
  });
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
  const head = {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
  };
  return Object.assign(head, orderState(order), {
    stopPrice: f(0n),
    icebergQty: f(0n),
    time: order.time,
    updateTime: order.updateTime,
    // Only conditional orders (stop, take-profit) wait before working; none exist here.
    isWorking: true,
    workingTime: order.workingTime,
    selfTradePreventionMode: 'NONE',
  });
}

export function cancelResponse(order: Order, cancelClientOrderId: string) {
  const head = {
    symbol: order.symbol,
    origClientOrderId: order.clientOrderId,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: cancelClientOrderId,
    transactTime: order.updateTime,
  };
  return Object.assign(head, orderState(order), { selfTradePreventionMode: 'NONE' });
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

/** Balances as the venue lists them; with omitZero, only assets with something free or locked. */
export function balancesOf(account: Account, omitZero = false) {
  return account
    .snapshot()
    .filter((b) => !omitZero || b.free !== 0n || b.locked !== 0n)
    .map((b) => ({ asset: b.asset, free: f(b.free), locked: f(b.locked) }));
}

export interface AccountInfoOptions {
  makerFeeRate: Amount;
  takerFeeRate: Amount;
  omitZeroBalances: boolean;
  now: number;
}

export function accountInfo(account: Account, options: AccountInfoOptions) {
  // The legacy integer fields count in basis points; commissionRates are fractions.
  const bps = (rate: Amount) => Number((rate * 10_000n) / SCALE);
  return {
    makerCommission: bps(options.makerFeeRate),
    takerCommission: bps(options.takerFeeRate),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: {
      maker: f(options.makerFeeRate),
      taker: f(options.takerFeeRate),
      buyer: f(0n),
      seller: f(0n),
    },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: account.updateTime || options.now,
    accountType: 'SPOT',
    balances: balancesOf(account, options.omitZeroBalances),
    permissions: ['SPOT'],
    uid: 0,
  };
}
