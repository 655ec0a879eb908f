import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../stack/index.js';
import { exportLines, targetEnvironment } from './target-env.js';

describe('the env block a bot gets', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld({ seed: 3 });
  });
  afterAll(() => world.close());

  const files = { intentsFile: '/run/intents.jsonl', phaseFile: '/run/phase', runDir: '/run' };

  it('names the proxies, never the simulator or the database themselves', () => {
    const env = targetEnvironment(world, files, 'ack_loss');
    expect(env).toMatchObject({
      N1V1_EXCHANGE_URL: world.endpoints.exchangeProxy,
      N1V1_API_KEY: world.account.apiKey,
      N1V1_API_SECRET: world.account.apiSecret,
      N1V1_DATABASE_URL: world.endpoints.databaseProxyUrl,
      N1V1_INTENTS_FILE: '/run/intents.jsonl',
      N1V1_SCENARIO: 'ack_loss',
      N1V1_PHASE_FILE: '/run/phase',
      N1V1_RUN_DIR: '/run',
    });
    expect(env['N1V1_DATABASE_URL']).toContain(world.endpoints.databaseProxy);
    expect(JSON.stringify(env)).not.toContain(world.endpoints.exchangeUrl);
  });

  it('N1V1_CCXT_OPTIONS makes an unchanged ccxt binance trade through the proxy', async () => {
    const config = JSON.parse(targetEnvironment(world, files, 'x')['N1V1_CCXT_OPTIONS']!);
    const exchange = new ccxt.binance(config);
    for (const url of Object.values(exchange.urls['api'] as Record<string, string>)) {
      if (typeof url === 'string') expect(url.startsWith(world.endpoints.exchangeProxy)).toBe(true);
    }
    const before = (await world.proxyClient.stats('exchange')).requests.seen;
    await exchange.loadMarkets();
    const order = await exchange.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, {
      newClientOrderId: 'env-test-1',
    });
    expect(order.clientOrderId).toBe('env-test-1');
    expect((await world.proxyClient.stats('exchange')).requests.seen).toBeGreaterThan(before);
  });

  it('export lines survive a POSIX shell, quotes included', () => {
    expect(exportLines({ A: "it's", B: '{"x":1}' })).toBe(
      `export A='it'\\''s'\nexport B='{"x":1}'`,
    );
  });
});
