// careful-bot.mjs: a tiny Binance spot bot that stays correct when the exchange misbehaves.
//
// Every 200 ms it sends a small MARKET order on BTCUSDT, buy and sell in turn.
// What makes it careful:
//  - a lost answer (timeout, reset connection, 5xx) is ambiguous: the venue
//    may have executed the order. It never resends blindly: it asks the venue
//    for the order by its own client order id, and resends (with the SAME id)
//    only once the venue says it never got it;
//  - a rate limit (HTTP 429/418) pauses every request for Retry-After seconds;
//  - an unreachable venue is retried with backoff, never a crash;
//  - SIGTERM: stop placing, cancel open orders, exit 0.
// Run: N1V1_CCXT_OPTIONS='{...}' node careful-bot.mjs (see README.md).
/* global process, console, AbortController -- Node.js globals, for ESLint */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import ccxt from 'ccxt';

const SYMBOL = 'BTC/USDT'; // ccxt's name of the venue's BTCUSDT
const QUANTITY = '0.0002'; // BTC, about 13 USDT: above the 5 USDT minimum notional
const EVERY_MS = 200;
const RECV_WINDOW_MS = 3000; // the venue refuses a signed request older than this

const config = JSON.parse(process.env.N1V1_CCXT_OPTIONS ?? '{}');
const exchange = new ccxt.binance({
  ...config,
  options: { ...config.options, recvWindow: RECV_WINDOW_MS },
  timeout: 2000,
  enableRateLimit: false, // we pace ourselves and obey the venue's Retry-After
});
const runTag = `${process.pid}-${Date.now().toString(36)}`; // ids unique across runs
// eslint-disable-next-line no-console -- a bot logs to its stdout
const log = (message) => console.log(`${new Date().toISOString()} careful ${message}`);

// SIGTERM (or Ctrl-C) ends the loop and cuts short any sleep.
const stop = new AbortController();
const stopping = () => stop.signal.aborted;
const pause = (ms) => sleep(Math.max(0, ms), undefined, { signal: stop.signal }).catch(() => {});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stop.abort());

const isRateLimit = (error) =>
  error instanceof ccxt.DDoSProtection || error instanceof ccxt.RateLimitExceeded;

// ccxt keeps the headers of the last response, names capitalised ("Retry-After").
function retryAfterSeconds() {
  const headers = exchange.last_response_headers ?? {};
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'retry-after');
  const value = name === undefined ? '' : String(headers[name]).trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value); // seconds
  const date = Date.parse(value); // or an HTTP date
  return Number.isNaN(date) ? 1 : Math.max(0, (date - Date.now()) / 1000);
}

let quietUntil = 0; // no request at all before this time (Retry-After)
let lastSentAt = 0; // when the last request was signed and sent
class Stopped extends Error {} // thrown instead of sending, once SIGTERM came

/** Sends one request, after any Retry-After has passed. */
async function request(send, { evenWhenStopping = false } = {}) {
  await pause(quietUntil - Date.now()); // SIGTERM cuts the wait short
  if (stopping() && !evenWhenStopping) throw new Stopped();
  const rest = quietUntil - Date.now(); // > 0 only when stopping: wait if short
  if (rest > 3000) throw new Stopped(`still rate limited for ${rest} ms`);
  await sleep(Math.max(0, rest));
  lastSentAt = Date.now();
  try {
    return await send();
  } catch (error) {
    if (isRateLimit(error)) {
      const seconds = retryAfterSeconds();
      quietUntil = Date.now() + seconds * 1000;
      log(`rate limited, waiting ${seconds}s`);
    }
    throw error;
  }
}

/** After a lost answer: true when the venue has the order, false when it never will, undefined if unknown. */
async function venueHas(clientOrderId, sentAt) {
  let backoffMs = 250;
  while (!stopping()) {
    try {
      const order = await request(() =>
        exchange.fetchOrder(undefined, SYMBOL, { origClientOrderId: clientOrderId }),
      );
      log(`venue has ${clientOrderId} (order ${order.id}, ${order.status}): not resending`);
      return true;
    } catch (error) {
      if (error instanceof Stopped) break;
      if (error instanceof ccxt.OrderNotFound) {
        // Our request may still be on its way: "not found" is final only once
        // the venue would refuse it as too old (its recvWindow, plus a margin).
        const finalAt = sentAt + RECV_WINDOW_MS + 1000;
        if (Date.now() >= finalAt) return false;
        log(`venue has no ${clientOrderId} yet, asking again after its recvWindow`);
        await pause(finalAt - Date.now());
      } else if (!isRateLimit(error)) {
        log(`venue unreachable (${error.constructor.name}), asking again in ${backoffMs} ms`);
        await pause(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 2000);
      }
    }
  }
  return undefined;
}

/** Places one order, exactly once, whatever the wire does to it. */
async function placeOrder(side, clientOrderId) {
  if (process.env.N1V1_INTENTS_FILE) {
    // One line per order, written BEFORE sending it, in the venue's own terms.
    const intent = { client_order_id: clientOrderId, symbol: 'BTCUSDT', side: side.toUpperCase() };
    const line = JSON.stringify({ ...intent, type: 'MARKET', quantity: QUANTITY, price: null });
    appendFileSync(process.env.N1V1_INTENTS_FILE, line + '\n');
  }
  while (!stopping()) {
    try {
      const order = await request(() =>
        exchange.createOrder(SYMBOL, 'market', side, Number(QUANTITY), undefined, {
          newClientOrderId: clientOrderId, // replaces ccxt's own broker-prefixed id
        }),
      );
      log(`placed ${clientOrderId} ${side} ${QUANTITY}: order ${order.id}`);
      return;
    } catch (error) {
      if (error instanceof Stopped) return;
      if (isRateLimit(error)) continue; // refused, not executed: send again once allowed
      if (!(error instanceof ccxt.NetworkError)) {
        log(`refused ${clientOrderId}: ${error.message}`); // the venue said no: nothing to undo
        return;
      }
      const sentAt = lastSentAt;
      log(`lost answer for ${clientOrderId} (${error.constructor.name}), asking the venue`);
      const found = await venueHas(clientOrderId, sentAt);
      if (found !== false) return; // executed, or unknown because we are stopping
      log(`venue never got ${clientOrderId}: resending with the same id`);
    }
  }
}

async function main() {
  let backoffMs = 250;
  while (!stopping() && exchange.markets === undefined) {
    try {
      await request(() => exchange.loadMarkets());
    } catch (error) {
      if (error instanceof Stopped) break;
      log(`cannot load markets (${error.constructor.name}), retrying in ${backoffMs} ms`);
      await pause(backoffMs);
      backoffMs = Math.min(backoffMs * 2, 2000);
    }
  }
  if (!stopping()) log(`started, trading ${SYMBOL}`);
  for (let n = 1; !stopping(); n += 1) {
    const side = n % 2 === 1 ? 'buy' : 'sell'; // alternate, so balances do not drift
    await placeOrder(side, `careful-${runTag}-${n}`).catch((error) => log(`bug: ${error.stack}`));
    await pause(EVERY_MS);
  }
  log('stopping: cancelling open orders');
  try {
    if (exchange.markets !== undefined) {
      const cancel = () => exchange.cancelAllOrders(SYMBOL);
      const cancelled = await request(cancel, { evenWhenStopping: true });
      log(`cancelled ${cancelled.length} open order(s)`);
    }
  } catch (error) {
    // Binance answers -2011 "Unknown order sent." (OrderNotFound) when none is open.
    if (error instanceof ccxt.OrderNotFound) log('no open orders');
    else log(`could not cancel (${error.constructor.name}): ${error.message}`);
  }
  log('stopped');
  process.exit(0);
}

main();
