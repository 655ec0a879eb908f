import ccxt from 'ccxt';

/**
 * ccxt's binance class, unchanged, with every API URL pointed at a simulator:
 * each of ccxt's base URLs keeps its path (/api/v3, /sapi/v1, /fapi/v1 …) on the
 * simulator's host, so nothing can leave the machine. Spot only.
 */
export function binanceAt(
  baseUrl: string,
  apiKey: string,
  secret: string,
): InstanceType<typeof ccxt.binance> {
  const exchange = new ccxt.binance({
    apiKey,
    secret,
    enableRateLimit: false,
    timeout: 10_000,
    options: {
      defaultType: 'spot',
      fetchMarkets: { types: ['spot'] },
      // Wallet and margin endpoints (sapi) the simulator does not model.
      fetchCurrencies: false,
      fetchMargins: false,
    },
  });
  const api = exchange.urls['api'] as Record<string, string>;
  for (const [name, url] of Object.entries(api)) {
    api[name] = `${baseUrl}${new URL(url).pathname}`;
  }
  return exchange;
}
