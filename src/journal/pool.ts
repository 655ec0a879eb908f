import pg from 'pg';

/** How the journal reaches its database. */
export interface PoolOptions {
  /** `postgres://user@host:port/database`. */
  connectionString: string;
  /** Connections in the pool. Default 4; use EMBEDDED_POOL_SIZE (1) for the embedded database. */
  poolSize?: number;
  /** Client-side limit on any one query, ms, so a black-holed database never hangs a write. Default 2000. */
  queryTimeoutMs?: number;
  /** Limit on opening a connection, handshake included, ms. Default 2000. */
  connectTimeoutMs?: number;
}

export const POOL_DEFAULTS = { poolSize: 4, queryTimeoutMs: 2_000, connectTimeoutMs: 2_000 };

/**
 * A pg pool whose errors never reach the process: a reset idle connection
 * emits 'error' on the pool, a checked-out one on its client, and an
 * unhandled 'error' event would kill the engine. Both go to onError.
 */
export function createPool(options: PoolOptions, onError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? POOL_DEFAULTS.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs ?? POOL_DEFAULTS.connectTimeoutMs,
    query_timeout: options.queryTimeoutMs ?? POOL_DEFAULTS.queryTimeoutMs,
    idleTimeoutMillis: 10_000,
    keepAlive: true,
    // Idle connections must not keep a finished process alive.
    allowExitOnIdle: true,
  });
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}
