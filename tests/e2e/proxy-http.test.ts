import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProxyStats } from '../../src/proxy/model.js';
import {
  rawExchange,
  send,
  startHttpProxy,
  startUpstream,
  type HttpProxy,
  type Upstream,
} from '../support/http-proxy-harness.js';

const ORDER_429 = {
  type: 'http_status',
  stream: 'upstream',
  attributes: {
    status: 429,
    headers: { 'Retry-After': '1' },
    body: '{"code":-1003,"msg":"Too many requests."}',
  },
};

let upstream: Upstream;
let proxy: HttpProxy;
let agents: Agent[] = [];

/** A keep-alive client agent with one socket, so every request shares a connection. */
function oneConnection(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

/** Every request read ends in exactly one outcome. */
function outcomes(stats: ProxyStats): number {
  const { answered, failed } = stats.requests;
  return (
    answered +
    failed.refused +
    failed.reset +
    failed.timedOut +
    failed.injectedStatus +
    failed.upstreamError
  );
}

/** Resolves to the error code a failed request rejected with. */
async function failure(promise: Promise<unknown>): Promise<string> {
  const error = (await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  )) as NodeJS.ErrnoException;
  return error.code ?? error.name;
}

beforeEach(async () => {
  upstream = await startUpstream();
  proxy = await startHttpProxy(upstream.port);
});

afterEach(async () => {
  for (const agent of agents) agent.destroy();
  agents = [];
  await proxy.close('reset');
  await upstream.close();
});

describe('http proxy: forwarding', () => {
  it('forwards many requests over one keep-alive connection, fixing Host and hop-by-hop headers', async () => {
    const agent = oneConnection();
    for (let i = 0; i < 20; i += 1) {
      const reply = await send(proxy.port, {
        agent,
        method: 'POST',
        path: `/api/v3/order?i=${i}`,
        body: `n=${i}`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          connection: 'keep-alive, x-hop',
          'x-hop': 'secret',
          'x-mbx-apikey': 'k',
        },
      });
      expect(reply.status).toBe(200);
      expect(reply.headers['x-upstream']).toBe('yes');
      expect(JSON.parse(reply.body)).toEqual({
        method: 'POST',
        path: `/api/v3/order?i=${i}`,
        body: `n=${i}`,
        host: `127.0.0.1:${upstream.port}`,
      });
    }
    const hit = upstream.hits[0]!;
    expect(hit.headers['x-mbx-apikey']).toBe('k');
    expect(hit.headers['x-hop']).toBeUndefined();
    const { stats } = proxy;
    expect(stats.connections.accepted).toBe(1);
    expect(stats.requests).toMatchObject({ seen: 20, forwarded: 20, answered: 20 });
    expect(stats.bytes.upstream).toBe(upstream.hits.reduce((n, _, i) => n + `n=${i}`.length, 0));
    expect(stats.bytes.downstream).toBeGreaterThan(20 * 50);
  });

  it('answers pipelined requests in order', async () => {
    const text = await rawExchange(
      proxy.port,
      'GET /first HTTP/1.1\r\nHost: x\r\n\r\n' +
        'GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(text.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
    expect(text.indexOf('"/first"')).toBeGreaterThan(0);
    expect(text.indexOf('"/second"')).toBeGreaterThan(text.indexOf('"/first"'));
    expect(proxy.stats.requests).toMatchObject({ seen: 2, answered: 2 });
  });

  it('answers 502 in JSON and counts refused when the upstream is down', async () => {
    const dead = createServer();
    dead.listen(0, '127.0.0.1');
    await new Promise((resolve) => dead.once('listening', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    const down = await startHttpProxy(port);
    try {
      const reply = await send(down.port, { path: '/api/v3/time' });
      expect(reply.status).toBe(502);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(JSON.parse(reply.body)).toEqual({ error: 'upstream refused', status: 502 });
      expect(down.stats.requests).toMatchObject({ seen: 1, forwarded: 0, answered: 0 });
      expect(down.stats.requests.failed.refused).toBe(1);
    } finally {
      await down.close();
    }
  });
});

describe('http proxy: upstream failures', () => {
  it('answers 502 and counts upstreamError when the upstream drops the connection before answering', async () => {
    const broken = await startUpstream((req) => req.socket.destroy());
    const viaBroken = await startHttpProxy(broken.port);
    try {
      const reply = await send(viaBroken.port, { path: '/api/v3/time' });
      expect(reply.status).toBe(502);
      expect(JSON.parse(reply.body)).toEqual({ error: 'upstream error', status: 502 });
      expect(viaBroken.stats.requests).toMatchObject({ seen: 1, forwarded: 1, answered: 0 });
      expect(viaBroken.stats.requests.failed.upstreamError).toBe(1);
    } finally {
      await viaBroken.close();
      await broken.close();
    }
  });

  it('breaks the client connection and counts upstreamError when the upstream fails mid-body', async () => {
    const broken = await startUpstream((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => req.socket.destroy());
    });
    const viaBroken = await startHttpProxy(broken.port);
    try {
      expect(await failure(send(viaBroken.port))).toMatch(/ECONNRESET|ERR_STREAM_PREMATURE_CLOSE/);
      await vi.waitFor(() => expect(viaBroken.stats.connections.active).toBe(0));
      expect(viaBroken.stats.requests.failed.upstreamError).toBe(1);
      expect(outcomes(viaBroken.stats)).toBe(1);
    } finally {
      await viaBroken.close();
      await broken.close();
    }
  });
});

describe('http proxy: http_status', () => {
  it('injects 429 with Retry-After and a Binance body at toxicity 1, without calling the upstream', async () => {
    proxy.addToxic(ORDER_429);
    const agent = oneConnection();
    for (let i = 0; i < 3; i += 1) {
      const reply = await send(proxy.port, { agent, method: 'POST', path: '/api/v3/order' });
      expect(reply.status).toBe(429);
      expect(reply.headers['retry-after']).toBe('1');
      expect(JSON.parse(reply.body)).toEqual({ code: -1003, msg: 'Too many requests.' });
    }
    expect(upstream.hits).toHaveLength(0);
    expect(proxy.stats.connections.accepted).toBe(1);
    expect(proxy.stats.requests).toMatchObject({ seen: 3, forwarded: 0 });
    expect(proxy.stats.requests.failed.injectedStatus).toBe(3);
    expect(proxy.stats.toxics.http_status_upstream).toEqual({ evaluated: 3, applied: 3 });
  });

  it('injects at toxicity 0.5 about half the time over 400 requests', async () => {
    proxy.addToxic({ ...ORDER_429, toxicity: 0.5 });
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    agents.push(agent);
    const replies = await Promise.all(
      Array.from({ length: 400 }, () => send(proxy.port, { agent, path: '/api/v3/ticker' })),
    );
    const injected = replies.filter((reply) => reply.status === 429).length;
    // Binomial(400, 0.5): mean 200, sd 10; these bounds are six sd wide.
    expect(injected).toBeGreaterThanOrEqual(140);
    expect(injected).toBeLessThanOrEqual(260);
    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(400 - injected);
    expect(upstream.hits).toHaveLength(400 - injected);
    expect(proxy.stats.requests.failed.injectedStatus).toBe(injected);
    expect(proxy.stats.toxics.http_status_upstream).toEqual({ evaluated: 400, applied: injected });
    expect(outcomes(proxy.stats)).toBe(400);
  });

  it('applies only to requests its matcher selects', async () => {
    proxy.addToxic({ ...ORDER_429, match: { method: 'post', path: '/api/v3/order' } });
    const agent = oneConnection();
    const status = async (method: string, path: string) =>
      (await send(proxy.port, { agent, method, path })).status;
    expect(await status('POST', '/api/v3/order')).toBe(429);
    expect(await status('POST', '/api/v3/order?symbol=BTCUSDT')).toBe(429);
    expect(await status('GET', '/api/v3/order')).toBe(200);
    expect(await status('DELETE', '/api/v3/order')).toBe(200);
    expect(await status('POST', '/api/v3/order/test')).toBe(200);
    expect(upstream.hits.map((hit) => hit.method)).toEqual(['GET', 'DELETE', 'POST']);
    // Only matching requests count as evaluations.
    expect(proxy.stats.toxics.http_status_upstream).toEqual({ evaluated: 2, applied: 2 });
  });

  it('applies a toxic added or removed while a keep-alive connection is open to its next request', async () => {
    const agent = oneConnection();
    expect((await send(proxy.port, { agent })).status).toBe(200);
    proxy.addToxic(ORDER_429);
    expect((await send(proxy.port, { agent })).status).toBe(429);
    proxy.removeToxic('http_status_upstream');
    expect((await send(proxy.port, { agent })).status).toBe(200);
    expect(proxy.stats.connections.accepted).toBe(1);
    expect(upstream.hits).toHaveLength(2);
  });
});

describe('http proxy: http_latency', () => {
  it('delays upstream-stream requests before the upstream sees them', async () => {
    proxy.addToxic({ type: 'http_latency', stream: 'upstream', attributes: { latency: 200 } });
    const started = performance.now();
    expect((await send(proxy.port)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(upstream.hits[0]!.atMs - started).toBeGreaterThanOrEqual(190);
  });

  it('delays downstream-stream answers after the upstream executed the request', async () => {
    proxy.addToxic({ type: 'http_latency', attributes: { latency: 200, jitter: 20 } });
    const started = performance.now();
    expect((await send(proxy.port)).status).toBe(200);
    const finished = performance.now();
    expect(finished - started).toBeGreaterThanOrEqual(170);
    expect(upstream.hits[0]!.atMs - started).toBeLessThan(150);
    expect(finished - upstream.hits[0]!.atMs).toBeGreaterThanOrEqual(170);
  });
});

describe('http proxy: http_timeout', () => {
  it('holds upstream-stream requests without forwarding until the client gives up', async () => {
    proxy.addToxic({ type: 'http_timeout', stream: 'upstream' });
    expect(await failure(send(proxy.port, { timeoutMs: 300 }))).toBe('ABORT_ERR');
    await vi.waitFor(() => expect(proxy.stats.requests.failed.timedOut).toBe(1));
    expect(upstream.hits).toHaveLength(0);
    expect(proxy.stats.requests.forwarded).toBe(0);
    expect(proxy.stats.connections.timedOut).toBe(1);
  });

  it('lets the upstream execute downstream-stream requests and never answers', async () => {
    proxy.addToxic({ type: 'http_timeout', stream: 'downstream' });
    expect(
      await failure(send(proxy.port, { method: 'POST', path: '/api/v3/order', timeoutMs: 300 })),
    ).toBe('ABORT_ERR');
    await vi.waitFor(() => expect(proxy.stats.requests.failed.timedOut).toBe(1));
    expect(upstream.hits.map((hit) => hit.path)).toEqual(['/api/v3/order']);
    expect(proxy.stats.requests).toMatchObject({ seen: 1, forwarded: 1, answered: 0 });
  });

  it('closes the client connection after timeout ms', async () => {
    proxy.addToxic({ type: 'http_timeout', stream: 'upstream', attributes: { timeout: 200 } });
    const started = performance.now();
    expect(await failure(send(proxy.port, { timeoutMs: 3000 }))).toBe('ECONNRESET'); // "socket hang up"
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1500);
    expect(proxy.stats.requests.failed.timedOut).toBe(1);
  });

  it('closes the connections it holds when it is removed: a healed fault leaves nothing hanging', async () => {
    proxy.addToxic({ type: 'http_timeout', name: 'black_hole' });
    const held = failure(send(proxy.port, { timeoutMs: 5000 }));
    await vi.waitFor(() => expect(upstream.hits).toHaveLength(1));
    const removedAt = performance.now();
    proxy.removeToxic('black_hole');
    expect(await held).toBe('ECONNRESET'); // "socket hang up": the FIN, long before the 5 s timeout
    expect(performance.now() - removedAt).toBeLessThan(1000);
    await vi.waitFor(() => expect(proxy.stats.requests.failed.timedOut).toBe(1));
    expect((await send(proxy.port)).status).toBe(200);
  });
});

describe('http proxy: http_drop_response', () => {
  it('executes the request upstream, then resets the client', async () => {
    proxy.addToxic({ type: 'http_drop_response' });
    const code = await failure(
      send(proxy.port, { method: 'POST', path: '/api/v3/order', body: 'x=1' }),
    );
    expect(code).toBe('ECONNRESET');
    expect(upstream.hits.map((hit) => hit.path)).toEqual(['/api/v3/order']);
    await vi.waitFor(() => expect(proxy.stats.connections.active).toBe(0));
    expect(proxy.stats.requests).toMatchObject({ seen: 1, forwarded: 1, answered: 0 });
    expect(proxy.stats.requests.failed.reset).toBe(1);
    expect(proxy.stats.connections.reset).toBe(1);
    expect(proxy.stats.bytes.downstream).toBe(0);
  });
});

describe('http proxy: reset_peer', () => {
  it('resets the client after timeout ms without forwarding on the upstream stream', async () => {
    proxy.addToxic({ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 100 } });
    const started = performance.now();
    expect(await failure(send(proxy.port))).toBe('ECONNRESET');
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(upstream.hits).toHaveLength(0);
    expect(proxy.stats.requests.failed.reset).toBe(1);
    expect(proxy.stats.requests.forwarded).toBe(0);
  });
});

describe('http proxy: counters and closing', () => {
  it('ends every request in exactly one outcome under mixed toxics', async () => {
    proxy.addToxic({ ...ORDER_429, toxicity: 0.2, match: { method: 'POST' } });
    proxy.addToxic({
      type: 'http_timeout',
      stream: 'upstream',
      toxicity: 0.1,
      attributes: { timeout: 50 },
    });
    proxy.addToxic({ type: 'http_drop_response', toxicity: 0.1 });
    proxy.addToxic({ type: 'http_timeout', name: 'hold_forever', toxicity: 0.05 });
    proxy.addToxic({ type: 'http_latency', attributes: { latency: 5, jitter: 5 } });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        // Long enough that only the held requests make the client give up, even on a busy machine.
        send(proxy.port, {
          method: i % 2 ? 'POST' : 'GET',
          path: '/api/v3/order',
          timeoutMs: 1500,
        }),
      ),
    );
    await vi.waitFor(() => expect(proxy.stats.connections.active).toBe(0));
    const { stats } = proxy;
    expect(stats.requests.seen).toBe(200);
    expect(outcomes(stats)).toBe(200);
    const ok = results.filter((r) => r.status === 'fulfilled' && r.value.status === 200).length;
    expect(stats.requests.answered).toBe(ok);
    expect(stats.requests.forwarded).toBe(upstream.hits.length);
    expect(stats.requests.failed.injectedStatus).toBeGreaterThan(0);
    expect(stats.requests.failed.reset).toBeGreaterThan(0);
    expect(stats.requests.failed.timedOut).toBeGreaterThan(0);
  });

  it('lets in-flight requests finish on a graceful close', async () => {
    const idle = oneConnection();
    expect((await send(proxy.port, { agent: idle })).status).toBe(200);
    proxy.addToxic({ type: 'http_latency', attributes: { latency: 150 } });
    const pending = send(proxy.port);
    await vi.waitFor(() => expect(upstream.hits).toHaveLength(2));
    const started = performance.now();
    await proxy.frontend.close('graceful');
    // Closed once the in-flight answer went out, well before the 2 s bound.
    expect(performance.now() - started).toBeLessThan(1500);
    const reply = await pending;
    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe('close');
    expect(proxy.stats.requests.answered).toBe(2);
    expect(proxy.stats.connections).toMatchObject({ accepted: 2, active: 0, reset: 0 });
  });

  it('resets every connection at once on close("reset"), counting held requests as refused', async () => {
    proxy.addToxic({ type: 'http_timeout' });
    const pending = failure(send(proxy.port));
    await vi.waitFor(() => expect(upstream.hits).toHaveLength(1));
    await proxy.frontend.close('reset');
    expect(await pending).toBe('ECONNRESET');
    expect(proxy.stats.requests.failed.refused).toBe(1);
    expect(proxy.stats.connections).toMatchObject({ reset: 1, active: 0, timedOut: 0 });
    expect(outcomes(proxy.stats)).toBe(1);
  });
});
