import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { healthReport, worstStatus, type HealthReport } from './report.js';
import { startHealthServer, type HealthServer, type HealthServerOptions } from './server.js';

const servers: HealthServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(overrides: Partial<HealthServerOptions> = {}): Promise<HealthServer> {
  const registry = new Registry();
  const orders = new Counter({ name: 'n1v1_orders_total', help: 'Orders.', registers: [registry] });
  orders.inc(3);
  const server = await startHealthServer({
    report: () => healthReport({ exchange: { status: 'healthy', latencyMs: 4 } }, 1000),
    registry,
    ...overrides,
  });
  servers.push(server);
  return server;
}

/** Every request carries a hang guard. */
function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(5000), ...init });
}

describe('health server', () => {
  it('listens on an ephemeral loopback port', async () => {
    const server = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('answers GET /health with the report and 200 while healthy or degraded', async () => {
    const server = await start();
    const response = await get(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      status: 'healthy',
      components: { exchange: { status: 'healthy', latencyMs: 4 } },
      at: 1000,
    });
    let status: HealthReport['status'] = 'degraded';
    const other = await start({ report: () => ({ status, components: {}, at: 1 }) });
    expect((await get(`${other.url}/health`)).status).toBe(200);
    for (status of ['failing', 'critical', 'unknown'] as const) {
      const answer = await get(`${other.url}/health`);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ status });
    }
  });

  it('answers 503 unknown when the report itself fails', async () => {
    const server = await start({
      report: async () => {
        throw new Error('journal unreachable');
      },
    });
    const response = await get(`${server.url}/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'unknown',
      error: 'journal unreachable',
    });
  });

  it('serves Prometheus text on GET /metrics', async () => {
    const server = await start();
    const response = await get(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain('n1v1_orders_total 3');
  });

  it('answers 404 and 405 as JSON', async () => {
    const server = await start();
    const missing = await get(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no route /nope' });
    const wrong = await get(`${server.url}/health`, { method: 'POST', body: '{}' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(await wrong.json()).toHaveProperty('error');
  });

  it('takes extra routes at start and later, with methods and bodies', async () => {
    const server = await start({
      routes: { '/watchdog/status': () => ({ body: { state: 'watching' } }) },
    });
    server.route('POST /watchdog/resume', (request) => ({
      status: 202,
      body: { resumed: JSON.parse(request.body), query: request.url.searchParams.get('why') },
    }));
    server.route('GET /text', () => ({ body: 'plain' }));
    const status = await get(`${server.url}/watchdog/status`);
    expect(await status.json()).toEqual({ state: 'watching' });
    const resumed = await get(`${server.url}/watchdog/resume?why=test`, {
      method: 'POST',
      body: '{"by":"operator"}',
    });
    expect(resumed.status).toBe(202);
    expect(await resumed.json()).toEqual({ resumed: { by: 'operator' }, query: 'test' });
    const text = await get(`${server.url}/text`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('plain');
    expect(() => server.route('bad key', () => ({ body: null }))).toThrow(RangeError);
  });

  it('answers 500 JSON when a route throws', async () => {
    const server = await start({
      routes: {
        'GET /boom': () => {
          throw new Error('kaput');
        },
      },
    });
    const response = await get(`${server.url}/boom`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'kaput' });
  });

  it('closes with open keep-alive connections', async () => {
    const server = await start();
    await (await get(`${server.url}/health`)).text();
    await server.close();
    await expect(get(`${server.url}/health`)).rejects.toThrow();
  });
});

describe('worstStatus', () => {
  it('ranks healthy < degraded < unknown < failing < critical', () => {
    expect(worstStatus([])).toBe('healthy');
    expect(worstStatus(['healthy', 'degraded'])).toBe('degraded');
    expect(worstStatus(['degraded', 'unknown'])).toBe('unknown');
    expect(worstStatus(['unknown', 'failing', 'degraded'])).toBe('failing');
    expect(worstStatus(['critical', 'failing'])).toBe('critical');
  });
});
