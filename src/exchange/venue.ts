import { Account } from './accounts.js';
import { amount, multiply, multiplyCeil, type Amount } from '../common/index.js';
import { rejected } from './errors.js';
import { checkAccountRules, fundsNeeded, heldAsset, takeLimits } from './admission.js';
import { checkFilters } from './filters.js';
import { Ledger } from './ledger.js';
import { settleSide, type Execution } from './settlement.js';
import { MarketStats } from './market-stats.js';
import { drain, match } from './matching.js';
import { OrderBook } from './order-book.js';
import { OrderRegistry, type OrderRef } from './order-registry.js';
import {
  isOpen,
  randomClientOrderId,
  remainingQty,
  type Order,
  type OrderRequest,
  type Trade,
} from './orders.js';
import type { SymbolSpec } from './symbols.js';

/** The built-in liquidity provider's account id: unlimited funds, never in the ledger. */
export const LIQUIDITY_ACCOUNT = '__liquidity__';

export interface AccountConfig {
  apiKey: string;
  apiSecret: string;
  /** Starting free balance per asset. */
  balances: Record<string, Amount>;
}

export interface VenueOptions {
  symbols: SymbolSpec[];
  accounts: AccountConfig[];
  /** Commission rates as fractions; Binance's default tier is 0.001 (10 bps) for both. */
  makerFeeRate?: Amount;
  takerFeeRate?: Amount;
  /** Clock, in epoch milliseconds. */
  now?: () => number;
  /** Told when a ledger listener throws; default: a process warning. */
  onListenerError?: (error: unknown) => void;
}

export interface PlaceResult {
  order: Order;
  /** The taker's fills from this request, in order. */
  fills: Trade[];
}

/**
 * The venue: books, accounts, orders and trades, and the rules that move
 * between them. It knows nothing of HTTP; the REST layer and the liquidity
 * provider both call it.
 */
export class Venue {
  readonly ledger: Ledger;
  readonly now: () => number;
  readonly symbols: ReadonlyMap<string, SymbolSpec>;
  readonly makerFeeRate: Amount;
  readonly takerFeeRate: Amount;
  private readonly books = new Map<string, OrderBook>();
  private readonly stats = new Map<string, MarketStats>();
  private accounts = new Map<string, Account>();
  private readonly registry = new OrderRegistry();
  private nextOrderId = 1;
  private nextTradeId = 1;

  constructor(private readonly options: VenueOptions) {
    this.now = options.now ?? Date.now;
    this.ledger = new Ledger(
      options.onListenerError ??
        ((error) => process.emitWarning(`ledger listener failed: ${String(error)}`)),
    );
    this.makerFeeRate = options.makerFeeRate ?? amount('0.001');
    this.takerFeeRate = options.takerFeeRate ?? amount('0.001');
    this.symbols = new Map(options.symbols.map((spec) => [spec.symbol, spec]));
    for (const spec of options.symbols) {
      this.books.set(spec.symbol, new OrderBook());
      this.stats.set(spec.symbol, new MarketStats());
    }
    this.reset();
  }

  /** Forgets every order, trade and ledger entry and restores the starting balances. */
  reset(): void {
    this.accounts = new Map(
      this.options.accounts.map((c) => [c.apiKey, new Account(c.apiKey, c.apiSecret, c.balances)]),
    );
    this.registry.clear();
    for (const book of this.books.values()) {
      book.bids.clear();
      book.asks.clear();
      book.updateId += 1;
    }
    for (const stats of this.stats.values()) stats.clear();
    this.ledger.clear();
  }

  account(apiKey: string): Account | undefined {
    return this.accounts.get(apiKey);
  }

  accountIds(): string[] {
    return [...this.accounts.keys()];
  }

  spec(symbol: string): SymbolSpec {
    const spec = this.symbols.get(symbol);
    if (!spec) throw rejected.badSymbol();
    return spec;
  }

  book(symbol: string): OrderBook {
    this.spec(symbol);
    return this.books.get(symbol)!;
  }

  marketStats(symbol: string): MarketStats {
    this.spec(symbol);
    return this.stats.get(symbol)!;
  }

  /** Mid price of the book, or the symbol's starting price on an empty book. */
  referencePrice(symbol: string): Amount {
    return this.book(symbol).mid() ?? this.spec(symbol).initialPrice;
  }

  /** Validates, funds and matches a new order. Throws BinanceError on rejection. */
  placeOrder(accountId: string, request: OrderRequest): PlaceResult {
    const spec = this.spec(request.symbol);
    const book = this.books.get(spec.symbol)!;
    const isClient = accountId !== LIQUIDITY_ACCOUNT;
    const account = isClient ? this.accounts.get(accountId) : undefined;
    if (isClient) {
      if (!account) throw rejected.badApiKey();
      checkFilters(spec, request, this.referencePrice(spec.symbol));
      checkAccountRules(this.registry, accountId, spec, request);
    }
    const limits = takeLimits(request, spec);
    const opposite = book.oppositeSide(request.side);
    const plan = match(opposite.inPriority(), limits);
    if (request.type === 'LIMIT_MAKER' && plan.qty > 0n) throw rejected.wouldTake();
    const toLock = fundsNeeded(request, plan);
    if (account && !account.lock(heldAsset(request.side, spec), toLock)) {
      throw rejected.insufficientBalance();
    }
    const order = this.newOrder(accountId, request, toLock, plan.qty);
    if (isClient) this.register(order);
    // A fill-or-kill that cannot fill entirely is accepted, then expires untouched.
    const killed = request.timeInForce === 'FOK' && !plan.complete;
    const fills: Trade[] = [];
    if (!killed) {
      match(drain(opposite), limits, (maker, qty) => {
        fills.push(this.fill(order, maker, qty));
      });
    }
    this.settleTaker(order, book, !killed && plan.complete);
    return { order, fills };
  }

  private newOrder(
    accountId: string,
    request: OrderRequest,
    locked: Amount,
    planQty: Amount,
  ): Order {
    const now = this.now();
    return {
      orderId: this.nextOrderId++,
      symbol: request.symbol,
      account: accountId,
      clientOrderId: request.clientOrderId ?? randomClientOrderId(),
      side: request.side,
      type: request.type,
      timeInForce: request.timeInForce ?? 'GTC',
      price: request.price ?? 0n,
      // A market order by quote amount reports the quantity it will fill as its size.
      origQty: request.quantity ?? planQty,
      origQuoteOrderQty: request.quoteOrderQty ?? 0n,
      executedQty: 0n,
      cummulativeQuoteQty: 0n,
      status: 'NEW',
      locked,
      time: now,
      updateTime: now,
      workingTime: now,
      onBook: false,
    };
  }

  private register(order: Order): void {
    this.registry.add(order);
    this.ledger.orderAccepted(order);
  }

  /** One trade between the incoming order and a resting one, at the resting price. */
  private fill(taker: Order, maker: Order, qty: Amount): Trade {
    const execution: Execution = {
      tradeId: this.nextTradeId++,
      price: maker.price,
      qty,
      quote: multiply(maker.price, qty),
      time: this.now(),
    };
    const takerTrade = this.recordSide(taker, execution, this.takerFeeRate, false);
    this.recordSide(maker, execution, this.makerFeeRate, true);
    if (remainingQty(maker) === 0n) {
      this.books.get(maker.symbol)!.restingSide(maker.side).remove(maker);
      this.finish(maker, 'FILLED');
    } else {
      this.changeStatus(maker, 'PARTIALLY_FILLED');
    }
    this.books.get(taker.symbol)!.updateId += 1;
    const { tradeId, price, quote, time } = execution;
    this.stats.get(taker.symbol)!.recordTrade(time, tradeId, price, qty, quote);
    return takerTrade;
  }

  /** Settles one side of an execution and, for client orders, records the trade. */
  private recordSide(order: Order, execution: Execution, feeRate: Amount, isMaker: boolean): Trade {
    const account = this.accounts.get(order.account);
    const trade = settleSide(order, account, this.spec(order.symbol), execution, feeRate, isMaker);
    if (account) {
      this.registry.addTrade(trade);
      this.ledger.trade(order, trade);
    }
    return trade;
  }

  /** After matching: the incoming order fills, rests, or expires. */
  private settleTaker(order: Order, book: OrderBook, complete: boolean): void {
    if (complete && order.executedQty > 0n) return this.finish(order, 'FILLED');
    const rests = order.type !== 'MARKET' && order.timeInForce === 'GTC';
    if (!rests) return this.finish(order, 'EXPIRED');
    if (order.side === 'BUY') {
      // Fills at better prices than the limit leave surplus quote held; keep only what the rest needs.
      this.releaseLocked(order, order.locked - multiplyCeil(order.price, remainingQty(order)));
    }
    order.onBook = true;
    book.restingSide(order.side).add(order);
    book.updateId += 1;
    this.adjustOpenCount(order, 1);
    if (order.executedQty > 0n) this.changeStatus(order, 'PARTIALLY_FILLED');
  }

  /** Cancels an open order and releases its funds. Throws -2011 if it is not open. */
  cancelOrder(accountId: string, symbol: string, ref: OrderRef): Order {
    const order = this.lookup(accountId, symbol, ref);
    if (!order || !isOpen(order)) throw rejected.unknownOrderOnCancel();
    this.withdraw(order);
    return order;
  }

  /** Cancels every open order of the account on a symbol; -2011 when there is none. */
  cancelAll(accountId: string, symbol: string): Order[] {
    const open = this.openOrders(accountId, symbol);
    if (open.length === 0) throw rejected.unknownOrderOnCancel();
    for (const order of open) this.withdraw(order);
    return open;
  }

  /** Takes a resting order off its book as CANCELED (the liquidity provider calls this directly). */
  withdraw(order: Order): void {
    if (!isOpen(order)) return;
    const book = this.books.get(order.symbol)!;
    book.restingSide(order.side).remove(order);
    book.updateId += 1;
    order.updateTime = this.now();
    this.finish(order, 'CANCELED');
  }

  /** An order of this account, open or not. Throws -2013 if there is none. */
  getOrder(accountId: string, symbol: string, ref: OrderRef): Order {
    const order = this.lookup(accountId, symbol, ref);
    if (!order) throw rejected.noSuchOrder();
    return order;
  }

  openOrders(accountId: string, symbol?: string): Order[] {
    const open: Order[] = [];
    for (const spec of this.symbols.values()) {
      if (symbol !== undefined && spec.symbol !== symbol) continue;
      for (const side of [this.books.get(spec.symbol)!.bids, this.books.get(spec.symbol)!.asks]) {
        for (const order of side.inPriority()) if (order.account === accountId) open.push(order);
      }
    }
    return open.sort((a, b) => a.orderId - b.orderId);
  }

  /** This account's trades on a symbol, oldest first. */
  tradesFor(accountId: string, symbol: string): readonly Trade[] {
    return this.registry.tradesFor(accountId, symbol);
  }

  private lookup(accountId: string, symbol: string, ref: OrderRef): Order | undefined {
    this.spec(symbol);
    return this.registry.find(accountId, symbol, ref);
  }

  private finish(order: Order, status: 'FILLED' | 'CANCELED' | 'EXPIRED'): void {
    this.releaseLocked(order, order.locked);
    if (order.onBook) {
      order.onBook = false;
      this.adjustOpenCount(order, -1);
    }
    this.changeStatus(order, status);
  }

  private releaseLocked(order: Order, value: Amount): void {
    if (value <= 0n) return;
    order.locked -= value;
    this.accounts
      .get(order.account)
      ?.release(heldAsset(order.side, this.spec(order.symbol)), value);
  }

  private changeStatus(order: Order, status: Order['status']): void {
    if (order.status === status) return;
    order.status = status;
    if (order.account !== LIQUIDITY_ACCOUNT) this.ledger.statusChanged(order);
  }

  private adjustOpenCount(order: Order, delta: number): void {
    if (order.account !== LIQUIDITY_ACCOUNT) this.registry.adjustResting(order, delta);
  }
}
