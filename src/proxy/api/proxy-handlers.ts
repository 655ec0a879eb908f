import { isJsonObject } from '../../common/index.js';
import { parseProxyEntry, parsePopulate } from '../collection.js';
import { badInput, ProxyError } from '../errors.js';
import type { ProxySpec } from '../model.js';
import { parseProxySpec } from '../specs.js';
import { proxyJson } from './json.js';
import { json, noContent, replyForError, type Reply } from './reply.js';
import { param, type Handler } from './route.js';

/** GET /version — `{"version": "..."}` as Toxiproxy 2.7+ answers (older ones sent the bare string). */
export const version: Handler = (api) => json(200, { version: api.version });

/** GET /proxies — an object keyed by proxy name. */
export const listProxies: Handler = ({ collection }) => {
  const body = Object.fromEntries(
    [...collection.proxies].map(([name, proxy]) => [name, proxyJson(proxy)]),
  );
  return json(200, body);
};

/** POST /proxies — 201 with the proxy, 409 when the name is taken. */
export const createProxy: Handler = async ({ collection }, request) => {
  const entry = parseProxyEntry(await request.json());
  return json(201, proxyJson(await collection.create(entry)));
};

/**
 * POST /populate — an array of proxies, created or replaced by name; 201
 * `{proxies}`. On failure Toxiproxy answers the error's status with the
 * error fields beside the proxies applied so far; so do we.
 */
export const populate: Handler = async ({ collection }, request) => {
  const entries = parsePopulate(await request.json());
  const result = await collection.populate(entries);
  const proxies = result.proxies.map(proxyJson);
  if (result.error === undefined) return json(201, { proxies });
  const failure = replyForError(result.error);
  return json(failure.status, { ...(failure.body as object), proxies });
};

export const showProxy: Handler = ({ collection }, request) =>
  json(200, proxyJson(collection.get(param(request, 'proxy'))));

/** POST|PATCH /proxies/{proxy} — listen, upstream and enabled; omitted fields keep their values. */
export const updateProxy: Handler = async ({ collection }, request) => {
  const body = await request.json();
  const proxy = await collection.withProxy(param(request, 'proxy'), async (proxy) => {
    await proxy.update(proxyChanges(proxy.spec, body));
    return proxy;
  });
  return json(200, proxyJson(proxy));
};

export const deleteProxy: Handler = async ({ collection }, request) => {
  await collection.delete(param(request, 'proxy'));
  return noContent();
};

/** POST /reset — every proxy enabled, every toxic removed; 204. */
export const reset: Handler = async ({ collection }) => {
  await collection.reset();
  return noContent();
};

/** GET /proxies/{proxy}/stats — our ProxyStats counters. */
export const proxyStats: Handler = ({ collection }, request) =>
  json(200, collection.get(param(request, 'proxy')).stats);

/** GET /metrics — Prometheus text. */
export const metrics: Handler = async ({ metrics }): Promise<Reply> => ({
  status: 200,
  text: { contentType: metrics.contentType, content: await metrics.text() },
});

type ProxyChanges = Partial<Pick<ProxySpec, 'listen' | 'upstream' | 'enabled'>>;

/**
 * Validates an update by merging it over the current spec, then keeps only
 * what differs: re-sending the bound listen address must not rebind. The name
 * in the body is ignored, as in Toxiproxy; the mode cannot change.
 */
function proxyChanges(current: ProxySpec, body: unknown): ProxyChanges {
  if (!isJsonObject(body)) throw badInput('bad request body: expected a JSON object');
  let merged: ProxySpec;
  try {
    // null means "unchanged", as when Go decodes null into a field.
    const given = Object.entries(body).filter(([, value]) => value !== null);
    merged = parseProxySpec({ ...current, ...Object.fromEntries(given), name: current.name });
  } catch (error) {
    if (error instanceof ProxyError) throw badInput(`bad request body: ${error.message}`);
    throw error;
  }
  if (merged.mode !== current.mode)
    throw badInput(`a proxy's mode cannot change (${current.mode} → ${merged.mode})`);
  const changes: ProxyChanges = {};
  if (merged.listen !== current.listen) changes.listen = merged.listen;
  if (merged.upstream !== current.upstream) changes.upstream = merged.upstream;
  if (merged.enabled !== current.enabled) changes.enabled = merged.enabled;
  return changes;
}
