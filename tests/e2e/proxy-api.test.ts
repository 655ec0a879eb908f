import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProxyServer, type ProxyServer } from '../../src/proxy/index.js';
import { echoRoundTrip } from '../support/tcp-harness.js';

/**
 * The admin API over a real socket: every route, Toxiproxy's status codes and
 * defaults, our extensions (mode, toxics in populate, stats, metrics), and the
 * guards (token, browsers, body size, loopback only).
 */

const HANG_GUARD_MS = 5_000;

let server: ProxyServer;
let echo: Server;
let echoAddress: string;

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  base = server.url,
): Promise<Answer> {
  const response = await fetch(base + path, {
    method,
    headers,
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(HANG_GUARD_MS),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

function expectError(answer: Answer, status: number, message?: RegExp): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ error: expect.any(String), status });
  if (message) expect((answer.body as { error: string }).error).toMatch(message);
}

async function waitFor(check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + HANG_GUARD_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  echoAddress = `127.0.0.1:${(echo.address() as { port: number }).port}`;
  server = await createProxyServer({ port: 0 });
});
afterAll(async () => {
  await server.close();
  echo.close();
});
beforeEach(async () => {
  for (const name of [...server.proxies.keys()]) await call('DELETE', `/proxies/${name}`);
});

describe('proxy routes', () => {
  it('answers the version as Toxiproxy 2.7+ does', async () => {
    const answer = await call('GET', '/version');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('creates a proxy with defaults (201), lists it, shows it, refuses duplicates (409)', async () => {
    const created = await call('POST', '/proxies', { name: 'db', upstream: echoAddress });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name: 'db',
      listen: expect.stringMatching(/^127\.0\.0\.1:[1-9]\d*$/),
      upstream: echoAddress,
      enabled: true,
      mode: 'tcp',
      toxics: [],
    });
    const list = await call('GET', '/proxies');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ db: created.body });
    expect((await call('GET', '/proxies/db')).body).toEqual(created.body);
    const again = await call('POST', '/proxies', { name: 'db', upstream: echoAddress });
    expectError(again, 409, /already exists/);
    expect(server.proxies.size).toBe(1);
  });

  it.each([
    ['malformed JSON', '{"name": '],
    ['an empty body', ''],
    ['an array', '[]'],
    ['no upstream', { name: 'x' }],
    ['no name', { upstream: '127.0.0.1:1' }],
    ['a bad name', { name: 'a b', upstream: '127.0.0.1:1' }],
    ['a bad upstream', { name: 'x', upstream: 'nowhere' }],
    ['a port out of range', { name: 'x', upstream: '127.0.0.1:70000' }],
    ['a wrong type', { name: 'x', upstream: '127.0.0.1:1', enabled: 'yes' }],
    ['an unknown mode', { name: 'x', upstream: '127.0.0.1:1', mode: 'udp' }],
  ])('refuses a proxy with %s (400)', async (_, body) => {
    expectError(await call('POST', '/proxies', body), 400);
    expect(server.proxies.size).toBe(0);
  });

  it('refuses a proxy listening beyond loopback unless remote access is allowed', async () => {
    const remote = await call('POST', '/proxies', {
      name: 'open',
      listen: '0.0.0.0:0',
      upstream: echoAddress,
    });
    expectError(remote, 400, /not loopback/);
    expect(server.proxies.has('open')).toBe(false);
  });

  it('answers 404 for an unknown proxy on every proxy route', async () => {
    for (const [method, path] of [
      ['GET', '/proxies/ghost'],
      ['POST', '/proxies/ghost'],
      ['PATCH', '/proxies/ghost'],
      ['DELETE', '/proxies/ghost'],
      ['GET', '/proxies/ghost/toxics'],
      ['POST', '/proxies/ghost/toxics'],
      ['GET', '/proxies/ghost/toxics/t'],
      ['PATCH', '/proxies/ghost/toxics/t'],
      ['DELETE', '/proxies/ghost/toxics/t'],
      ['GET', '/proxies/ghost/stats'],
    ]) {
      const body = method === 'POST' || method === 'PATCH' ? { type: 'latency' } : undefined;
      expectError(await call(method!, path!, body), 404, /proxy not found/);
    }
  });

  it('updates by POST or PATCH: disabling refuses connections, enabling restores them', async () => {
    const created = (await call('POST', '/proxies', { name: 'ex', upstream: echoAddress }))
      .body as { listen: string };
    expect(await echoRoundTrip(created.listen, 'ping')).toBe('ping');
    const disabled = await call('PATCH', '/proxies/ex', { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ name: 'ex', enabled: false, listen: created.listen });
    await expect(echoRoundTrip(created.listen, 'ping')).rejects.toThrow(/ECONNREFUSED/);
    const enabled = await call('POST', '/proxies/ex', { enabled: true, name: 'ignored' });
    expect(enabled.body).toMatchObject({ name: 'ex', enabled: true, listen: created.listen });
    expect(await echoRoundTrip(created.listen, 'pong')).toBe('pong');
    const moved = await call('PATCH', '/proxies/ex', { upstream: '127.0.0.1:1' });
    expect(moved.body).toMatchObject({ upstream: '127.0.0.1:1', listen: created.listen });
    expectError(await call('PATCH', '/proxies/ex', { enabled: 1 }), 400);
    expectError(await call('PATCH', '/proxies/ex', { mode: 'http' }), 400, /mode/);
    expectError(await call('PATCH', '/proxies/ex', '{'), 400);
  });

  it('deletes a proxy (204), closing its listener', async () => {
    const { listen } = (await call('POST', '/proxies', { name: 'gone', upstream: echoAddress }))
      .body as { listen: string };
    const deleted = await call('DELETE', '/proxies/gone');
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    await expect(echoRoundTrip(listen, 'x')).rejects.toThrow(/ECONNREFUSED/);
    expectError(await call('DELETE', '/proxies/gone'), 404);
  });
});

describe('toxic routes', () => {
  beforeEach(async () => {
    await call('POST', '/proxies', { name: 'p', upstream: echoAddress });
  });

  it("fills Toxiproxy's defaults and answers 200 with the toxic", async () => {
    const created = await call('POST', '/proxies/p/toxics', {
      type: 'latency',
      attributes: { latency: 20 },
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      name: 'latency_downstream',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 20, jitter: 0 },
    });
    const upstream = await call('POST', '/proxies/p/toxics', {
      type: 'latency',
      stream: 'upstream',
    });
    expect(upstream.body).toMatchObject({ name: 'latency_upstream', stream: 'upstream' });
    const list = await call('GET', '/proxies/p/toxics');
    expect(list.body).toEqual([created.body, upstream.body]);
    expect((await call('GET', '/proxies/p')).body).toMatchObject({ toxics: list.body });
    expect((await call('GET', '/proxies/p/toxics/latency_downstream')).body).toEqual(created.body);
  });

  it('refuses duplicates (409), unknown types and bad fields (400), unknown toxics (404)', async () => {
    await call('POST', '/proxies/p/toxics', { type: 'timeout', name: 't' });
    expectError(await call('POST', '/proxies/p/toxics', { type: 'latency', name: 't' }), 409);
    for (const body of [
      { type: 'no_such_toxic' },
      { type: 'latency', stream: 'sideways' },
      { type: 'latency', toxicity: 1.5 },
      { type: 'latency', toxicity: '1' },
      { type: 'latency', attributes: { latency: -1 } },
      { type: 'latency', attributes: [] },
      { type: 'http_status', attributes: { status: 503 } },
      { name: 'no-type' },
      '[1,2]',
      'null',
    ]) {
      expectError(await call('POST', '/proxies/p/toxics', body), 400);
    }
    expectError(await call('GET', '/proxies/p/toxics/ghost'), 404, /toxic not found/);
    expectError(await call('PATCH', '/proxies/p/toxics/ghost', { toxicity: 0 }), 404);
    expectError(await call('DELETE', '/proxies/p/toxics/ghost'), 404);
  });

  it('updates partially by POST or PATCH, keeping the name, and deletes (204)', async () => {
    await call('POST', '/proxies/p/toxics', { type: 'latency', attributes: { latency: 50 } });
    const patched = await call('PATCH', '/proxies/p/toxics/latency_downstream', {
      toxicity: 0.25,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ toxicity: 0.25, attributes: { latency: 50, jitter: 0 } });
    const posted = await call('POST', '/proxies/p/toxics/latency_downstream', {
      name: 'renamed',
      attributes: { jitter: 5 },
    });
    expect(posted.body).toMatchObject({
      name: 'latency_downstream',
      toxicity: 0.25,
      attributes: { latency: 50, jitter: 5 },
    });
    expectError(
      await call('PATCH', '/proxies/p/toxics/latency_downstream', { type: 'timeout' }),
      400,
    );
    expect((await call('DELETE', '/proxies/p/toxics/latency_downstream')).status).toBe(204);
    expect((await call('GET', '/proxies/p/toxics')).body).toEqual([]);
  });
});

describe('populate and reset', () => {
  it('creates or replaces by name, installs toxics, answers 201 {proxies}', async () => {
    const first = await call('POST', '/populate', [
      { name: 'a', upstream: echoAddress },
      {
        name: 'b',
        upstream: echoAddress,
        toxics: [{ type: 'timeout', attributes: { timeout: 1 } }],
      },
    ]);
    expect(first.status).toBe(201);
    const [a, b] = (first.body as { proxies: Array<{ listen: string; toxics: unknown[] }> })
      .proxies;
    expect(b!.toxics).toEqual([expect.objectContaining({ name: 'timeout_downstream' })]);
    // Same endpoints: the proxy is kept (same port); a toxics list replaces its toxics.
    const second = await call('POST', '/populate', [
      { name: 'a', upstream: echoAddress, enabled: false },
      { name: 'b', upstream: echoAddress, toxics: [] },
    ]);
    expect(second.status).toBe(201);
    expect((second.body as { proxies: unknown[] }).proxies).toEqual([
      expect.objectContaining({ name: 'a', listen: a!.listen, enabled: false }),
      expect.objectContaining({ name: 'b', listen: b!.listen, toxics: [] }),
    ]);
    // A new upstream replaces the proxy.
    const third = await call('POST', '/populate', [{ name: 'b', upstream: '127.0.0.1:1' }]);
    expect((third.body as { proxies: unknown[] }).proxies).toEqual([
      expect.objectContaining({ name: 'b', upstream: '127.0.0.1:1' }),
    ]);
    expect([...server.proxies.keys()].sort()).toEqual(['a', 'b']);
  });

  it('validates the whole request before changing anything (400)', async () => {
    for (const body of [
      { proxies: [{ name: 'a', upstream: echoAddress }] },
      [{ name: 'a', upstream: echoAddress }, { name: 'b' }],
      [
        { name: 'a', upstream: echoAddress },
        { name: 'a', upstream: echoAddress },
      ],
      [{ name: 'a', upstream: echoAddress, toxics: [{ type: 'nope' }] }],
      [{ name: 'a', upstream: echoAddress, toxics: {} }],
      '{',
    ]) {
      expectError(await call('POST', '/populate', body), 400);
    }
    expect(server.proxies.size).toBe(0);
    expect((await call('POST', '/populate', [])).body).toEqual({ proxies: [] });
  });

  it('reports a failing proxy with the error and the proxies applied before it', async () => {
    const { listen } = (await call('POST', '/proxies', { name: 'holder', upstream: echoAddress }))
      .body as { listen: string };
    const answer = await call('POST', '/populate', [
      { name: 'fine', upstream: echoAddress },
      { name: 'clash', upstream: echoAddress, listen },
    ]);
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({
      error: expect.any(String),
      status: 409,
      proxies: [expect.objectContaining({ name: 'fine' })],
    });
  });

  it('reset removes every toxic and enables every proxy (204)', async () => {
    await call('POST', '/populate', [
      { name: 'a', upstream: echoAddress, enabled: false },
      { name: 'b', upstream: echoAddress, toxics: [{ type: 'latency' }, { type: 'slicer' }] },
    ]);
    const answer = await call('POST', '/reset');
    expect(answer.status).toBe(204);
    const proxies = (await call('GET', '/proxies')).body as Record<string, object>;
    expect(proxies.a).toMatchObject({ enabled: true, toxics: [] });
    expect(proxies.b).toMatchObject({ enabled: true, toxics: [] });
    await server.populate([{ name: 'c', upstream: echoAddress, toxics: [{ type: 'latency' }] }]);
    await server.reset();
    expect(server.proxies.get('c')!.toxicList()).toEqual([]);
  });
});

describe('stats and metrics', () => {
  it('count the traffic through a tcp proxy', async () => {
    const { listen } = (await call('POST', '/proxies', { name: 'echo', upstream: echoAddress }))
      .body as { listen: string };
    await call('POST', '/proxies/echo/toxics', { type: 'latency', attributes: { latency: 1 } });
    expect(await echoRoundTrip(listen, 'hello')).toBe('hello');
    expect(await echoRoundTrip(listen, 'world!')).toBe('world!');
    let stats: Record<string, Record<string, unknown>> = {};
    await waitFor(async () => {
      stats = (await call('GET', '/proxies/echo/stats')).body as typeof stats;
      return stats.connections!.active === 0;
    });
    expect(stats.connections).toMatchObject({ accepted: 2, active: 0 });
    expect(stats.bytes).toEqual({ upstream: 11, downstream: 11 });
    expect(stats.toxics).toEqual({
      latency_downstream: { evaluated: expect.any(Number), applied: expect.any(Number) },
    });
    const metrics = await call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.text).toContain(
      'n1v1_proxy_connections_total{proxy="echo",outcome="accepted"} 2',
    );
    expect(metrics.text).toContain('n1v1_proxy_bytes_total{proxy="echo",direction="upstream"} 11');
    expect(metrics.text).toContain(
      'n1v1_proxy_bytes_total{proxy="echo",direction="downstream"} 11',
    );
    expect(metrics.text).toMatch(
      /n1v1_proxy_toxic_evaluations_total\{proxy="echo",toxic="latency_downstream"\} [1-9]/,
    );
    expect(metrics.text).toContain('# TYPE n1v1_proxy_requests_failed_total counter');
    await call('DELETE', '/proxies/echo');
    expect((await call('GET', '/metrics')).text).not.toContain('proxy="echo"');
  });
});

describe('routing and guards', () => {
  it('answers unknown routes 404 and wrong methods 405 with Allow, as JSON', async () => {
    for (const path of ['/', '/nope', '/proxies/', '/proxies/a/b', '/proxies/a/toxics/b/c']) {
      expectError(await call('GET', path), 404);
    }
    const wrong = await call('PUT', '/proxies');
    expectError(wrong, 405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expectError(await call('GET', '/reset'), 405);
    expectError(await call('DELETE', '/version'), 405);
    expectError(await call('GET', '/proxies/%E0%A4%A'), 400);
  });

  it('refuses bodies over 1 MiB (413) and keeps serving', async () => {
    const huge = JSON.stringify({ name: 'big', upstream: echoAddress, pad: 'x'.repeat(2 ** 21) });
    expectError(await call('POST', '/proxies', huge), 413);
    expect((await call('GET', '/proxies')).status).toBe(200);
  });

  it('refuses browsers (403), as Toxiproxy does', async () => {
    expectError(await call('GET', '/proxies', undefined, { 'User-Agent': 'Mozilla/5.0' }), 403);
  });

  it('requires the bearer token when one is set (401)', async () => {
    const guarded = await createProxyServer({ port: 0, token: 's3cret' });
    try {
      const bare = await call('GET', '/proxies', undefined, {}, guarded.url);
      expectError(bare, 401);
      expect(bare.headers.get('www-authenticate')).toBe('Bearer');
      const wrong = { Authorization: 'Bearer nope' };
      expectError(await call('GET', '/version', undefined, wrong, guarded.url), 401);
      expectError(await call('GET', '/nope', undefined, wrong, guarded.url), 401);
      const right = { Authorization: 'Bearer s3cret' };
      expect((await call('GET', '/proxies', undefined, right, guarded.url)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('refuses a non-loopback host unless allowRemote', async () => {
    await expect(createProxyServer({ host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /non-loopback.*allowRemote/,
    );
    await expect(createProxyServer({ host: '192.0.2.1', port: 0 })).rejects.toThrow(/non-loopback/);
  });

  it('refuses a busy port with a clear error, and closes on abort', async () => {
    const port = Number(new URL(server.url).port);
    await expect(createProxyServer({ port })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/cannot listen.*EADDRINUSE/),
    });
    const controller = new AbortController();
    const aborted = await createProxyServer({ port: 0, signal: controller.signal });
    const { listen } = (await aborted.populate([{ name: 'x', upstream: echoAddress }]))[0]!.spec;
    controller.abort();
    await aborted.close();
    await expect(fetch(aborted.url + '/version')).rejects.toThrow();
    await expect(echoRoundTrip(listen, 'x')).rejects.toThrow(/ECONNREFUSED/);
  });
});
