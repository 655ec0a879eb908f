import { EventEmitter } from 'node:events';
import ccxt from 'ccxt';
import type { Exchange as CcxtExchange } from 'ccxt';
import { createCcxtExchange, type CcxtExchangeOptions } from './ccxt-factory.js';
import { VenueError } from './classify.js';
import { instrument } from './instrument.js';
import {
  balancesOf,
  bookTopsOf,
  clientIdParams,
  marketRules,
  orderParams,
  venueOrder,
  venueTrade,
} from './mapping.js';
import { RateGate } from './rate-gate.js';
import { RequestRunner, type VenueEventSink } from './request-runner.js';
import { WeightPacer } from './weight-pacer.js';
import type {
  Balance,
  BookTop,
  MarketRules,
  PlaceOrderRequest,
  VenueClient,
  VenueClientEvents,
  VenueOrder,
  VenueTrade,
} from './venue-client.js';

/** Options of CcxtVenueClient: how to build its ccxt exchange, or one already built. */
export interface CcxtVenueClientOptions extends Partial<CcxtExchangeOptions> {
  /** Use this exchange (from createCcxtExchange) instead of building one; close() then leaves it open. */
  exchange?: CcxtExchange;
  /** The venue's request weight per window, for pacing; default read from Binance's exchangeInfo. */
  weightLimit?: number;
  /** How long a 429/418 without Retry-After closes the gate, ms. Default 1000. */
  defaultRetryAfterMs?: number;
  /** Clock, epoch ms. Default Date.now. */
  now?: () => number;
}

/** Defaults of CcxtVenueClientOptions (recvWindowMs: when the exchange's options do not say). */
function weightLimitOf(exchangeInfo: unknown): number | undefined {
  const limits = (exchangeInfo as { rateLimits?: unknown } | undefined)?.rateLimits;
  if (!Array.isArray(limits)) return undefined;
  const weight = (limits as Array<Record<string, unknown>>).find(
    (limit) => limit['rateLimitType'] === 'REQUEST_WEIGHT',
  );
  const value = Number(weight?.['limit']);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Binance's largest myTrades page. */
const TRADES_PAGE = 1000;

export const CCXT_VENUE_CLIENT_DEFAULTS = { defaultRetryAfterMs: 1000, recvWindowMs: 5000 };

/**
 * The engine's exchange connector over ccxt's unified API. Every request
 * first waits at one shared RateGate; every failure is thrown as a
 * VenueError whose failure says what it means for the order.
 */
export class CcxtVenueClient extends EventEmitter<VenueClientEvents> implements VenueClient {
  readonly recvWindowMs: number;
  readonly exchange: CcxtExchange;
  private readonly gate: RateGate;
  private readonly orderGate: RateGate;
  private readonly requests: RequestRunner;
  private readonly pacer: WeightPacer;
  private readonly now: () => number;
  private readonly ownsExchange: boolean;

  constructor(options: CcxtVenueClientOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.gate = new RateGate(this.now);
    this.orderGate = new RateGate(this.now);
    this.pacer = new WeightPacer(this.gate, { weightLimit: options.weightLimit, now: this.now });
    this.requests = new RequestRunner(
      this.gate,
      this.orderGate,
      this.emit.bind(this) as VenueEventSink,
      {
        now: this.now,
        defaultRetryAfterMs:
          options.defaultRetryAfterMs ?? CCXT_VENUE_CLIENT_DEFAULTS.defaultRetryAfterMs,
        pacer: this.pacer,
      },
    );
    this.ownsExchange = options.exchange === undefined;
    this.exchange = options.exchange
      ? instrument(options.exchange)
      : createCcxtExchange(exchangeOptions(options));
    const recvWindow = Number((this.exchange.options as Record<string, unknown>)['recvWindow']);
    this.recvWindowMs = Number.isFinite(recvWindow)
      ? recvWindow
      : CCXT_VENUE_CLIENT_DEFAULTS.recvWindowMs;
  }

  async markets(signal?: AbortSignal): Promise<Map<string, MarketRules>> {
    const markets = await this.requests.run('markets', signal, () =>
      this.exchange.loadMarkets(true),
    );
    if (this.pacer.weightLimit === undefined) await this.learnWeightLimit(signal);
    const rules = new Map<string, MarketRules>();
    for (const market of Object.values(markets)) {
      if (market?.spot)
        rules.set(
          market.symbol,
          marketRules(market, this.exchange.precisionMode ?? ccxt.TICK_SIZE),
        );
    }
    return rules;
  }

  /** Binance states its REQUEST_WEIGHT limit in exchangeInfo; other venues keep pacing off. */
  private async learnWeightLimit(signal?: AbortSignal): Promise<void> {
    const implicit = this.exchange as unknown as { publicGetExchangeInfo?: () => Promise<unknown> };
    if (typeof implicit.publicGetExchangeInfo !== 'function') return;
    const info = await this.requests.run('markets', signal, () =>
      implicit.publicGetExchangeInfo!(),
    );
    const limit = weightLimitOf(info);
    if (limit !== undefined) this.pacer.setWeightLimit(limit);
  }

  async placeOrder(request: PlaceOrderRequest, signal?: AbortSignal): Promise<VenueOrder> {
    try {
      const order = await this.requests.run('placeOrder', signal, () =>
        this.exchange.createOrder(
          request.symbol,
          request.type === 'MARKET' ? 'market' : 'limit',
          request.side === 'BUY' ? 'buy' : 'sell',
          Number(request.quantity),
          request.price === null ? undefined : Number(request.price),
          orderParams(this.exchange.id, request),
        ),
      );
      return venueOrder(order, request.clientOrderId);
    } catch (error) {
      if (error instanceof VenueError && error.kind === 'duplicate') {
        throw await this.confirmDuplicate(error, request, signal);
      }
      throw error;
    }
  }

  async queryOrder(
    symbol: string,
    clientOrderId: string,
    signal?: AbortSignal,
  ): Promise<VenueOrder> {
    const order = await this.requests.run('queryOrder', signal, () =>
      this.exchange.fetchOrder('', symbol, clientIdParams(this.exchange.id, clientOrderId)),
    );
    return venueOrder(order, clientOrderId);
  }

  async cancelOrder(
    symbol: string,
    clientOrderId: string,
    signal?: AbortSignal,
  ): Promise<VenueOrder> {
    const order = await this.requests.run('cancelOrder', signal, () =>
      this.exchange.cancelOrder('', symbol, clientIdParams(this.exchange.id, clientOrderId)),
    );
    return venueOrder(order, clientOrderId);
  }

  async openOrders(symbol: string, signal?: AbortSignal): Promise<VenueOrder[]> {
    const orders = await this.requests.run('openOrders', signal, () =>
      this.exchange.fetchOpenOrders(symbol),
    );
    return orders.map((order) => venueOrder(order));
  }

  async balances(signal?: AbortSignal): Promise<Map<string, Balance>> {
    return balancesOf(
      await this.requests.run('balances', signal, () => this.exchange.fetchBalance()),
    );
  }

  /** First page from `sinceMs`, then by trade id: ids page without the venue's 24 h limit on time ranges. */
  async trades(symbol: string, sinceMs: number, signal?: AbortSignal): Promise<VenueTrade[]> {
    const all: VenueTrade[] = [];
    let page = await this.requests.run('trades', signal, () =>
      this.exchange.fetchMyTrades(symbol, sinceMs, TRADES_PAGE),
    );
    for (;;) {
      all.push(...page.map(venueTrade));
      const last = page.at(-1);
      if (page.length < TRADES_PAGE || last === undefined) return all;
      const fromId = Number(last.id) + 1;
      page = await this.requests.run('trades', signal, () =>
        this.exchange.fetchMyTrades(symbol, undefined, TRADES_PAGE, { fromId }),
      );
    }
  }

  /** Book tops from the 24 h tickers: the one ticker endpoint with bid and ask that the simulator serves. */
  async bookTops(symbols: readonly string[], signal?: AbortSignal): Promise<Map<string, BookTop>> {
    const tickers = await this.requests.run('bookTops', signal, () =>
      this.exchange.fetchTickers([...symbols]),
    );
    return bookTopsOf(tickers, this.now());
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.requests.run('ping', signal, () => this.exchange.fetchTime());
  }

  oldestInFlightMs(): number {
    return this.requests.oldestInFlightMs();
  }

  gateRemainingMs(): number {
    return this.gate.remainingMs();
  }

  /** Rejects every request waiting at the gate (not_sent); drops the connection pool of an exchange it built. */
  async close(): Promise<void> {
    this.requests.close();
    if (!this.ownsExchange) return;
    const dispatcher = (
      this.exchange as unknown as { fetchDispatcher?: { destroy(): Promise<void> } }
    ).fetchDispatcher;
    await dispatcher?.destroy();
  }

  /**
   * A plain -2010 reads as duplicate (see classify). It is one only if the
   * venue has an order with this client order id: when it says it has none,
   * the venue refused this order for another reason, so it is rejected.
   * If the check itself fails, duplicate stands: the engine will query anyway.
   */
  private async confirmDuplicate(
    error: VenueError,
    request: PlaceOrderRequest,
    signal?: AbortSignal,
  ): Promise<VenueError> {
    if (error.cause instanceof ccxt.DuplicateOrderId) return error;
    try {
      await this.queryOrder(request.symbol, request.clientOrderId, signal);
      return error;
    } catch (queryError) {
      if (!(queryError instanceof VenueError) || queryError.kind !== 'not_found') return error;
      return new VenueError({ ...error.failure, kind: 'rejected' }, 'placeOrder', {
        cause: error.cause,
      });
    }
  }
}

function exchangeOptions(options: CcxtVenueClientOptions): CcxtExchangeOptions {
  if (options.apiKey === undefined || options.secret === undefined) {
    throw new Error('CcxtVenueClient needs apiKey and secret, or an exchange');
  }
  return { ...options, apiKey: options.apiKey, secret: options.secret };
}
