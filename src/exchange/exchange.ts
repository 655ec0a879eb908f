import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { amount, type Amount } from './decimal.js';
import { BinanceError, ErrorCode } from './errors.js';
import { handleRequest, type HttpRuntime } from './http/handler.js';
import { errorReply, rawErrorResponse, writeReply } from './http/reply.js';
import { LIQUIDITY_DEFAULTS, LiquidityProvider, type LiquidityOptions } from './liquidity.js';
import { RATE_LIMIT_DEFAULTS, RateLimiter, type RateLimits } from './rate-limiter.js';
import { DEFAULT_SYMBOLS, symbolSpec } from './symbols.js';
import { Venue, type AccountConfig } from './venue.js';

/** Largest form body accepted; no endpoint needs more than a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

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
  const runtime: HttpRuntime = {
    venue,
    rateLimiter,
    rateLimits,
    admin: { venue, token: adminToken, allowRemote: options.allowRemoteAdmin ?? false, reset },
    onInternalError: options.onInternalError,
  };
  const server = createServer(
    { keepAliveTimeout: 65_000, maxHeaderSize: 16 * 1024 },
    (req, res) => {
      readBody(req, (body) => {
        if (body !== undefined) return writeReply(res, handleRequest(runtime, req, body));
        const error = new BinanceError(
          ErrorCode.TOO_MANY_PARAMETERS,
          `Request body over ${MAX_BODY_BYTES} bytes.`,
          413,
        );
        res.shouldKeepAlive = false;
        writeReply(res, errorReply(error));
      });
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // A request broken mid-body has already been answered 400 by Node itself.
    const inFlight = (socket as { _httpMessage?: { headersSent: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = new BinanceError(
      ErrorCode.UNKNOWN,
      tooLarge ? 'Request headers too large.' : 'Malformed HTTP request.',
    );
    socket.end(
      rawErrorResponse(
        tooLarge ? 431 : 400,
        tooLarge ? 'Request Header Fields Too Large' : 'Bad Request',
        body,
      ),
    );
  });

  liquidity.start();
  const host = options.host ?? '127.0.0.1';
  try {
    await listen(server, host, options.port ?? 0);
  } catch (error) {
    liquidity.stop();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const close = () => closeServer(server, liquidity);
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    adminToken,
    venue,
    rateLimiter,
    liquidity,
    reset,
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
function readBody(req: IncomingMessage, done: (body: string | undefined) => void): void {
  // Most requests (GET, DELETE with a query) carry no body: answer them at once.
  if (
    req.headers['content-length'] === undefined &&
    req.headers['transfer-encoding'] === undefined
  ) {
    req.resume();
    return done('');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (body: string | undefined) => {
    if (finished) return;
    finished = true;
    done(body);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      req.removeAllListeners('data');
      req.resume();
      finish(undefined);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
  // A request that breaks off mid-body is answered by Node itself (see clientError).
  req.on('error', () => {
    finished = true;
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server, liquidity: LiquidityProvider): Promise<void> {
  liquidity.stop();
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
