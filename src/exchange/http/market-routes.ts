import { BinanceError, ErrorCode } from '../errors.js';
import type { SymbolSpec } from '../symbols.js';
import type { Venue } from '../venue.js';
import { formatAmount as f } from '../../common/index.js';
import type { Params } from './params.js';
import { route, weight, type Route } from './route.js';
import { rateLimitsInfo, symbolInfo, ticker24h } from './market-json.js';

const SYMBOL = /^[A-Z0-9-_.]{1,20}$/;
const SYMBOL_RANGE = '^[A-Z0-9-_.]{1,20}$';
const SYMBOLS = /^\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}")*)?\]$/;
const SYMBOLS_RANGE = '^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$';
const DEPTH_LIMIT_MAX = 5000;

/** The `symbol` parameter: well-formed (-1100) and listed (-1121). */
export function readSymbol(params: Params, venue: Venue, required: true): SymbolSpec;
export function readSymbol(
  params: Params,
  venue: Venue,
  required?: boolean,
): SymbolSpec | undefined;
export function readSymbol(params: Params, venue: Venue, required = false): SymbolSpec | undefined {
  const name = params.matching('symbol', SYMBOL, SYMBOL_RANGE, required);
  return name === undefined ? undefined : venue.spec(name);
}

/** `symbol` or `symbols` (a JSON array), not both; neither means every symbol. */
function readSymbolSelection(
  params: Params,
  venue: Venue,
): { specs: SymbolSpec[]; single: boolean } {
  if (params.has('symbol') && params.has('symbols')) {
    throw new BinanceError(
      ErrorCode.OPTIONAL_PARAMS_BAD_COMBO,
      'Combination of optional parameters invalid.',
    );
  }
  const one = readSymbol(params, venue);
  if (one) return { specs: [one], single: true };
  const list = params.matching('symbols', SYMBOLS, SYMBOLS_RANGE);
  if (list === undefined) return { specs: [...venue.symbols.values()], single: false };
  const names = JSON.parse(list) as string[];
  return { specs: names.map((name) => venue.spec(name)), single: false };
}

function selectionWeight(params: Params, one: number, all: number): number {
  if (params.has('symbol')) return one;
  const list = params.peek('symbols');
  if (list === undefined) return all;
  const count = list.split(',').length;
  return count <= 20 ? one : count <= 100 ? all / 2 : all;
}

function depthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

export const marketRoutes: Record<string, Route> = {
  'GET /api/v3/ping': route({
    security: 'NONE',
    weight: weight(1),
    parse: () => undefined,
    execute: () => ({}),
  }),

  'GET /api/v3/time': route({
    security: 'NONE',
    weight: weight(1),
    parse: () => undefined,
    execute: (_, { now }) => ({ serverTime: now }),
  }),

  'GET /api/v3/exchangeInfo': route({
    security: 'NONE',
    weight: weight(20),
    parse: (params, { venue }) => {
      params.optional('permissions');
      params.optional('showPermissionSets');
      return readSymbolSelection(params, venue).specs;
    },
    execute: (specs, { now, rateLimits }) => ({
      timezone: 'UTC',
      serverTime: now,
      rateLimits: rateLimitsInfo(rateLimits),
      exchangeFilters: [],
      symbols: specs.map(symbolInfo),
    }),
  }),

  'GET /api/v3/depth': route({
    security: 'NONE',
    weight: (params) => depthWeight(Number(params.peek('limit') ?? 100) || 100),
    parse: (params, { venue }) => {
      const spec = readSymbol(params, venue, true);
      const limit = params.integer('limit') ?? 100;
      if (limit < 1)
        throw new BinanceError(
          ErrorCode.INVALID_PARAMETER,
          "Data sent for parameter 'limit' is not valid.",
        );
      return { spec, limit: Math.min(limit, DEPTH_LIMIT_MAX) };
    },
    execute: ({ spec, limit }, { venue }) => {
      const book = venue.book(spec.symbol);
      const levels = (side: typeof book.bids) => side.depth(limit).map(([p, q]) => [f(p), f(q)]);
      return { lastUpdateId: book.updateId, bids: levels(book.bids), asks: levels(book.asks) };
    },
  }),

  'GET /api/v3/ticker/price': route({
    security: 'NONE',
    weight: (params) => selectionWeight(params, 2, 4),
    parse: (params, { venue }) => readSymbolSelection(params, venue),
    execute: ({ specs, single }, { venue, now }) => {
      const prices = specs.map((spec) => ({
        symbol: spec.symbol,
        price: f(
          venue.marketStats(spec.symbol).rolling(now, venue.referencePrice(spec.symbol)).last,
        ),
      }));
      return single ? prices[0] : prices;
    },
  }),

  'GET /api/v3/ticker/24hr': route({
    security: 'NONE',
    weight: (params) => selectionWeight(params, 2, 80),
    parse: (params, { venue }) => readSymbolSelection(params, venue),
    execute: ({ specs, single }, { venue, now }) => {
      const tickers = specs.map((spec) => {
        const book = venue.book(spec.symbol);
        const stats = venue
          .marketStats(spec.symbol)
          .rolling(now, venue.referencePrice(spec.symbol));
        const top = (side: typeof book.bids): [bigint, bigint] => side.depth(1)[0] ?? [0n, 0n];
        return ticker24h(spec.symbol, stats, top(book.bids), top(book.asks));
      });
      return single ? tickers[0] : tickers;
    },
  }),
};
