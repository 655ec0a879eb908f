import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createExchange,
  DEFAULT_ACCOUNT,
  type Exchange,
  type ExchangeOptions,
} from '../exchange/index.js';
import { isLoopbackAddress } from '../common/index.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../journal/index.js';
import { createProxyServer, ProxyClient, type ProxyServer } from '../proxy/index.js';
import { WorldEvidence } from './world-evidence.js';

/**
 * Binance lets one account place 100 orders per 10 s; fifty strategies on one
 * account would spend the run waiting for that window. The local venue allows
 * more; rate-limit faults are injected on purpose, by the proxy or by options.
 */
const WORLD_RATE_LIMITS = { ordersPer10s: 1_000 };

export interface WorldOptions {
  /** Seed of the price walk and of the proxy's fault draws. Default 1. */
  seed?: number;
  /** Keeps the database (and the evidence) here across runs; default a temporary directory, removed on close. */
  dataDir?: string;
  /** A real PostgreSQL behind the database proxy; default the embedded PGlite. */
  databaseUrl?: string;
  /** Simulator settings (rate limits, symbols). Default: Binance's limits, but 1000 new orders per 10 s. */
  exchange?: Omit<ExchangeOptions, 'host' | 'port' | 'signal'>;
  /** Ports the proxies listen on, for a system that must find them (default 0: free ports). */
  ports?: { exchange?: number; database?: number };
  /** Address the proxies bind. Default 127.0.0.1; any other opens them to that network (the admin API stays on loopback). */
  host?: string;
  /** Where the evidence files go; default `evidence` in the data directory (removed with a temporary one). */
  evidenceDir?: string;
}

/** Where each part of a running world listens. */
export interface StackEndpoints {
  exchangeUrl: string;
  exchangeAdminToken: string;
  proxyApi: string;
  /** The system's way to the exchange: http-mode proxy, `http://host:port`. */
  exchangeProxy: string;
  /** The system's way to the database: tcp-mode proxy, `host:port`. */
  databaseProxy: string;
  /** The database itself (for the judge; a system goes through the proxy). */
  databaseUrl: string;
  /** The database URL with its host and port replaced by the proxy's. */
  databaseProxyUrl: string;
}

/**
 * The world a system under test trades in: the exchange simulator, the fault
 * proxy in front of it and of the database, the database, and the evidence
 * they record for the judge. It knows nothing of what runs against it.
 */
export interface World {
  endpoints: StackEndpoints;
  /** The account the system trades with. */
  account: { apiKey: string; apiSecret: string };
  exchange: Exchange;
  proxyServer: ProxyServer;
  proxyClient: ProxyClient;
  evidence: WorldEvidence;
  /** True when the database is the embedded PGlite. */
  embeddedDatabase: boolean;
  /** Where the world keeps its files (database, evidence, the system's own). */
  dataDir: string;
  /** The seed it was built with (prices, fault draws); a built-in engine on it takes the same. */
  seed: number;
  startedAt: number;
  /** Stops the proxies, database and exchange; removes a temporary data directory. */
  close(): Promise<void>;
}

/** A world on loopback ports (ephemeral unless named): simulator, proxies, database, evidence. */
export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const startedAt = Date.now();
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'n1v1-stack-')));
  const cleanup: Array<() => Promise<void>> = [];
  if (temporary) cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  try {
    const exchange = await createExchange({
      ...options.exchange,
      rateLimits: { ...WORLD_RATE_LIMITS, ...options.exchange?.rateLimits },
      seed: options.seed ?? 1,
    });
    cleanup.push(() => exchange.close());
    const embedded: EmbeddedDatabase | undefined = options.databaseUrl
      ? undefined
      : await startEmbeddedDatabase({ dataDir: options.dataDir ? join(dataDir, 'db') : undefined });
    if (embedded) cleanup.push(() => embedded.close());
    const databaseUrl = options.databaseUrl ?? embedded?.url ?? '';
    const host = options.host ?? '127.0.0.1';
    const proxyServer = await createProxyServer({
      port: 0,
      seed: options.seed ?? 1,
      // Only the proxies a bot connects to leave loopback; the admin API never does.
      allowRemote: !isLoopbackAddress(host),
    });
    cleanup.push(() => proxyServer.close());
    const [exchangeProxy, databaseProxy] = await proxyServer.populate([
      {
        name: 'exchange',
        upstream: new URL(exchange.url).host,
        mode: 'http',
        listen: `${host}:${options.ports?.exchange ?? 0}`,
      },
      {
        name: 'database',
        upstream: new URL(databaseUrl).host,
        mode: 'tcp',
        listen: `${host}:${options.ports?.database ?? 0}`,
      },
    ]);
    const databaseProxyAddress = databaseProxy?.spec.listen ?? '';
    const endpoints: StackEndpoints = {
      exchangeUrl: exchange.url,
      exchangeAdminToken: exchange.adminToken,
      proxyApi: proxyServer.url,
      exchangeProxy: `http://${exchangeProxy?.spec.listen}`,
      databaseProxy: databaseProxyAddress,
      databaseUrl,
      databaseProxyUrl: viaProxy(databaseUrl, databaseProxyAddress),
    };
    const evidenceDir = options.evidenceDir ?? join(dataDir, 'evidence');
    await mkdir(evidenceDir, { recursive: true });
    const evidence = new WorldEvidence(evidenceDir, exchange, proxyServer);
    cleanup.push(() => evidence.close());
    let closing: Promise<void> | undefined;
    return {
      endpoints,
      account: { apiKey: DEFAULT_ACCOUNT.apiKey, apiSecret: DEFAULT_ACCOUNT.apiSecret },
      exchange,
      proxyServer,
      proxyClient: new ProxyClient(proxyServer.url),
      evidence,
      embeddedDatabase: embedded !== undefined,
      dataDir,
      seed: options.seed ?? 1,
      startedAt,
      close: () => (closing ??= runAll(cleanup.reverse())),
    };
  } catch (error) {
    await runAll(cleanup.reverse());
    throw error;
  }
}

/** The database URL with its host and port replaced by the proxy's. */
function viaProxy(databaseUrl: string, proxyAddress: string): string {
  const url = new URL(databaseUrl);
  url.host = proxyAddress;
  return url.toString();
}

/** Runs every step, whatever the others do: one part failing to stop must not keep the rest running. */
export async function runAll(steps: Array<() => Promise<void>>): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch {
      // Best effort, see above.
    }
  }
}
