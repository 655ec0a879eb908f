import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import {
  Proxy as ToxiproxyProxy,
  Toxic,
  Toxiproxy,
  ToxiproxyError,
  type ICreateToxicBody,
} from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoRoundTrip } from '../support/tcp-harness.js';
import {
  createProxyServer,
  ProxyApiError,
  ProxyClient,
  type ProxyServer,
} from '../../src/proxy/index.js';

/**
 * One contract suite, run against two clients of our admin API: the
 * published toxiproxy-node-client (unchanged, its real Toxiproxy/Proxy/Toxic
 * classes) and our own ProxyClient. If both pass, our API speaks Toxiproxy.
 */

const HANG_GUARD_MS = 5_000;

interface ProxyView {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}
interface ToxicView {
  name: string;
  type: string;
  stream: string;
  toxicity: number;
  attributes: Record<string, unknown>;
}
interface ToxicBody {
  type: string;
  name?: string;
  stream?: 'upstream' | 'downstream';
  toxicity?: number;
  attributes?: Record<string, number>;
}

/** What the suite needs of a client; each adapter maps it onto one client's own API. */
interface AdminDriver {
  version(): Promise<string>;
  createProxy(name: string, upstream: string): Promise<ProxyView>;
  proxyNames(): Promise<string[]>;
  setEnabled(name: string, enabled: boolean): Promise<ProxyView>;
  addToxic(proxy: string, body: ToxicBody): Promise<ToxicView>;
  getToxic(proxy: string, name: string): Promise<ToxicView>;
  updateToxic(proxy: string, name: string, body: Partial<ToxicBody>): Promise<ToxicView>;
  removeToxic(proxy: string, name: string): Promise<void>;
  toxicNames(proxy: string): Promise<string[]>;
  populate(proxies: Array<{ name: string; upstream: string; listen: string }>): Promise<string[]>;
  reset(): Promise<void>;
  removeProxy(name: string): Promise<void>;
  /** The HTTP status a rejected call failed with. */
  statusOf(error: unknown): number;
}

function toxiproxyDriver(url: string): AdminDriver {
  const client = new Toxiproxy(url);
  const toxic = async (proxy: string, name: string) => {
    const found = await (await client.get(proxy)).getToxic<Record<string, unknown>>(name);
    expect(found).toBeInstanceOf(Toxic);
    return found;
  };
  return {
    version: () => client.getVersion(),
    createProxy: async (name, upstream) => {
      const proxy = await client.createProxy({ name, upstream, listen: '127.0.0.1:0' });
      expect(proxy).toBeInstanceOf(ToxiproxyProxy);
      return proxy.toJson();
    },
    proxyNames: async () => Object.keys(await client.getAll()),
    setEnabled: async (name, enabled) => {
      const proxy = await client.get(name);
      return (await proxy.update({ ...proxy.toJson(), enabled })).toJson();
    },
    addToxic: async (proxy, body) => {
      const created = await (await client.get(proxy)).addToxic(body as ICreateToxicBody<unknown>);
      expect(created).toBeInstanceOf(Toxic);
      return created.toJson() as ToxicView;
    },
    getToxic: async (proxy, name) => (await toxic(proxy, name)).toJson() as ToxicView,
    updateToxic: async (proxy, name, body) => {
      const current = await toxic(proxy, name);
      return (await current.update(body as ICreateToxicBody<never>)).toJson() as ToxicView;
    },
    removeToxic: async (proxy, name) => (await toxic(proxy, name)).remove(),
    // The Node client has no "list toxics"; the proxy JSON carries them.
    toxicNames: async (proxy) => {
      const { data } = await client.api.get(`${url}/proxies/${proxy}/toxics`);
      return (data as ToxicView[]).map((t) => t.name);
    },
    populate: async (proxies) => Object.keys(await client.populate(proxies)),
    reset: () => client.reset(),
    removeProxy: async (name) => (await client.get(name)).remove(),
    statusOf: (error) => {
      expect(error).toBeInstanceOf(ToxiproxyError);
      return Number(/status code (\d+)/.exec((error as Error).message)?.[1]);
    },
  };
}

function ourDriver(url: string): AdminDriver {
  const client = new ProxyClient(url);
  const signal = () => AbortSignal.timeout(HANG_GUARD_MS);
  return {
    version: () => client.version(signal()),
    createProxy: (name, upstream) =>
      client.createProxy({ name, upstream, listen: '127.0.0.1:0' }, signal()),
    proxyNames: async () => Object.keys(await client.proxies(signal())),
    setEnabled: (name, enabled) => client.updateProxy(name, { enabled }, signal()),
    addToxic: (proxy, body) => client.addToxic(proxy, body, signal()),
    getToxic: async (proxy, name) => {
      const found = (await client.toxics(proxy, signal())).find((t) => t.name === name);
      if (!found) throw new ProxyApiError('toxic not found', 404);
      return found;
    },
    updateToxic: (proxy, name, body) => client.updateToxic(proxy, name, body, signal()),
    removeToxic: (proxy, name) => client.removeToxic(proxy, name, signal()),
    toxicNames: async (proxy) => (await client.toxics(proxy, signal())).map((t) => t.name),
    populate: async (proxies) => (await client.populate(proxies, signal())).map((p) => p.name),
    reset: () => client.reset(signal()),
    removeProxy: (name) => client.deleteProxy(name, signal()),
    statusOf: (error) => {
      expect(error).toBeInstanceOf(ProxyApiError);
      return (error as ProxyApiError).status;
    },
  };
}

let server: ProxyServer;
let echo: Server;
let upstream: string;

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  upstream = `127.0.0.1:${(echo.address() as { port: number }).port}`;
  server = await createProxyServer({ port: 0 });
});
afterAll(async () => {
  await server.close();
  echo.close();
});

async function rejectionStatus(driver: AdminDriver, call: Promise<unknown>): Promise<number> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeDefined();
  return driver.statusOf(error);
}

describe.each([
  ['toxiproxy-node-client', toxiproxyDriver],
  ['ProxyClient', ourDriver],
])('admin API contract through %s', (label, makeDriver) => {
  let driver: AdminDriver;
  const name = `db_${label.replace(/\W/g, '_')}`;

  beforeAll(() => {
    driver = makeDriver(server.url);
  });

  it('reads the version', async () => {
    expect(await driver.version()).toMatch(/\d+\.\d+\.\d+/);
  });

  it('creates and lists proxies; a duplicate is 409', async () => {
    const proxy = await driver.createProxy(name, upstream);
    expect(proxy).toMatchObject({ name, upstream, enabled: true });
    expect(proxy.listen).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    expect(await driver.proxyNames()).toContain(name);
    expect(await echoRoundTrip(proxy.listen)).toBe('ping');
    expect(await rejectionStatus(driver, driver.createProxy(name, upstream))).toBe(409);
  });

  it('adds a toxic with the defaults filled, reads, updates and removes it', async () => {
    const added = await driver.addToxic(name, { type: 'latency', attributes: { latency: 150 } });
    expect(added).toEqual({
      name: 'latency_downstream',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 150, jitter: 0 },
    });
    expect(await driver.getToxic(name, 'latency_downstream')).toEqual(added);
    const { listen } = (await server.proxies.get(name)!).spec;
    const started = performance.now();
    await echoRoundTrip(listen);
    expect(performance.now() - started).toBeGreaterThanOrEqual(120);
    const updated = await driver.updateToxic(name, 'latency_downstream', {
      attributes: { latency: 0 },
    });
    expect(updated).toMatchObject({ toxicity: 1, attributes: { latency: 0, jitter: 0 } });
    const named = await driver.addToxic(name, {
      type: 'bandwidth',
      name: 'slow',
      stream: 'upstream',
      toxicity: 0.5,
      attributes: { rate: 1000 },
    });
    expect(named).toMatchObject({ name: 'slow', stream: 'upstream', toxicity: 0.5 });
    expect(await driver.toxicNames(name)).toEqual(['latency_downstream', 'slow']);
    expect(
      await rejectionStatus(driver, driver.addToxic(name, { type: 'bandwidth', name: 'slow' })),
    ).toBe(409);
    expect(await rejectionStatus(driver, driver.addToxic(name, { type: 'no_such' }))).toBe(400);
    await driver.removeToxic(name, 'slow');
    expect(await driver.toxicNames(name)).toEqual(['latency_downstream']);
    expect(await rejectionStatus(driver, driver.getToxic(name, 'slow'))).toBe(404);
  });

  it('disables and enables a proxy', async () => {
    const { listen } = server.proxies.get(name)!.spec;
    expect(await driver.setEnabled(name, false)).toMatchObject({ enabled: false, listen });
    await expect(echoRoundTrip(listen)).rejects.toThrow(/ECONNREFUSED/);
    expect(await driver.setEnabled(name, true)).toMatchObject({ enabled: true, listen });
    expect(await echoRoundTrip(listen)).toBe('ping');
  });

  it('populates, then reset removes every toxic and re-enables every proxy', async () => {
    const names = [`${name}_a`, `${name}_b`];
    const created = await driver.populate(
      names.map((proxy) => ({ name: proxy, upstream, listen: '127.0.0.1:0' })),
    );
    expect(created).toEqual(names);
    await driver.addToxic(names[0]!, { type: 'timeout', attributes: { timeout: 0 } });
    await driver.setEnabled(names[1]!, false);
    await driver.reset();
    expect(await driver.toxicNames(names[0]!)).toEqual([]);
    expect(await driver.toxicNames(name)).toEqual([]);
    expect(server.proxies.get(names[1]!)!.spec.enabled).toBe(true);
    for (const proxy of [...names, name]) await driver.removeProxy(proxy);
    expect(await driver.proxyNames()).not.toContain(name);
    expect(await rejectionStatus(driver, driver.removeProxy(name))).toBe(404);
  });
});

describe('ProxyClient beyond Toxiproxy', () => {
  it('reads stats and metrics, sends its token, and honours AbortSignal', async () => {
    const guarded = await createProxyServer({ port: 0, token: 't0ken' });
    try {
      const client = new ProxyClient(guarded.url, { token: 't0ken' });
      const proxy = await client.createProxy({ name: 's', upstream });
      expect(await echoRoundTrip(proxy.listen)).toBe('ping');
      const stats = await client.stats('s');
      expect(stats.connections.accepted).toBe(1);
      expect(await client.metrics()).toContain('n1v1_proxy_connections_total{proxy="s"');
      const anonymous = new ProxyClient(guarded.url);
      await expect(anonymous.proxies()).rejects.toMatchObject({ status: 401 });
      const aborted = AbortSignal.abort(new Error('gave up'));
      await expect(client.proxies(aborted)).rejects.toThrow('gave up');
    } finally {
      await guarded.close();
    }
    const unreachable = new ProxyClient(guarded.url);
    await expect(unreachable.version()).rejects.toMatchObject({ name: 'ProxyApiError', status: 0 });
  });
});
