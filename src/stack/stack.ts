import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { EngineOptions } from '../engine/index.js';
import { createPgJournal } from '../journal/index.js';
import { startEngine, type EngineHandle, type EngineProcess } from './engine-handle.js';
import { checkInvariants, type InvariantReport } from './invariants.js';
import { createWorld, type StackEndpoints, type World, type WorldOptions } from './world.js';

export interface StackOptions extends WorldOptions {
  /** Built-in strategies the engine runs. Default 50. */
  strategies?: number;
  /** Run the engine in this process or as a child process (a SIGKILL is then a real crash). Default in-process. */
  engineProcess?: EngineProcess;
  /** Directory of the engine's CHAOS_EVENT log. Default: `logs` in the data directory. */
  logDir?: string;
  /** Engine settings over the stack's. */
  engine?: Partial<Omit<EngineOptions, 'exchange' | 'database' | 'dataDir' | 'signal'>> & {
    /** Client settings (timeouts, recvWindow); where it connects and with which keys is the stack's. */
    exchange?: Partial<EngineOptions['exchange']>;
  };
}

/** The built-in engine's settings (and those of its CHAOS_EVENT log) on a world. */
export type EngineSettings = Omit<StackOptions, keyof WorldOptions>;

export interface Stack {
  /** The world the engine trades in: simulator, proxies, database, evidence. */
  world: World;
  endpoints: StackEndpoints;
  exchange: World['exchange'];
  proxyServer: World['proxyServer'];
  proxyClient: World['proxyClient'];
  engine: EngineHandle;
  /** Starts the engine again on the same data directory (after a crash or stop). */
  restartEngine(): Promise<EngineHandle>;
  /** Journal against the exchange ledger. */
  invariants(): Promise<InvariantReport>;
  /** Stops the engine, proxies, database and exchange; removes a temporary data directory. */
  close(): Promise<void>;
}

/**
 * A complete local stack on ephemeral loopback ports: a world (exchange
 * simulator, fault proxy with the exchange in http mode and the database in
 * tcp mode, embedded or real database) and the built-in engine, which reaches
 * both dependencies only through the proxies, so every fault the proxy
 * injects is a real network fault to it.
 */
export async function createStack(options: StackOptions = {}): Promise<Stack> {
  const world = await createWorld(options);
  try {
    const engineOptions = engineOptionsFor(world, options);
    const engineProcess = options.engineProcess ?? 'in-process';
    let engine = await startEngine(engineProcess, engineOptions);
    let closing: Promise<void> | undefined;
    return {
      world,
      endpoints: world.endpoints,
      exchange: world.exchange,
      proxyServer: world.proxyServer,
      proxyClient: world.proxyClient,
      get engine() {
        return engine;
      },
      restartEngine: async () => {
        await engine.close();
        engine = await startEngine(engineProcess, engineOptions);
        return engine;
      },
      invariants: () => readInvariants(world),
      close: () =>
        (closing ??= (async () => {
          await engine.close().catch(() => undefined);
          await world.close();
        })()),
    };
  } catch (error) {
    await world.close();
    throw error;
  }
}

/** The engine's options on a world: it reaches the exchange and the database through their proxies only. */
export function engineOptionsFor(world: World, settings: EngineSettings): EngineOptions {
  return {
    strategies: settings.strategies,
    seed: world.seed,
    ...settings.engine,
    exchange: {
      ...settings.engine?.exchange,
      baseUrl: world.endpoints.exchangeProxy,
      apiKey: world.account.apiKey,
      secret: world.account.apiSecret,
    },
    database: { url: world.endpoints.databaseProxyUrl, embedded: world.embeddedDatabase },
    dataDir: join(world.dataDir, 'engine'),
    watchdog: {
      // One log per stack (stacks started in the same millisecond included):
      // a restarted engine appends to its predecessor's.
      runId: `n1v1-${new Date(world.startedAt).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`,
      ...settings.engine?.watchdog,
      logDir: settings.logDir ?? join(world.dataDir, 'logs'),
    },
  };
}

/**
 * Reads the journal straight from the database (not through the proxy: faults
 * must not blind the judge). Orders from before this world are left out: a
 * kept data directory outlives the simulator, whose ledger starts empty.
 */
export async function readInvariants(world: World): Promise<InvariantReport> {
  const reader = createPgJournal({
    connectionString: world.endpoints.databaseUrl,
    spoolPath: join(world.dataDir, 'invariant-reader.spool'),
    poolSize: 1,
  });
  try {
    await reader.open(AbortSignal.timeout(10_000));
    const orders = (await reader.orders()).filter((order) => order.createdAt >= world.startedAt);
    return checkInvariants(orders, world.exchange.venue.ledger.read(), world.account.apiKey);
  } finally {
    await reader.close();
  }
}
