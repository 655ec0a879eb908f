import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createExchange,
  DEFAULT_ACCOUNT,
  type Exchange,
  type ExchangeOptions,
} from '../exchange/index.js';
import type { EngineOptions } from '../engine/index.js';
import { createPgJournal, startEmbeddedDatabase, type EmbeddedDatabase } from '../journal/index.js';
import { createProxyServer, ProxyClient, type ProxyServer } from '../proxy/index.js';
import { startEngine, type EngineHandle, type EngineProcess } from './engine-handle.js';
import { checkInvariants, type InvariantReport } from './invariants.js';

/**
 * Binance lets one account place 100 orders per 10 s; fifty strategies on one
 * account would spend the run waiting for that window. The local venue allows
 * more; rate-limit faults are injected on purpose, by the proxy or by options.
 */
const STACK_RATE_LIMITS = { ordersPer10s: 1_000 };

export interface StackOptions {
  /** Built-in strategies the engine runs. Default 50. */
  strategies?: number;
  /** Seed of the price walk and of the strategies. Default 1. */
  seed?: number;
  /** Keeps the database and the engine's spool here across runs; default a temporary directory, removed on close. */
  dataDir?: string;
  /** A real PostgreSQL for the journal; default the embedded PGlite. */
  databaseUrl?: string;
  /** Run the engine in this process or as a child process (a SIGKILL is then a real crash). Default in-process. */
  engineProcess?: EngineProcess;
  /** Directory of the engine's CHAOS_EVENT log. Default: `logs` in the data directory. */
  logDir?: string;
  /** Simulator settings (rate limits, symbols). Default: Binance's limits, but 1000 new orders per 10 s. */
  exchange?: Omit<ExchangeOptions, 'host' | 'port' | 'signal'>;
  /** Engine settings over the stack's. */
  engine?: Partial<Omit<EngineOptions, 'exchange' | 'database' | 'dataDir' | 'signal'>> & {
    /** Client settings (timeouts, recvWindow); where it connects and with which keys is the stack's. */
    exchange?: Partial<EngineOptions['exchange']>;
  };
}

/** Where each part of a running stack listens. */
export interface StackEndpoints {
  exchangeUrl: string;
  exchangeAdminToken: string;
  proxyApi: string;
  /** The engine's way to the exchange: http-mode proxy. */
  exchangeProxy: string;
  /** The engine's way to the database: tcp-mode proxy. */
  databaseProxy: string;
  databaseUrl: string;
}

export interface Stack {
  endpoints: StackEndpoints;
  exchange: Exchange;
  proxyServer: ProxyServer;
  proxyClient: ProxyClient;
  engine: EngineHandle;
  /** Starts the engine again on the same data directory (after a crash or stop). */
  restartEngine(): Promise<EngineHandle>;
  /** Journal against the exchange ledger. */
  invariants(): Promise<InvariantReport>;
  /** Stops the engine, proxies, database and exchange; removes a temporary data directory. */
  close(): Promise<void>;
}

/**
 * A complete local stack on ephemeral loopback ports: exchange simulator,
 * fault proxy (exchange in http mode, database in tcp mode), embedded or real
 * database, and the engine, which reaches both dependencies only through the
 * proxies, so every fault the proxy injects is a real network fault to it.
 */
export async function createStack(options: StackOptions = {}): Promise<Stack> {
  const startedAt = Date.now();
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'n1v1-stack-')));
  const cleanup: Array<() => Promise<void>> = [];
  try {
    const exchange = await createExchange({
      ...options.exchange,
      rateLimits: { ...STACK_RATE_LIMITS, ...options.exchange?.rateLimits },
      seed: options.seed ?? 1,
    });
    cleanup.push(() => exchange.close());
    const embedded: EmbeddedDatabase | undefined = options.databaseUrl
      ? undefined
      : await startEmbeddedDatabase({ dataDir: options.dataDir ? join(dataDir, 'db') : undefined });
    if (embedded) cleanup.push(() => embedded.close());
    const databaseUrl = options.databaseUrl ?? embedded?.url ?? '';
    const proxyServer = await createProxyServer({ port: 0, seed: options.seed ?? 1 });
    cleanup.push(() => proxyServer.close());
    const [exchangeProxy, databaseProxy] = await proxyServer.populate([
      { name: 'exchange', upstream: new URL(exchange.url).host, mode: 'http' },
      { name: 'database', upstream: new URL(databaseUrl).host, mode: 'tcp' },
    ]);
    const endpoints: StackEndpoints = {
      exchangeUrl: exchange.url,
      exchangeAdminToken: exchange.adminToken,
      proxyApi: proxyServer.url,
      exchangeProxy: `http://${exchangeProxy?.spec.listen}`,
      databaseProxy: databaseProxy?.spec.listen ?? '',
      databaseUrl,
    };
    const engineOptions: EngineOptions = {
      strategies: options.strategies,
      seed: options.seed,
      ...options.engine,
      exchange: {
        ...options.engine?.exchange,
        baseUrl: endpoints.exchangeProxy,
        apiKey: DEFAULT_ACCOUNT.apiKey,
        secret: DEFAULT_ACCOUNT.apiSecret,
      },
      database: {
        url: viaProxy(databaseUrl, endpoints.databaseProxy),
        embedded: embedded !== undefined,
      },
      dataDir: join(dataDir, 'engine'),
      watchdog: {
        // One log per stack (stacks started in the same millisecond included):
        // a restarted engine appends to its predecessor's.
        runId: `n1v1-${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`,
        ...options.engine?.watchdog,
        logDir: options.logDir ?? join(dataDir, 'logs'),
      },
    };
    const engineProcess = options.engineProcess ?? 'in-process';
    let engine = await startEngine(engineProcess, engineOptions);
    let closing: Promise<void> | undefined;
    return {
      endpoints,
      exchange,
      proxyServer,
      proxyClient: new ProxyClient(proxyServer.url),
      get engine() {
        return engine;
      },
      restartEngine: async () => {
        await engine.close();
        engine = await startEngine(engineProcess, engineOptions);
        return engine;
      },
      invariants: () => readInvariants(databaseUrl, dataDir, exchange, startedAt),
      close: () =>
        (closing ??= (async () => {
          await engine.close();
          await runAll(cleanup.reverse());
          if (temporary) await rm(dataDir, { recursive: true, force: true });
        })()),
    };
  } catch (error) {
    await runAll(cleanup.reverse());
    if (temporary) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** The database URL with its host and port replaced by the proxy's. */
function viaProxy(databaseUrl: string, proxyAddress: string): string {
  const url = new URL(databaseUrl);
  url.host = proxyAddress;
  return url.toString();
}

/**
 * Reads the journal straight from the database (not through the proxy: faults
 * must not blind the judge). Orders from before this stack are left out: a
 * kept data directory outlives the simulator, whose ledger starts empty.
 */
async function readInvariants(
  databaseUrl: string,
  dataDir: string,
  exchange: Exchange,
  since: number,
): Promise<InvariantReport> {
  const reader = createPgJournal({
    connectionString: databaseUrl,
    spoolPath: join(dataDir, 'invariant-reader.spool'),
    poolSize: 1,
  });
  try {
    await reader.open(AbortSignal.timeout(10_000));
    const orders = (await reader.orders()).filter((order) => order.createdAt >= since);
    return checkInvariants(orders, exchange.venue.ledger.read(), DEFAULT_ACCOUNT.apiKey);
  } finally {
    await reader.close();
  }
}

async function runAll(steps: Array<() => Promise<void>>): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch {
      // Best effort: one part failing to stop must not keep the others running.
    }
  }
}
