import { isJsonObject } from '../../common/index.js';
import { installToxic } from '../collection.js';
import { notFound } from '../errors.js';
import type { ToxicSpec } from '../model.js';
import type { Proxy } from '../proxy.js';
import { parseToxicSpec } from '../specs.js';
import { toxicJson } from './json.js';
import { json, noContent } from './reply.js';
import { param, type Handler } from './route.js';

/** GET /proxies/{proxy}/toxics — an array, in the order added. */
export const listToxics: Handler = ({ collection }, request) =>
  json(200, collection.get(param(request, 'proxy')).toxicList().map(toxicJson));

/**
 * POST /proxies/{proxy}/toxics — 200 with the toxic (Toxiproxy answers 200
 * here, not 201), defaults filled; 409 when the name is taken.
 */
export const createToxic: Handler = async ({ collection }, request) => {
  const body = await request.json();
  const toxic = await collection.withProxy(param(request, 'proxy'), (proxy) => {
    const spec = parseToxicSpec(body);
    installToxic(proxy, spec);
    return spec;
  });
  return json(200, toxicJson(toxic));
};

export const showToxic: Handler = ({ collection }, request) => {
  const proxy = collection.get(param(request, 'proxy'));
  return json(200, toxicJson(findToxic(proxy, param(request, 'toxic'))));
};

/**
 * POST|PATCH /proxies/{proxy}/toxics/{toxic} — a partial update over the
 * current toxic. A name in the body is ignored: the URL names the toxic.
 */
export const updateToxic: Handler = async ({ collection }, request) => {
  const body = await request.json();
  const name = param(request, 'toxic');
  const toxic = await collection.withProxy(param(request, 'proxy'), (proxy) => {
    const current = findToxic(proxy, name);
    const input = isJsonObject(body) ? { ...body, name } : body;
    const spec = parseToxicSpec(input, current);
    proxy.updateToxic(name, spec);
    return spec;
  });
  return json(200, toxicJson(toxic));
};

/** DELETE /proxies/{proxy}/toxics/{toxic} — 204. */
export const deleteToxic: Handler = async ({ collection }, request) => {
  const name = param(request, 'toxic');
  await collection.withProxy(param(request, 'proxy'), (proxy) => proxy.removeToxic(name));
  return noContent();
};

function findToxic(proxy: Proxy, name: string): ToxicSpec {
  const toxic = proxy.toxicList().find((candidate) => candidate.name === name);
  if (!toxic) throw notFound('toxic not found');
  return toxic;
}
