/**
 * The baseline every server benchmark is measured beside: a freshly signed
 * Binance order (the request a real client sends), and the cheapest
 * `node:http` server that still reads it and answers JSON, in its own process.
 */
import { join } from 'node:path';
import { DEFAULT_ACCOUNT, sign } from '../../src/exchange/index.js';
import { withChild } from './child-server.js';
import { measure, type HttpRequest, type LoadSettings, type TargetResult } from './http-load.js';

const ECHO_PATH = join(import.meta.dirname, '..', 'echo-server.ts');
const ORDER_PATH = '/api/v3/order';
/** Smallest BTCUSDT step multiple that clears the 5 USDT min notional at ~65 000. */
const ORDER_QUANTITY = '0.001';

let orderCount = 0;

/**
 * A freshly signed order, as a real client would send it: the timestamp (and
 * so the HMAC) changes per request. Sides alternate so balances never drain.
 */
export function nextSignedOrder(): HttpRequest {
  const side = orderCount++ % 2 === 0 ? 'BUY' : 'SELL';
  const payload =
    `symbol=BTCUSDT&side=${side}&type=MARKET&quantity=${ORDER_QUANTITY}` +
    `&timestamp=${Date.now()}`;
  return {
    method: 'POST',
    path: ORDER_PATH,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-mbx-apikey': DEFAULT_ACCOUNT.apiKey,
    },
    body: `${payload}&signature=${sign(DEFAULT_ACCOUNT.apiSecret, payload)}`,
  };
}

/** The echo server's command line: the TypeScript source through tsx. */
export function echoServerArgs(): string[] {
  return ['--import', import.meta.resolve('tsx'), ECHO_PATH];
}

export const okStatus = (status: number): boolean => status >= 200 && status < 300;

/** Signed orders to the echo server, in its own process, with `load`. */
export async function measureEcho(
  load: LoadSettings,
): Promise<TargetResult & { exitCode: number | null }> {
  const { value, exitCode } = await withChild('echo', echoServerArgs(), (server) => {
    const pid = server.child.pid;
    console.error(
      `echo: ${server.url} (pid ${pid}), ${load.inFlight} in flight for ${load.durationS}s…`,
    );
    return measure(
      { name: 'echo', url: server.url, pid, accepts: okStatus },
      load,
      nextSignedOrder,
    );
  });
  return { ...value, exitCode };
}
