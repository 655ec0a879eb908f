import type { Account } from './accounts.js';
import { heldAsset } from './admission.js';
import { multiply, type Amount } from '../common/index.js';
import type { Order, Trade } from './orders.js';
import type { SymbolSpec } from './symbols.js';

/** One match between two orders, before it is booked to either side. */
export interface Execution {
  tradeId: number;
  price: Amount;
  qty: Amount;
  quote: Amount;
  time: number;
}

/**
 * Books one side of an execution: the order's progress, and the account's
 * funds (paid from what the order held, received less commission, which is
 * charged in the asset received). The liquidity provider has no account.
 */
export function settleSide(
  order: Order,
  account: Account | undefined,
  spec: SymbolSpec,
  execution: Execution,
  feeRate: Amount,
  isMaker: boolean,
): Trade {
  const { price, qty, quote, time } = execution;
  const isBuyer = order.side === 'BUY';
  const received = isBuyer ? qty : quote;
  const paid = isBuyer ? quote : qty;
  const commissionAsset = isBuyer ? spec.baseAsset : spec.quoteAsset;
  const commission = multiply(received, feeRate);
  order.executedQty += qty;
  order.cummulativeQuoteQty += quote;
  order.updateTime = time;
  order.locked -= paid;
  if (account) {
    account.spendLocked(heldAsset(order.side, spec), paid);
    account.credit(commissionAsset, received - commission);
    account.updateTime = time;
  }
  return {
    id: execution.tradeId,
    symbol: order.symbol,
    orderId: order.orderId,
    account: order.account,
    clientOrderId: order.clientOrderId,
    price,
    qty,
    quoteQty: quote,
    commission,
    commissionAsset,
    time,
    isBuyer,
    isMaker,
  };
}
