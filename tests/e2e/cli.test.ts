import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BinanceTestClient } from '../support/binance-client.js';
import { runCli, startCli } from '../support/cli.js';

describe('n1v1 CLI', () => {
  it('lists its commands', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/exchange/);
  });

  it('runs the exchange until SIGTERM, trading with the keys it was given', async () => {
    const { child, firstLine } = await startCli([
      'exchange',
      '--port',
      '0',
      '--api-key',
      'k1',
      '--api-secret',
      's1',
      '--symbols',
      'SOLUSDT',
    ]);
    try {
      expect(firstLine).toMatch(/^listening http:\/\/127\.0\.0\.1:\d+$/);
      const client = new BinanceTestClient(firstLine.split(' ')[1]!, 'k1', 's1');
      const order = await client.request('POST', '/api/v3/order', {
        symbol: 'SOLUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '1',
      });
      expect(order.body).toMatchObject({ status: 'FILLED', executedQty: '1.00000000' });
      const refused = await client.request(
        'GET',
        '/api/v3/depth',
        { symbol: 'BTCUSDT' },
        { signed: false },
      );
      expect(refused.body).toMatchObject({ code: -1121 });
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it.each([
    [['exchange', '--port', '99999'], /expected 0\.\.65535/],
    [['exchange', '--api-key', 'only-a-key'], /in pairs/],
    [['exchange', '--symbols', 'NOTAPAIR'], /unknown symbol/],
    [['exchange', '--balance', 'USDT'], /ASSET=AMOUNT/],
    [['exchange', '--no-such-flag'], /unknown option/],
    [['nonsense'], /unknown command/],
  ])('refuses %j with a clear message and exit 2', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('says so when the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      const port = (blocker.address() as { port: number }).port;
      const result = await runCli(['exchange', '--port', String(port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
    } finally {
      blocker.close();
    }
  });
});
