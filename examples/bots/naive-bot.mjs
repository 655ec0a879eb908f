// naive-bot.mjs: the same loop as careful-bot.mjs, written the way many bots are. DO NOT COPY.
//
// What makes it wrong:
//  - on ANY error it sends the order again under a NEW client order id. When
//    only the answer was lost (timeout, reset connection, 5xx) the venue has
//    already executed the first one: the resend doubles the position, and the
//    venue cannot tell, since the ids differ;
//  - it ignores Retry-After and hammers a rate-limited venue every 50 ms,
//    which on the real Binance escalates a 429 into an IP ban (418).
/* global process, console -- Node.js globals, for ESLint */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import ccxt from 'ccxt';

const SYMBOL = 'BTC/USDT';
const QUANTITY = '0.0002';
const config = JSON.parse(process.env.N1V1_CCXT_OPTIONS ?? '{}');
const exchange = new ccxt.binance({ ...config, timeout: 2000, enableRateLimit: false });
const runTag = `${process.pid}-${Date.now().toString(36)}`;
// eslint-disable-next-line no-console -- a bot logs to its stdout
const log = (message) => console.log(`${new Date().toISOString()} naive ${message}`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => (stopping = true));

let attempts = 0;
async function placeOrder(side) {
  while (!stopping) {
    const clientOrderId = `naive-${runTag}-${++attempts}`; // WRONG: a new id every attempt
    if (process.env.N1V1_INTENTS_FILE) {
      const intent = {
        client_order_id: clientOrderId,
        symbol: 'BTCUSDT',
        side: side.toUpperCase(),
      };
      const line = JSON.stringify({ ...intent, type: 'MARKET', quantity: QUANTITY, price: null });
      appendFileSync(process.env.N1V1_INTENTS_FILE, line + '\n');
    }
    try {
      const order = await exchange.createOrder(
        SYMBOL,
        'market',
        side,
        Number(QUANTITY),
        undefined,
        {
          newClientOrderId: clientOrderId,
        },
      );
      log(`placed ${clientOrderId} ${side} ${QUANTITY}: order ${order.id}`);
      return;
    } catch (error) {
      // WRONG: never asks the venue whether the order went through, never reads Retry-After.
      log(`${error.constructor.name} on ${clientOrderId}, sending it again in 50 ms`);
      await sleep(50);
    }
  }
}

for (let n = 1; !stopping; n += 1) {
  try {
    await exchange.loadMarkets();
    await placeOrder(n % 2 === 1 ? 'buy' : 'sell');
  } catch (error) {
    log(`error: ${error.message}`);
  }
  await sleep(200);
}
log('stopped');
process.exit(0);
