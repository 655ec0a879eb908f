import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchange, DEFAULT_ACCOUNT, type Exchange } from '../../src/exchange/index.js';
import { binanceAt } from '../support/ccxt-binance.js';

let exchange: Exchange;
let binance: ReturnType<typeof binanceAt>;

beforeAll(async () => {
  exchange = await createExchange({ seed: 5 });
  binance = binanceAt(exchange.url, DEFAULT_ACCOUNT.apiKey, DEFAULT_ACCOUNT.apiSecret);
  await binance.loadMarkets();
});
afterAll(() => exchange.close());

describe('the real ccxt binance client against the simulator', () => {
  it('loads spot markets with the venue precisions and limits', () => {
    const market = binance.market('BTC/USDT');
    expect(market).toMatchObject({
      id: 'BTCUSDT',
      spot: true,
      base: 'BTC',
      quote: 'USDT',
      active: true,
    });
    expect(market.precision).toMatchObject({ price: 0.01, amount: 0.00001 });
    expect(market.limits.cost?.min).toBe(5);
    const urls = Object.values(binance.urls['api'] as Record<string, string>);
    expect(urls.every((url) => url.startsWith(`${exchange.url}/`))).toBe(true);
  });

  it('creates a limit order with a clientOrderId, fetches it both ways, lists and cancels it', async () => {
    const book = await binance.fetchOrderBook('BTC/USDT', 5);
    const price = Math.floor(book.bids[0]![0]! * 0.9);
    const created = await binance.createOrder('BTC/USDT', 'limit', 'buy', 0.01, price, {
      clientOrderId: 'ccxt-limit-1',
    });
    expect(created).toMatchObject({
      clientOrderId: 'ccxt-limit-1',
      status: 'open',
      price,
      amount: 0.01,
    });
    const byId = await binance.fetchOrder(created.id!, 'BTC/USDT');
    expect(byId).toMatchObject({ id: created.id, status: 'open' });
    const byClientId = await binance.fetchOrder('', 'BTC/USDT', { clientOrderId: 'ccxt-limit-1' });
    expect(byClientId.id).toBe(created.id);
    const open = await binance.fetchOpenOrders('BTC/USDT');
    expect(open.map((o) => o.id)).toContain(created.id);
    const balance = await binance.fetchBalance();
    expect(balance['USDT']?.used).toBeCloseTo(0.01 * price, 6);
    const canceled = await binance.cancelOrder(created.id!, 'BTC/USDT');
    expect(canceled.status).toBe('canceled');
    expect((await binance.fetchBalance())['USDT']?.used).toBe(0);
  });

  it('creates a market order with a clientOrderId and sees the fill and the balance change', async () => {
    const before = await binance.fetchBalance();
    const order = await binance.createOrder('ETH/USDT', 'market', 'buy', 0.5, undefined, {
      clientOrderId: 'ccxt-mkt-1',
    });
    expect(order).toMatchObject({ status: 'closed', filled: 0.5, clientOrderId: 'ccxt-mkt-1' });
    expect(order.trades.length).toBeGreaterThan(0);
    const after = await binance.fetchBalance();
    expect(after['ETH']!.free! - before['ETH']!.free!).toBeCloseTo(0.5 * 0.999, 8);
    expect(before['USDT']!.free! - after['USDT']!.free!).toBeCloseTo(order.cost!, 6);
    const trades = await binance.fetchMyTrades('ETH/USDT');
    expect(trades.at(-1)).toMatchObject({ order: order.id, side: 'buy' });
    const byCost = await binance.createMarketBuyOrderWithCost('BTC/USDT', 100);
    expect(byCost.status).toBe('closed');
    expect(byCost.cost).toBeGreaterThan(99);
    expect(byCost.cost).toBeLessThanOrEqual(100);
  });

  it('fetches a ticker and an order book', async () => {
    const ticker = await binance.fetchTicker('BTC/USDT');
    expect(ticker.symbol).toBe('BTC/USDT');
    expect(ticker.bid!).toBeLessThan(ticker.ask!);
    expect(ticker.last).toBeGreaterThan(0);
    const book = await binance.fetchOrderBook('ETH/USDT');
    expect(book.asks.length).toBeGreaterThan(0);
  });

  it('raises ccxt exception classes for venue errors', async () => {
    await expect(binance.fetchOrder('987654321', 'BTC/USDT')).rejects.toBeInstanceOf(
      ccxt.OrderNotFound,
    );
    await expect(binance.cancelOrder('987654321', 'BTC/USDT')).rejects.toBeInstanceOf(
      ccxt.OrderNotFound,
    );
    await expect(
      binance.createOrder('BTC/USDT', 'limit', 'sell', 50, 70_000),
    ).rejects.toBeInstanceOf(ccxt.InsufficientFunds);

    const far = Math.floor((await binance.fetchTicker('BTC/USDT')).bid! * 0.5);
    const first = await binance.createOrder('BTC/USDT', 'limit', 'buy', 0.001, far, {
      clientOrderId: 'dup-1',
    });
    await expect(
      binance.createOrder('BTC/USDT', 'limit', 'buy', 0.001, far, { clientOrderId: 'dup-1' }),
    ).rejects.toThrow(/Duplicate order sent/);
    await expect(
      binance.createOrder('BTC/USDT', 'limit', 'buy', 0.001, far, { clientOrderId: 'dup-1' }),
    ).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    await binance.cancelOrder(first.id!, 'BTC/USDT');

    const wrongSecret = binanceAt(exchange.url, DEFAULT_ACCOUNT.apiKey, 'not-the-secret');
    wrongSecret.markets = binance.markets;
    wrongSecret.marketsById = binance.marketsById;
    await expect(wrongSecret.fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
  });

  it('raises DDoSProtection for 429 and for the 418 ban', async () => {
    const limited = await createExchange({
      rateLimits: { weightLimit: 100, banAfterViolations: 2 },
    });
    try {
      const client = binanceAt(limited.url, DEFAULT_ACCOUNT.apiKey, DEFAULT_ACCOUNT.apiSecret);
      await client.loadMarkets();
      const errors: string[] = [];
      for (let i = 0; i < 12 && !errors.some((e) => e.includes(' 418 ')); i += 1) {
        try {
          await client.fetchBalance();
        } catch (error) {
          expect(error).toBeInstanceOf(ccxt.DDoSProtection);
          errors.push((error as Error).message);
        }
      }
      expect(errors.some((e) => e.includes(' 429 '))).toBe(true);
      expect(errors.some((e) => e.includes(' 418 '))).toBe(true);
    } finally {
      await limited.close();
    }
  });
});
