/**
 * The world's evidence on its own: a world on loopback, a plain signed
 * client through its exchange proxy, and what the venue and the wire
 * recorded, joined by the proxy's request id; live signals for readiness and
 * order outcomes; files on disk, nothing per request kept in memory.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type WireOrderOutcome, type World } from '../../src/stack/index.js';
import { BinanceTestClient } from '../support/binance-client.js';

describe('world evidence', () => {
  let world: World;
  let client: BinanceTestClient;
  beforeEach(async () => {
    world = await createWorld({ seed: 7 });
    client = new BinanceTestClient(
      world.endpoints.exchangeProxy,
      world.account.apiKey,
      world.account.apiSecret,
    );
  });
  afterEach(() => world.close());

  const buy = (clientOrderId: string) =>
    client.request('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.001',
      newClientOrderId: clientOrderId,
    });

  it('records the venue and the wire, joined by request id, and tells order outcomes live', async () => {
    const outcomes: WireOrderOutcome[] = [];
    world.evidence.on('orderOutcome', (outcome) => outcomes.push(outcome));
    const since = Date.now();
    const signed = world.evidence.signedRequestSince(since, AbortSignal.timeout(5_000));
    expect((await buy('evidence-1')).status).toBe(200);
    expect(await signed).toBeGreaterThanOrEqual(since);
    await world.proxyClient.addToxic('exchange', { type: 'http_drop_response', name: 'drop' });
    await expect(buy('evidence-2')).rejects.toThrow();
    await world.proxyClient.removeToxic('exchange', 'drop');
    expect(
      (await client.request('GET', '/api/v3/depth', { symbol: 'BTCUSDT' }, { signed: false }))
        .status,
    ).toBe(200);

    const snapshot = await world.evidence.snapshot(since);
    const venue = [];
    for await (const record of snapshot.venue()) venue.push(record);
    const wire = [];
    for await (const record of snapshot.wire()) wire.push(record);
    expect(venue.map((r) => [r.path, r.order?.clientOrderId ?? null, r.signed])).toEqual([
      ['/api/v3/order', 'evidence-1', true],
      ['/api/v3/order', 'evidence-2', true],
      ['/api/v3/depth', null, false],
    ]);
    expect(venue.map((r) => r.requestId)).toEqual(wire.map((r) => r.requestId));
    expect(wire.map((r) => [r.end, r.status, r.forwarded])).toEqual([
      ['answered', 200, true],
      ['reset', null, true],
      ['answered', 200, true],
    ]);
    // The second order was executed, but its answer never reached the client.
    expect(venue[1]!.order!.orderId).not.toBeNull();
    expect(outcomes.map((o) => o.accepted)).toEqual([true, false]);
    expect(world.evidence.awaitingAnswers).toBe(0);
  });

  it('writes every request to the files and holds none in memory once it ended', async () => {
    const before = Date.now();
    for (let batch = 0; batch < 20; batch += 1) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          client
            .request('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT', n: batch * 50 + i })
            .catch(() => undefined),
        ),
      );
    }
    expect(world.evidence.awaitingAnswers).toBe(0);
    let venue = 0;
    const snapshot = await world.evidence.snapshot(before);
    for await (const record of snapshot.venue())
      if (record.path === '/api/v3/openOrders') venue += 1;
    let wire = 0;
    for await (const record of snapshot.wire()) if (record.path === '/api/v3/openOrders') wire += 1;
    expect(venue).toBe(1_000);
    expect(wire).toBe(1_000);
  }, 60_000);

  it('waits for a first signed request, and gives up with the signal', async () => {
    const waiting = world.evidence.signedRequestSince(Date.now(), AbortSignal.timeout(200));
    await expect(waiting).rejects.toThrow();
    expect(world.evidence.lastSignedOkAt).toBeUndefined();
  });
});
