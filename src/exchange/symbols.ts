import { amount, decimalPlaces, DECIMALS, type Amount } from '../common/index.js';

/** One tradable pair and the venue rules (filters) that apply to it. */
export interface SymbolSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  /** PRICE_FILTER tickSize, minPrice and maxPrice. */
  tickSize: Amount;
  minPrice: Amount;
  maxPrice: Amount;
  /** LOT_SIZE for limit orders. */
  stepSize: Amount;
  minQty: Amount;
  maxQty: Amount;
  /** MARKET_LOT_SIZE for market orders. */
  marketMaxQty: Amount;
  /** NOTIONAL filter, applied to market orders at the current mid price too. */
  minNotional: Amount;
  maxNotional: Amount;
  /** MAX_NUM_ORDERS: open orders per account on this symbol. */
  maxNumOrders: number;
  /** Mid price the liquidity provider's random walk starts from. */
  initialPrice: Amount;
}

/** Quote assets recognised when a symbol name has to be split into base and quote. */
const QUOTE_ASSETS = ['USDT', 'USDC', 'FDUSD', 'BUSD', 'BTC', 'ETH', 'BNB'];

interface KnownPair {
  initialPrice: string;
  tickSize: string;
  stepSize: string;
}

/** Close to the real venue's rules, except that tick and step decimals add up to at most 8 so every notional is exact. */
const KNOWN_PAIRS: Record<string, KnownPair> = {
  BTCUSDT: { initialPrice: '65000', tickSize: '0.01', stepSize: '0.00001' },
  ETHUSDT: { initialPrice: '3200', tickSize: '0.01', stepSize: '0.0001' },
  BNBUSDT: { initialPrice: '580', tickSize: '0.01', stepSize: '0.001' },
  SOLUSDT: { initialPrice: '150', tickSize: '0.01', stepSize: '0.001' },
  XRPUSDT: { initialPrice: '0.52', tickSize: '0.0001', stepSize: '0.1' },
  DOGEUSDT: { initialPrice: '0.12', tickSize: '0.00001', stepSize: '1' },
  ADAUSDT: { initialPrice: '0.45', tickSize: '0.0001', stepSize: '0.1' },
  ETHBTC: { initialPrice: '0.049', tickSize: '0.00001', stepSize: '0.001' },
  BNBBTC: { initialPrice: '0.0089', tickSize: '0.000001', stepSize: '0.01' },
};

const GENERIC_PAIR: KnownPair = { initialPrice: '100', tickSize: '0.01', stepSize: '0.001' };

export const DEFAULT_SYMBOLS = ['BTCUSDT', 'ETHUSDT'];

/** Splits "BTCUSDT" into its assets; undefined when no known quote asset ends it. */
export function splitSymbol(symbol: string): { baseAsset: string; quoteAsset: string } | undefined {
  if (!/^[A-Z0-9]{2,20}$/.test(symbol)) return undefined;
  for (const quoteAsset of QUOTE_ASSETS) {
    if (symbol.endsWith(quoteAsset) && symbol.length > quoteAsset.length) {
      return { baseAsset: symbol.slice(0, -quoteAsset.length), quoteAsset };
    }
  }
  return undefined;
}

/** Builds the rules for a symbol by name: known pairs get venue-like rules, others generic ones. */
export function symbolSpec(symbol: string, overrides: Partial<KnownPair> = {}): SymbolSpec {
  const assets = splitSymbol(symbol);
  if (!assets) {
    throw new RangeError(
      `unknown symbol ${JSON.stringify(symbol)}: expected BASEQUOTE with quote one of ${QUOTE_ASSETS.join(', ')}`,
    );
  }
  const pair = { ...(KNOWN_PAIRS[symbol] ?? GENERIC_PAIR), ...overrides };
  const tickSize = amount(pair.tickSize);
  const stepSize = amount(pair.stepSize);
  if (decimalPlaces(tickSize) + decimalPlaces(stepSize) > DECIMALS) {
    throw new RangeError(`${symbol}: tick and step decimals must add up to at most ${DECIMALS}`);
  }
  const stableQuote = !['BTC', 'ETH', 'BNB'].includes(assets.quoteAsset);
  return {
    symbol,
    ...assets,
    tickSize,
    minPrice: tickSize,
    maxPrice: amount('1000000'),
    stepSize,
    minQty: stepSize,
    maxQty: amount('9000000'),
    marketMaxQty: amount('900000'),
    minNotional: stableQuote ? amount('5') : amount('0.0001'),
    maxNotional: amount('9000000'),
    maxNumOrders: 200,
    initialPrice: amount(pair.initialPrice),
  };
}
