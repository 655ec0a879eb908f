/**
 * The ceiling the engine cannot beat: the same exchange client (ccxt's
 * binance class, through our connector) sending the same MARKET orders
 * straight to the simulator, with no proxy, no journal, no risk gate. The
 * simulator runs in its own process, so the CPU counted here is the client's
 * alone: what one order costs the library every engine on ccxt pays for.
 */
import { performance } from 'node:perf_hooks';
import { LatencyRecorder, type LatencyPercentiles } from '../src/common/index.js';
import { CcxtVenueClient } from '../src/engine/connector/index.js';
import { DEFAULT_ACCOUNT } from '../src/exchange/index.js';
import { exchangeArgs } from './exchange.js';
import { withChild } from './lib/child-server.js';

export interface CcxtDirectResult {
  orders: number;
  ordersPerSecond: number;
  latencyMs: LatencyPercentiles;
  /** CPU of this (client) process per order, µs. */
  clientCpuUsPerOrder: number;
}

export async function measureCcxtDirect(
  durationS: number,
  inFlight: number,
): Promise<CcxtDirectResult> {
  const { value } = await withChild('simulator for ccxt direct', exchangeArgs(), async (server) => {
    const client = new CcxtVenueClient({
      baseUrl: server.url,
      apiKey: DEFAULT_ACCOUNT.apiKey,
      secret: DEFAULT_ACCOUNT.apiSecret,
    });
    try {
      await client.markets();
      return await closedLoop(client, durationS * 1000, inFlight);
    } finally {
      await client.close();
    }
  });
  return value;
}

async function closedLoop(
  client: CcxtVenueClient,
  durationMs: number,
  inFlight: number,
): Promise<CcxtDirectResult> {
  const latency = new LatencyRecorder();
  let orders = 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const endAt = startedAt + durationMs;
  await Promise.all(
    Array.from({ length: inFlight }, async (_, slot) => {
      for (let i = 0; performance.now() < endAt; i += 1) {
        const sentAt = performance.now();
        await client.placeOrder({
          symbol: 'BTC/USDT',
          side: i % 2 === 0 ? 'BUY' : 'SELL',
          type: 'MARKET',
          quantity: '0.001',
          price: null,
          timeInForce: null,
          clientOrderId: `direct${slot}-${i}`,
        });
        latency.record(performance.now() - sentAt);
        orders += 1;
      }
    }),
  );
  const elapsedS = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    orders,
    ordersPerSecond: Math.round(orders / elapsedS),
    latencyMs: latency.percentiles(),
    clientCpuUsPerOrder: Math.round((cpu.user + cpu.system) / Math.max(1, orders)),
  };
}
