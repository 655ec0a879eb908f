import ccxt from 'ccxt';
import type { Exchange as CcxtExchange } from 'ccxt';
import { instrument } from './instrument.js';

/** Options of createCcxtExchange. */
export interface CcxtExchangeOptions {
  /** A ccxt exchange id. Default 'binance'. */
  exchangeId?: string;
  /**
   * Base URL of a Binance-compatible venue, e.g. the simulator's
   * `http://127.0.0.1:PORT`. Every ccxt API URL keeps its path on this base,
   * so nothing leaves that host. Binance only; spot only. Default: the real venue.
   */
  baseUrl?: string;
  apiKey: string;
  secret: string;
  /** ccxt's per-request timeout in ms. Default 10 000. */
  timeoutMs?: number;
  /** Sent with every signed request: the venue refuses one older than this. Default 5000 ms. */
  recvWindowMs?: number;
  /** Use the venue's testnet (ccxt setSandboxMode). Ignored with baseUrl. Default false. */
  sandbox?: boolean;
}

/** Defaults of CcxtExchangeOptions. */
export const CCXT_FACTORY_DEFAULTS = {
  exchangeId: 'binance',
  timeoutMs: 10_000,
  recvWindowMs: 5000,
};

type CcxtClass = new (config: Record<string, unknown>) => CcxtExchange;

/**
 * A ccxt exchange, unchanged but instrumented (see instrument()): pointed at
 * `baseUrl` when given, else at the real venue or its testnet.
 */
export function createCcxtExchange(options: CcxtExchangeOptions): CcxtExchange {
  const exchangeId = options.exchangeId ?? CCXT_FACTORY_DEFAULTS.exchangeId;
  const ExchangeClass = exchangeClass(exchangeId);
  if (options.baseUrl !== undefined && exchangeId !== 'binance') {
    throw new Error(`baseUrl is supported for the binance exchange only, not ${exchangeId}`);
  }
  const exchange = new ExchangeClass({
    apiKey: options.apiKey,
    secret: options.secret,
    // Pacing is the connector's rate gate's job; ccxt's throttler would hide the venue's answers.
    enableRateLimit: false,
    timeout: options.timeoutMs ?? CCXT_FACTORY_DEFAULTS.timeoutMs,
    options: {
      defaultType: 'spot',
      recvWindow: options.recvWindowMs ?? CCXT_FACTORY_DEFAULTS.recvWindowMs,
      ...(options.baseUrl !== undefined && SIMULATED_SPOT_OPTIONS),
    },
    ...(options.baseUrl !== undefined && { urls: { api: apiUrlsAt(options.baseUrl) } }),
  });
  if (options.baseUrl === undefined && options.sandbox === true) exchange.setSandboxMode(true);
  return instrument(exchange);
}

/** The ccxt class for an id, or a clear error naming the id. */
function exchangeClass(exchangeId: string): CcxtClass {
  const known = (ccxt as unknown as { exchanges: string[] }).exchanges;
  const found = (ccxt as unknown as Record<string, unknown>)[exchangeId];
  if (!known.includes(exchangeId) || typeof found !== 'function') {
    throw new Error(
      `unknown ccxt exchange id ${JSON.stringify(exchangeId)} (ccxt ${ccxt.version} knows ${known.length} ids, e.g. binance, bybit, okx)`,
    );
  }
  return found as CcxtClass;
}

/** ccxt options for a Binance-compatible spot venue that models no wallet or margin endpoints. */
const SIMULATED_SPOT_OPTIONS = {
  fetchMarkets: { types: ['spot'] },
  // Wallet and margin endpoints (sapi) a spot simulator does not model.
  fetchCurrencies: false,
  fetchMargins: false,
};

/**
 * The configuration for ccxt's `binance` constructor that points every API
 * URL at `baseUrl`, spot only: what a bot (or freqtrade's `ccxt_config`)
 * needs to trade against the simulator unchanged. Plain JSON.
 */
export function ccxtBinanceConfig(options: {
  baseUrl: string;
  apiKey: string;
  secret: string;
}): Record<string, unknown> {
  return {
    apiKey: options.apiKey,
    secret: options.secret,
    urls: { api: apiUrlsAt(options.baseUrl) },
    options: { defaultType: 'spot', ...SIMULATED_SPOT_OPTIONS },
  };
}

let binanceApiUrls: Record<string, string> | undefined;

/** Every string entry of ccxt binance's `urls.api`, as baseUrl + its own path (/api/v3, /sapi/v1, …). */
function apiUrlsAt(baseUrl: string): Record<string, string> {
  binanceApiUrls ??= Object.fromEntries(
    Object.entries(new ccxt.binance().urls['api'] as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  const base = baseUrl.replace(/\/+$/, '');
  return Object.fromEntries(
    Object.entries(binanceApiUrls).map(([name, url]) => [name, `${base}${new URL(url).pathname}`]),
  );
}
