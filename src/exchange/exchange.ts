import { randomBytes } from 'node:crypto';
import type { HttpRuntime } from './http/handler.js';
import { amount, closeServer, hostPort, listen, type Amount } from '../common/index.js';
import { RequestTap, type VenueRequestListener } from './http/request-record.js';
import { createHttpServer } from './http/server.js';
import { LIQUIDITY_DEFAULTS, LiquidityProvider, type LiquidityOptions } from './liquidity.js';
import { RATE_LIMIT_DEFAULTS, RateLimiter, type RateLimits } from './rate-limiter.js';
import { DEFAULT_SYMBOLS, symbolSpec } from './symbols.js';
import { Venue, type AccountConfig } from './venue.js';

export interface ExchangeAccountOptions {
  apiKey: string;
  apiSecret: string;
  /** Starting balances (decimal strings); default DEFAULT_BALANCES. */
  balances?: Record<string, string>;
}

export interface SymbolOptions {
  symbol: string;
  initialPrice?: string;
  tickSize?: string;
  stepSize?: string;
}

export interface ExchangeOptions {
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 0. */
  port?: number;
  /** API keys and their balances. Default: one account, DEFAULT_ACCOUNT. */
  accounts?: ExchangeAccountOptions[];
  /** Balances given to every account that does not set its own. Default DEFAULT_BALANCES. */
  balances?: Record<string, string>;
  /** Symbols traded. Default BTCUSDT and ETHUSDT. */
  symbols?: Array<string | SymbolOptions>;
  /** Seed of the liquidity provider's price walk. Default 1. */
  seed?: number;
  rateLimits?: Partial<RateLimits>;
  liquidity?: Partial<Omit<LiquidityOptions, 'seed'>>;
  /** Token for /__admin/ endpoints. Default: random, see Exchange.adminToken. */
  adminToken?: string;
  /** Serve /__admin/ to non-loopback peers. Default false. */
  allowRemoteAdmin?: boolean;
  /** Clock in epoch ms (tests). Default Date.now. */
  now?: () => number;
  /** Aborting closes the exchange. */
  signal?: AbortSignal;
  /** Told of unexpected exceptions, which clients see as a well-formed 500. */
  onInternalError?: (error: unknown) => void;
}

export const DEFAULT_ACCOUNT = { apiKey: 'n1v1-test-key', apiSecret: 'n1v1-test-secret' } as const;

export const DEFAULT_BALANCES: Record<string, string> = {
  USDT: '1000000',
  USDC: '1000000',
  FDUSD: '1000000',
  BTC: '10',
  ETH: '150',
  BNB: '800',
  SOL: '3000',
  XRP: '1000000',
  DOGE: '4000000',
  ADA: '1000000',
};

export interface Exchange {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  host: string;
  port: number;
  adminToken: string;
  venue: Venue;
  rateLimiter: RateLimiter;
  liquidity: LiquidityProvider;
  /** Forgets all orders, trades, ledger and rate-limit state; restores balances and the price walk. */
  reset(): void;
  /**
   * Calls listener with one VenueRequest per API request answered (not
   * /__admin/), as the answer is written. `at` is the request's arrival on
   * the venue's clock (ExchangeOptions.now, default Date.now), the clock of
   * its orders and ledger. Synchronous: keep it quick; what it throws goes to
   * onInternalError and is otherwise ignored. Returns the unsubscribe function.
   */
  onRequest(listener: VenueRequestListener): () => void;
  close(): Promise<void>;
}

/** Starts a Binance-compatible exchange simulator listening on HTTP. */
export async function createExchange(options: ExchangeOptions = {}): Promise<Exchange> {
  const rateLimits = { ...RATE_LIMIT_DEFAULTS, ...options.rateLimits };
  const venue = new Venue({
    symbols: (options.symbols ?? DEFAULT_SYMBOLS).map((entry) =>
      typeof entry === 'string' ? symbolSpec(entry) : symbolSpec(entry.symbol, entry),
    ),
    accounts: accountConfigs(options),
    now: options.now,
    onListenerError: options.onInternalError,
  });
  const rateLimiter = new RateLimiter(rateLimits, options.now);
  const liquidity = new LiquidityProvider(venue, {
    ...LIQUIDITY_DEFAULTS,
    ...options.liquidity,
    seed: options.seed ?? 1,
  });
  const reset = () => {
    venue.reset();
    rateLimiter.reset();
    liquidity.reset();
  };
  const adminToken = options.adminToken ?? randomBytes(18).toString('base64url');
  const requests = new RequestTap(options.onInternalError);
  const runtime: HttpRuntime = {
    venue,
    rateLimiter,
    rateLimits,
    admin: { venue, token: adminToken, allowRemote: options.allowRemoteAdmin ?? false, reset },
    requests,
    onInternalError: options.onInternalError,
  };
  const server = createHttpServer(runtime);
  liquidity.start();
  const host = options.host ?? '127.0.0.1';
  let port: number;
  try {
    port = await listen(server, host, options.port ?? 0);
  } catch (error) {
    liquidity.stop();
    throw error;
  }
  const close = async () => {
    liquidity.stop();
    await closeServer(server);
  };
  if (options.signal?.aborted) await close();
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  return {
    url: `http://${hostPort(host, port)}`,
    host,
    port,
    adminToken,
    venue,
    rateLimiter,
    liquidity,
    reset,
    onRequest: (listener) => requests.subscribe(listener),
    close,
  };
}

function accountConfigs(options: ExchangeOptions): AccountConfig[] {
  const defaults = options.balances ?? DEFAULT_BALANCES;
  const accounts: ExchangeAccountOptions[] = options.accounts ?? [DEFAULT_ACCOUNT];
  return accounts.map((account) => ({
    apiKey: account.apiKey,
    apiSecret: account.apiSecret,
    balances: toAmounts(account.balances ?? defaults),
  }));
}

function toAmounts(balances: Record<string, string>): Record<string, Amount> {
  return Object.fromEntries(
    Object.entries(balances).map(([asset, value]) => [asset, amount(value)]),
  );
}

/**
 * Collects a form body up to MAX_BODY_BYTES, then calls back with it, or with
 * undefined when it is too large or the request broke off. Callbacks rather
 * than a promise: this runs for every order.
 */
