import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REQUEST_ID_HEADER, type WireRequest } from '../../src/evidence/model.js';
import {
  createProxyServer,
  parseToxicSpec,
  type Proxy,
  type ProxyServer,
} from '../../src/proxy/index.js';
import { send, startUpstream, type Upstream } from '../support/http-proxy-harness.js';

/**
 * The evidence an http-mode proxy records for the judge, over real sockets:
 * the request id it sends upstream, and one WireRequest per request read,
 * saying how the request ended, whether the upstream got it, and what the
 * client received.
 */

let upstream: Upstream;
let server: ProxyServer;
let proxy: Proxy;
let records: WireRequest[];
let unsubscribe: () => void;

beforeEach(async () => {
  upstream = await startUpstream();
  server = await createProxyServer({ port: 0 });
  [proxy] = (await server.populate([
    { name: 'exchange', upstream: `127.0.0.1:${upstream.port}`, mode: 'http' },
  ])) as [Proxy];
  records = [];
  unsubscribe = server.onWireRequest((record) => records.push(record));
});

afterEach(async () => {
  unsubscribe();
  await server.close();
  await upstream.close();
});

/** The proxy's listening port. */
function portOf(target: Proxy): number {
  return Number(target.spec.listen.split(':').pop());
}

function addToxic(input: unknown): void {
  proxy.addToxic(parseToxicSpec(input));
}

/** Waits for the one record of a single request, then checks no second one follows it. */
async function onlyRecord(): Promise<WireRequest> {
  await vi.waitFor(() => expect(records).toHaveLength(1));
  // A late second settle (client close after the answer, say) would come from an I/O callback.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(records).toHaveLength(1);
  return records[0]!;
}

/** Resolves to the error code a failed request rejected with. */
async function failure(promise: Promise<unknown>): Promise<string> {
  const error = (await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  )) as NodeJS.ErrnoException;
  return error.code ?? error.name;
}

describe('proxy evidence: request ids', () => {
  it('sends its own id upstream, replacing one the client sent', async () => {
    const port = portOf(proxy);
    await send(port, { path: '/api/v3/time', headers: { [REQUEST_ID_HEADER]: 'forged-7' } });
    await send(port, { method: 'POST', path: '/api/v3/order?symbol=BTCUSDT', body: 'x=1' });
    expect(upstream.hits.map((hit) => hit.headers[REQUEST_ID_HEADER])).toEqual([
      'exchange-1',
      'exchange-2',
    ]);
    await vi.waitFor(() => expect(records).toHaveLength(2));
    expect(records.map((record) => record.requestId)).toEqual(['exchange-1', 'exchange-2']);
  });

  it('a proxy replaced under the same name never reuses an id (the judge joins on them)', async () => {
    await send(portOf(proxy));
    const [replaced] = (await server.populate([
      {
        name: 'exchange',
        upstream: `127.0.0.1:${upstream.port}`,
        mode: 'http',
        listen: '127.0.0.1:0',
      },
    ])) as [Proxy];
    await send(portOf(replaced));
    await vi.waitFor(() => expect(records).toHaveLength(2));
    expect(records.map((record) => record.requestId)).toEqual(['exchange-1', 'exchange-2']);
  });

  it('records a plain answer: forwarded, the upstream status, path without query', async () => {
    const before = Date.now();
    const reply = await send(portOf(proxy), { method: 'POST', path: '/api/v3/order?a=1' });
    expect(reply.status).toBe(200);
    const record = await onlyRecord();
    expect(record).toEqual({
      requestId: 'exchange-1',
      proxy: 'exchange',
      at: expect.any(Number),
      endedAt: expect.any(Number),
      method: 'POST',
      path: '/api/v3/order',
      end: 'answered',
      forwarded: true,
      status: 200,
      retryAfterS: null,
    });
    expect(record.at).toBeGreaterThanOrEqual(before);
    expect(record.endedAt).toBeGreaterThanOrEqual(record.at);
    expect(record.endedAt).toBeLessThanOrEqual(Date.now());
  });

  it('passes an upstream 429 and its Retry-After through', async () => {
    const limited = await startUpstream((_req, res) => {
      res.writeHead(429, { 'retry-after': '3', 'content-type': 'application/json' });
      res.end('{"code":-1003,"msg":"Too many requests."}');
    });
    try {
      await proxy.update({ upstream: `127.0.0.1:${limited.port}` });
      const reply = await send(portOf(proxy));
      expect(reply.status).toBe(429);
      expect(await onlyRecord()).toMatchObject({
        end: 'answered',
        forwarded: true,
        status: 429,
        retryAfterS: 3,
      });
    } finally {
      await limited.close();
    }
  });
});

describe('proxy evidence: toxics', () => {
  it('records an injected status with its Retry-After, never forwarded', async () => {
    addToxic({
      type: 'http_status',
      stream: 'upstream',
      attributes: { status: 429, headers: { 'Retry-After': '2' }, body: '{"code":-1003}' },
    });
    expect((await send(portOf(proxy), { method: 'POST', path: '/api/v3/order' })).status).toBe(429);
    expect(upstream.hits).toHaveLength(0);
    expect(await onlyRecord()).toMatchObject({
      end: 'injectedStatus',
      forwarded: false,
      status: 429,
      retryAfterS: 2,
    });
  });

  it('records a dropped response as forwarded, reset, with no status', async () => {
    addToxic({ type: 'http_drop_response' });
    const code = await failure(send(portOf(proxy), { method: 'POST', path: '/api/v3/order' }));
    expect(code).toBe('ECONNRESET');
    expect(upstream.hits).toHaveLength(1);
    expect(await onlyRecord()).toMatchObject({
      end: 'reset',
      forwarded: true,
      status: null,
      retryAfterS: null,
    });
  });

  it('records a held request as timed out when the client gives up, forwarded or not', async () => {
    addToxic({ type: 'http_timeout', stream: 'upstream' });
    const started = Date.now();
    expect(await failure(send(portOf(proxy), { timeoutMs: 300 }))).toBe('ABORT_ERR');
    const held = await onlyRecord();
    expect(held).toMatchObject({ end: 'timedOut', forwarded: false, status: null });
    // Ended when the client gave up, not when the hold began.
    expect(held.endedAt - started).toBeGreaterThanOrEqual(250);

    proxy.removeAllToxics();
    addToxic({ type: 'http_timeout', stream: 'downstream' });
    records = [];
    expect(await failure(send(portOf(proxy), { method: 'POST', timeoutMs: 300 }))).toBe(
      'ABORT_ERR',
    );
    expect(await onlyRecord()).toMatchObject({ end: 'timedOut', forwarded: true, status: null });
    expect(upstream.hits).toHaveLength(1);
  });

  it('records a reset before forwarding as reset, not forwarded', async () => {
    addToxic({ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 50 } });
    expect(await failure(send(portOf(proxy)))).toBe('ECONNRESET');
    expect(await onlyRecord()).toMatchObject({ end: 'reset', forwarded: false, status: null });
  });

  it('records exactly one end per request under mixed toxics', async () => {
    addToxic({ type: 'http_drop_response', toxicity: 0.2 });
    addToxic({ type: 'http_timeout', name: 'hold', toxicity: 0.1, attributes: { timeout: 50 } });
    addToxic({ type: 'http_latency', attributes: { latency: 5, jitter: 5 } });
    await Promise.allSettled(
      Array.from({ length: 100 }, () => send(portOf(proxy), { timeoutMs: 2000 })),
    );
    await vi.waitFor(() => expect(records).toHaveLength(proxy.stats.requests.seen));
    expect(new Set(records.map((record) => record.requestId)).size).toBe(100);
    expect(records.filter((record) => record.forwarded)).toHaveLength(upstream.hits.length);
    const answered = records.filter((record) => record.status === 200);
    expect(answered).toHaveLength(proxy.stats.requests.answered);
  });
});

describe('proxy evidence: upstream failures and subscriptions', () => {
  it('records a refused upstream as 502, not forwarded, from a proxy created later', async () => {
    const dead = createServer();
    dead.listen(0, '127.0.0.1');
    await new Promise((resolve) => dead.once('listening', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    const [down] = (await server.populate([
      { name: 'down', upstream: `127.0.0.1:${port}`, mode: 'http' },
    ])) as [Proxy];
    expect((await send(portOf(down))).status).toBe(502);
    expect(await onlyRecord()).toMatchObject({
      requestId: 'down-1',
      proxy: 'down',
      end: 'refused',
      forwarded: false,
      status: 502,
      retryAfterS: null,
    });
  });

  it('records an upstream that breaks off mid-body as upstreamError with no status', async () => {
    const broken = await startUpstream((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => req.socket.destroy());
    });
    try {
      await proxy.update({ upstream: `127.0.0.1:${broken.port}` });
      await failure(send(portOf(proxy)));
      expect(await onlyRecord()).toMatchObject({
        end: 'upstreamError',
        forwarded: true,
        status: null,
      });
    } finally {
      await broken.close();
    }
  });

  it('serves per-proxy listeners, survives a throwing one, and stops after unsubscribe', async () => {
    const own: WireRequest[] = [];
    const stopOwn = proxy.onWireRequest((record) => own.push(record));
    const stopThrowing = proxy.onWireRequest(() => {
      throw new Error('listener bug');
    });
    expect((await send(portOf(proxy))).status).toBe(200);
    await vi.waitFor(() => expect(own).toHaveLength(1));
    expect(records).toHaveLength(1);
    stopOwn();
    stopThrowing();
    unsubscribe();
    expect((await send(portOf(proxy))).status).toBe(200);
    expect((await send(portOf(proxy))).status).toBe(200);
    expect(own).toHaveLength(1);
    expect(records).toHaveLength(1);
    expect(proxy.stats.requests.answered).toBe(3);
  });
});
