import { afterEach, describe, expect, it } from 'vitest';
import {
  closedWithin,
  echoServer,
  receive,
  tcpClient,
  tcpServer,
} from '../../../tests/support/tcp-harness.js';
import { Proxy } from '../proxy.js';
import { parseProxySpec, parseToxicSpec } from '../specs.js';

/** Everything a test opens, closed after it. */
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(upstreamPort?: number) {
  let port = upstreamPort;
  if (port === undefined) {
    const echo = await echoServer();
    cleanups.push(echo.close);
    port = echo.port;
  }
  const proxy = await Proxy.create(
    parseProxySpec({ name: 'p', listen: '127.0.0.1:0', upstream: `127.0.0.1:${port}` }),
  );
  cleanups.push(() => proxy.close());
  const proxyPort = Number(proxy.spec.listen.split(':')[1]);
  const client = async () => {
    const socket = await tcpClient(proxyPort);
    cleanups.push(() => socket.destroy());
    return socket;
  };
  const toxic = (input: Record<string, unknown>) => proxy.addToxic(parseToxicSpec(input));
  return { proxy, proxyPort, client, toxic };
}

const payload = (size: number) => Buffer.alloc(size, 'x');

describe('tcp proxy', () => {
  it('passes data both ways and counts it', async () => {
    const { proxy, client } = await setup();
    const socket = await client();
    socket.write(payload(1_000_000));
    const { data } = await receive(socket, 1_000_000);
    expect(data.length).toBe(1_000_000);
    expect(proxy.stats.bytes).toEqual({ upstream: 1_000_000, downstream: 1_000_000 });
    expect(proxy.stats.connections).toMatchObject({ accepted: 1, active: 1 });
  });

  it('latency delays each direction by what it says', async () => {
    const { client, toxic } = await setup();
    toxic({ type: 'latency', stream: 'upstream', attributes: { latency: 60 } });
    toxic({ type: 'latency', attributes: { latency: 60 } });
    const socket = await client();
    const started = performance.now();
    socket.write('ping');
    await receive(socket, 4);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(115);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('bandwidth limits throughput to rate KB/s', async () => {
    const { client, toxic } = await setup();
    toxic({ type: 'bandwidth', attributes: { rate: 100 } });
    const socket = await client();
    const started = performance.now();
    socket.write(payload(50 * 1024));
    const { data } = await receive(socket, 50 * 1024);
    const elapsed = performance.now() - started;
    expect(data.length).toBe(50 * 1024);
    // 50 KB at 100 KB/s: half a second, give or take a slice.
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('slow_close holds the close back', async () => {
    const closer = await tcpServer((socket) => socket.end('bye'));
    cleanups.push(closer.close);
    const { client, toxic } = await setup(closer.port);
    toxic({ type: 'slow_close', attributes: { delay: 300 } });
    const socket = await client();
    const elapsed = await closedWithin(socket, 5_000);
    expect(elapsed).toBeGreaterThanOrEqual(250);
  });

  it('timeout 0 stops data and closes the connection when removed; timeout N closes after N ms', async () => {
    const { proxy, client, toxic } = await setup();
    toxic({ type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } });
    const socket = await client();
    socket.write('lost');
    expect((await receive(socket, 4, 300)).data.length).toBe(0);
    // As in Toxiproxy, the connections a timeout held are closed when it goes.
    proxy.removeToxic('timeout_upstream');
    await closedWithin(socket, 5_000);
    expect(proxy.stats.connections.timedOut).toBe(1);

    toxic({ type: 'timeout', attributes: { timeout: 200 } });
    const closing = await client();
    const elapsed = await closedWithin(closing, 5_000);
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(proxy.stats.connections.timedOut).toBe(2);
  });

  it('counts a connection a timeout held as timed out when the client gives up', async () => {
    const { proxy, client, toxic } = await setup();
    toxic({ type: 'timeout', attributes: { timeout: 0 } });
    const socket = await client();
    socket.write('anyone?');
    await receive(socket, 7, 100);
    socket.destroy();
    while (proxy.stats.connections.active > 0)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(proxy.stats.connections).toMatchObject({ timedOut: 1, reset: 0 });
  });

  it('reset_peer drops the first data and resets, at once or after its timeout', async () => {
    const { proxy, client, toxic } = await setup();
    toxic({ type: 'reset_peer', attributes: { timeout: 0 } });
    const socket = await client();
    socket.write('x');
    await closedWithin(socket, 5_000);
    expect(socket.errors.map((e) => e.code)).toContain('ECONNRESET');
    proxy.removeAllToxics();

    toxic({ type: 'reset_peer', attributes: { timeout: 300 } });
    const later = await client();
    const started = performance.now();
    later.write('before');
    const { data } = await receive(later, 6, 5_000);
    expect(data.length).toBe(0);
    await closedWithin(later, 5_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(later.errors.map((e) => e.code)).toContain('ECONNRESET');
    expect(proxy.stats.connections.reset).toBe(2);
  });

  it('keeps every byte, in order, through stacked toxics changed mid-stream', async () => {
    const { proxy, client, toxic } = await setup();
    toxic({ type: 'latency', stream: 'upstream', attributes: { latency: 5 } });
    toxic({ type: 'slicer', attributes: { average_size: 4096, size_variation: 1024, delay: 200 } });
    toxic({ type: 'bandwidth', attributes: { rate: 20_000 } });
    const socket = await client();
    const sent = Buffer.from(Array.from({ length: 2_000_000 }, (_, i) => i % 251));
    const received = receive(socket, sent.length, 20_000);
    socket.write(sent);
    await new Promise((resolve) => setTimeout(resolve, 50));
    proxy.removeToxic('bandwidth_downstream');
    toxic({ name: 'more', type: 'latency', attributes: { latency: 1 } });
    const { data } = await received;
    expect(data.length).toBe(sent.length);
    expect(data.equals(sent)).toBe(true);
  });

  it('delivers an answer still inside a toxic after both sides closed', async () => {
    const { client, toxic } = await setup();
    toxic({ type: 'latency', attributes: { latency: 100 } });
    const socket = await client();
    const received = receive(socket, 100_000);
    socket.end(payload(100_000));
    const { data } = await received;
    expect(data.length).toBe(100_000);
  });

  it('changing one toxic leaves the others on open links alone', async () => {
    const { proxy, client, toxic } = await setup();
    toxic({ name: 'hold', type: 'timeout', attributes: { timeout: 600 } });
    const socket = await client();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    toxic({ name: 'unrelated', type: 'latency', stream: 'upstream', attributes: { latency: 1 } });
    await closedWithin(socket, 5_000);
    // Still the first timer: a restarted one would close at 900 ms or later.
    expect(performance.now() - started).toBeLessThan(890);
    expect(proxy.stats.toxics['hold']).toEqual({ evaluated: 1, applied: 1 });
  });

  it('slicer cuts data into small pieces', async () => {
    const { client, toxic } = await setup();
    toxic({ type: 'slicer', attributes: { average_size: 10, size_variation: 5, delay: 5_000 } });
    const socket = await client();
    socket.write(payload(400));
    const { data, chunks } = await receive(socket, 400);
    expect(data.length).toBe(400);
    // 40 slices or so, 5 ms apart; the receiver may still merge a few.
    expect(chunks).toBeGreaterThanOrEqual(10);
  });

  it('limit_data closes the connection after the given bytes', async () => {
    const { client, toxic } = await setup();
    toxic({ type: 'limit_data', attributes: { bytes: 100 } });
    const socket = await client();
    socket.write(payload(500));
    const { data, closed } = await receive(socket, 500);
    expect(data.length).toBe(100);
    expect(closed).toBe(true);
  });

  it('toxicity is drawn per connection: 0 never applies, 0.5 about half the time', async () => {
    const { proxy, client, toxic } = await setup();
    toxic({ type: 'reset_peer', toxicity: 0, attributes: { timeout: 0 } });
    const spared = await client();
    spared.write('fine');
    expect((await receive(spared, 4)).data.toString()).toBe('fine');
    spared.destroy();
    await closedWithin(spared, 1_000);
    proxy.removeAllToxics();
    // Let the proxy see the close, so only the connections below meet the next toxic.
    while (proxy.stats.connections.active > 0)
      await new Promise((resolve) => setTimeout(resolve, 5));

    toxic({ name: 'half', type: 'reset_peer', toxicity: 0.5, attributes: { timeout: 0 } });
    let resetsSeen = 0;
    for (let i = 0; i < 80; i += 1) {
      const socket = await client();
      socket.write('x');
      // Wait for more than the echo: a spared connection stays open, a reset one closes.
      const { closed } = await receive(socket, 2, 100);
      if (closed) resetsSeen += 1;
      socket.destroy();
    }
    while (proxy.stats.connections.active > 0)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const { evaluated, applied } = proxy.stats.toxics['half']!;
    expect(evaluated).toBe(80);
    // Binomial(80, 0.5): mean 40, sd 4.5; these bounds are 4 sd wide.
    expect(applied).toBeGreaterThanOrEqual(22);
    expect(applied).toBeLessThanOrEqual(58);
    // Every connection the toxic applied to was reset, and the client saw it (a slow machine may
    // deliver a few resets after the 100 ms window, never more resets than applications).
    expect(proxy.stats.connections.reset).toBe(applied);
    expect(resetsSeen).toBeLessThanOrEqual(applied);
    expect(resetsSeen).toBeGreaterThanOrEqual(applied - 5);
  });

  it('a toxic added while a connection is open applies to it', async () => {
    const { client, toxic } = await setup();
    const socket = await client();
    socket.write('one');
    expect((await receive(socket, 3)).data.toString()).toBe('one');
    toxic({ type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } });
    socket.write('two');
    expect((await receive(socket, 3, 300)).data.length).toBe(0);
  });

  it('disabled: open connections are reset and new ones refused; enabled again on the same port', async () => {
    const { proxy, proxyPort, client } = await setup();
    const open = await client();
    await proxy.update({ enabled: false });
    await closedWithin(open, 5_000);
    const refused = await tcpClient(proxyPort);
    await closedWithin(refused, 5_000);
    expect(refused.errors.map((e) => e.code)).toContain('ECONNREFUSED');
    await proxy.update({ enabled: true });
    expect(proxy.spec.listen).toBe(`127.0.0.1:${proxyPort}`);
    const again = await client();
    again.write('up');
    expect((await receive(again, 2)).data.toString()).toBe('up');
  });

  it('counts a connection the upstream refuses', async () => {
    const gone = await tcpServer(() => undefined);
    await gone.close();
    const { proxy, client } = await setup(gone.port);
    const socket = await client();
    await closedWithin(socket, 5_000);
    expect(proxy.stats.connections).toMatchObject({ refused: 1, accepted: 0, active: 0 });
  });

  it('counts each client message a request: answered by the bytes that follow, failed by a reset', async () => {
    const { proxy, client, toxic } = await setup();
    const socket = await client();
    for (let i = 0; i < 3; i += 1) {
      socket.write('ping');
      await receive(socket, 4);
    }
    expect(proxy.stats.requests).toMatchObject({ seen: 3, answered: 3 });
    toxic({ type: 'reset_peer', attributes: { timeout: 0 } });
    socket.write('ping');
    expect((await receive(socket, 4)).closed).toBe(true);
    expect(proxy.stats.requests.seen).toBe(4);
    expect(proxy.stats.requests.failed.reset).toBe(1);
  });

  it('scope chunk draws the toxicity per message, so one kept-open connection meets it too', async () => {
    const { proxy, client, toxic } = await setup();
    toxic({ type: 'latency', toxicity: 0.5, scope: 'chunk', attributes: { latency: 150 } });
    const socket = await client();
    const slow: boolean[] = [];
    for (let i = 0; i < 10; i += 1) {
      const started = performance.now();
      socket.write('ping');
      await receive(socket, 4);
      slow.push(performance.now() - started >= 140);
    }
    // The balanced draw: within one of half, on one connection, in any order.
    expect(slow.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect(slow.filter(Boolean).length).toBeLessThanOrEqual(6);
    expect(proxy.stats.toxics['latency_downstream']).toEqual({
      evaluated: 10,
      applied: slow.filter(Boolean).length,
    });
  });

  it('scope connection (the default) draws once: a connection the toxic skipped stays clean', async () => {
    const { proxy, client, toxic } = await setup();
    toxic({ type: 'latency', toxicity: 0, attributes: { latency: 150 } });
    const socket = await client();
    for (let i = 0; i < 5; i += 1) {
      socket.write('ping');
      await receive(socket, 4);
    }
    expect(proxy.stats.toxics['latency_downstream']).toEqual({ evaluated: 1, applied: 0 });
  });

  it('takes scope connection or chunk, and nothing else', () => {
    expect(parseToxicSpec({ type: 'latency', scope: 'chunk' }).scope).toBe('chunk');
    expect(parseToxicSpec({ type: 'latency', scope: 'connection' }).scope).toBeUndefined();
    expect(() => parseToxicSpec({ type: 'latency', scope: 'packet' })).toThrow(
      'scope must be "connection" or "chunk", got "packet"',
    );
    // A timeout holds its connection: drawn per chunk it would hold every one.
    expect(() => parseToxicSpec({ type: 'timeout', scope: 'chunk' })).toThrow(
      'timeout cannot be drawn per chunk',
    );
  });
});
