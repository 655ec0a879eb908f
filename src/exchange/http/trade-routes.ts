import { BinanceError, ErrorCode, rejected } from '../errors.js';
import {
  ORDER_TYPES,
  randomClientOrderId,
  SIDES,
  TIME_IN_FORCE,
  type OrderRequest,
} from '../orders.js';
import type { OrderRef } from '../order-registry.js';
import type { Params } from './params.js';
import { readSymbol } from './market-routes.js';
import { route, weight, type Route, type RouteContext } from './route.js';
import {
  accountInfo,
  cancelResponse,
  myTrade,
  orderQuery,
  orderResponse,
  type ResponseType,
} from './trade-json.js';

const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const CLIENT_ORDER_ID_RANGE = '^[\\.A-Z\\:/a-z0-9_-]{1,36}$';
const RESPONSE_TYPES: readonly ResponseType[] = ['ACK', 'RESULT', 'FULL'];
const MY_TRADES_LIMIT_MAX = 1000;

function parseOrderRequest(
  params: Params,
  context: RouteContext,
): { request: OrderRequest; responseType: ResponseType } {
  const spec = readSymbol(params, context.venue, true);
  const side = params.oneOf(
    'side',
    SIDES,
    () => new BinanceError(ErrorCode.INVALID_SIDE, 'Invalid side.'),
    true,
  )!;
  const type = params.oneOf(
    'type',
    ORDER_TYPES,
    () => new BinanceError(ErrorCode.INVALID_ORDER_TYPE, 'Invalid orderType.'),
    true,
  )!;
  const timeInForce = params.oneOf(
    'timeInForce',
    TIME_IN_FORCE,
    () => new BinanceError(ErrorCode.INVALID_TIME_IN_FORCE, 'Invalid timeInForce.'),
  );
  const request: OrderRequest = {
    symbol: spec.symbol,
    side,
    type,
    timeInForce,
    price: params.amount('price'),
    quantity: params.amount('quantity'),
    quoteOrderQty: params.amount('quoteOrderQty'),
    clientOrderId: params.matching('newClientOrderId', CLIENT_ORDER_ID, CLIENT_ORDER_ID_RANGE),
  };
  checkComposition(request);
  const responseType =
    params.oneOf('newOrderRespType', RESPONSE_TYPES, () =>
      rejected.invalidValue('newOrderRespType'),
    ) ?? (type === 'LIMIT_MAKER' ? 'ACK' : 'FULL');
  return { request, responseType };
}

/** Which parameters each order type takes (-1102 missing, -1106 not required). */
function checkComposition(request: OrderRequest): void {
  if (request.type === 'MARKET') {
    if (request.price !== undefined) throw rejected.notRequired('price');
    if (request.timeInForce !== undefined) throw rejected.notRequired('timeInForce');
    if (request.quantity === undefined && request.quoteOrderQty === undefined) {
      throw rejected.eitherParam('quantity', 'quoteOrderQty');
    }
    if (request.quantity !== undefined && request.quoteOrderQty !== undefined) {
      throw rejected.notRequired('quoteOrderQty');
    }
    return;
  }
  if (request.type === 'LIMIT' && request.timeInForce === undefined)
    throw rejected.mandatory('timeInForce');
  if (request.type === 'LIMIT_MAKER' && request.timeInForce !== undefined)
    throw rejected.notRequired('timeInForce');
  if (request.quoteOrderQty !== undefined) throw rejected.notRequired('quoteOrderQty');
  if (request.price === undefined) throw rejected.mandatory('price');
  if (request.quantity === undefined) throw rejected.mandatory('quantity');
}

function parseOrderRef(params: Params, context: RouteContext): { symbol: string; ref: OrderRef } {
  const spec = readSymbol(params, context.venue, true);
  const ref: OrderRef = {
    orderId: params.integer('orderId'),
    clientOrderId: params.matching('origClientOrderId', CLIENT_ORDER_ID, CLIENT_ORDER_ID_RANGE),
  };
  if (ref.orderId === undefined && ref.clientOrderId === undefined) {
    throw rejected.eitherParam('origClientOrderId', 'orderId');
  }
  return { symbol: spec.symbol, ref };
}

/** The authenticated account's key; SIGNED routes always have one. */
function accountId(context: RouteContext): string {
  return context.account!.apiKey;
}

export const tradeRoutes: Record<string, Route> = {
  'POST /api/v3/order': route({
    security: 'SIGNED',
    weight: weight(1),
    placesOrder: true,
    parse: parseOrderRequest,
    execute: ({ request, responseType }, context) => {
      const { order, fills } = context.venue.placeOrder(accountId(context), request);
      return orderResponse(order, fills, responseType);
    },
  }),

  'GET /api/v3/order': route({
    security: 'SIGNED',
    weight: weight(4),
    parse: parseOrderRef,
    execute: ({ symbol, ref }, context) =>
      orderQuery(context.venue.getOrder(accountId(context), symbol, ref)),
  }),

  'DELETE /api/v3/order': route({
    security: 'SIGNED',
    weight: weight(1),
    parse: (params, context) => ({
      ...parseOrderRef(params, context),
      cancelId: params.matching('newClientOrderId', CLIENT_ORDER_ID, CLIENT_ORDER_ID_RANGE),
    }),
    execute: ({ symbol, ref, cancelId }, context) => {
      const order = context.venue.cancelOrder(accountId(context), symbol, ref);
      return cancelResponse(order, cancelId ?? randomClientOrderId());
    },
  }),

  'GET /api/v3/openOrders': route({
    security: 'SIGNED',
    weight: (params) => (params.has('symbol') ? 6 : 80),
    parse: (params, context) => readSymbol(params, context.venue)?.symbol,
    execute: (symbol, context) =>
      context.venue.openOrders(accountId(context), symbol).map(orderQuery),
  }),

  'DELETE /api/v3/openOrders': route({
    security: 'SIGNED',
    weight: weight(1),
    parse: (params, context) => readSymbol(params, context.venue, true).symbol,
    execute: (symbol, context) =>
      context.venue
        .cancelAll(accountId(context), symbol)
        .map((order) => cancelResponse(order, randomClientOrderId())),
  }),

  'GET /api/v3/account': route({
    security: 'SIGNED',
    weight: weight(20),
    parse: (params) =>
      params.oneOf('omitZeroBalances', ['true', 'false'], () =>
        rejected.invalidValue('omitZeroBalances'),
      ) === 'true',
    execute: (omitZeroBalances, context) =>
      accountInfo(context.account!, {
        makerFeeRate: context.venue.makerFeeRate,
        takerFeeRate: context.venue.takerFeeRate,
        omitZeroBalances,
        now: context.now,
      }),
  }),

  'GET /api/v3/myTrades': route({
    security: 'SIGNED',
    weight: (params) => (params.has('orderId') ? 5 : 20),
    parse: (params, context) => {
      const symbol = readSymbol(params, context.venue, true).symbol;
      const filter = {
        orderId: params.integer('orderId'),
        startTime: params.integer('startTime'),
        endTime: params.integer('endTime'),
        fromId: params.integer('fromId'),
        limit: params.integer('limit') ?? 500,
      };
      if (filter.limit < 1 || filter.limit > MY_TRADES_LIMIT_MAX)
        throw rejected.invalidValue('limit');
      return { symbol, ...filter };
    },
    execute: (query, context) => {
      const trades = context.venue
        .tradesFor(accountId(context), query.symbol)
        .filter(
          (t) =>
            (query.orderId === undefined || t.orderId === query.orderId) &&
            (query.startTime === undefined || t.time >= query.startTime) &&
            (query.endTime === undefined || t.time <= query.endTime) &&
            (query.fromId === undefined || t.id >= query.fromId),
        );
      // Without a starting point the venue answers with the most recent trades.
      const fromStart = query.fromId !== undefined || query.startTime !== undefined;
      return (fromStart ? trades.slice(0, query.limit) : trades.slice(-query.limit)).map(myTrade);
    },
  }),
};
