import ccxt from 'ccxt';
import { createCcxtExchange } from '../../src/engine/connector/index.js';

/**
 * ccxt's binance class, unchanged, with every API URL pointed at a simulator:
 * each of ccxt's base URLs keeps its path (/api/v3, /sapi/v1, /fapi/v1 …) on the
 * simulator's host, so nothing can leave the machine. Spot only. Built by the
 * connector's factory, so tests and the engine point ccxt at a venue one way.
 */
export function binanceAt(
  baseUrl: string,
  apiKey: string,
  secret: string,
): InstanceType<typeof ccxt.binance> {
  const exchange = createCcxtExchange({ baseUrl, apiKey, secret, timeoutMs: 10_000 });
  if (!(exchange instanceof ccxt.binance)) throw new Error('expected the binance class');
  return exchange;
}
