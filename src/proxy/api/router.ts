import * as proxies from './proxy-handlers.js';
import { errorReply, type Reply } from './reply.js';
import type { Handler } from './route.js';
import * as toxics from './toxic-handlers.js';

type Methods = Partial<Record<string, Handler>>;

/** Toxiproxy 2.x's routes (updates by POST or PATCH), plus our /metrics and /stats. */
const ROUTES: ReadonlyArray<[pattern: string, methods: Methods]> = [
  ['/version', { GET: proxies.version }],
  ['/metrics', { GET: proxies.metrics }],
  ['/reset', { POST: proxies.reset }],
  ['/populate', { POST: proxies.populate }],
  ['/proxies', { GET: proxies.listProxies, POST: proxies.createProxy }],
  [
    '/proxies/:proxy',
    {
      GET: proxies.showProxy,
      POST: proxies.updateProxy,
      PATCH: proxies.updateProxy,
      DELETE: proxies.deleteProxy,
    },
  ],
  ['/proxies/:proxy/stats', { GET: proxies.proxyStats }],
  ['/proxies/:proxy/toxics', { GET: toxics.listToxics, POST: toxics.createToxic }],
  [
    '/proxies/:proxy/toxics/:toxic',
    {
      GET: toxics.showToxic,
      POST: toxics.updateToxic,
      PATCH: toxics.updateToxic,
      DELETE: toxics.deleteToxic,
    },
  ],
];

const COMPILED = ROUTES.map(([pattern, methods]) => ({ segments: pattern.split('/'), methods }));

export interface Match {
  handler: Handler;
  params: Record<string, string>;
}

/**
 * Finds the handler for a request target, or the error reply: 404 for an
 * unknown path, 405 (with Allow) for a known path and another method, 400
 * for a malformed percent-encoding.
 */
export function route(method: string, target: string): Match | Reply {
  const path = target.split('?', 1)[0] ?? '';
  if (!path.startsWith('/')) return errorReply(404, 'not found');
  const segments = path.split('/');
  for (const { segments: pattern, methods } of COMPILED) {
    const params = matchPath(pattern, segments);
    if (params === undefined) continue;
    if (params === null) return errorReply(400, 'malformed percent-encoding in path');
    const handler = methods[method];
    if (handler) return { handler, params };
    const allow = Object.keys(methods).join(', ');
    return errorReply(405, `method ${method} not allowed; use ${allow}`, { Allow: allow });
  }
  return errorReply(404, 'not found');
}

/** Parameters when the path matches; undefined when it does not; null when it matches but cannot be decoded. */
function matchPath(
  pattern: string[],
  segments: string[],
): Record<string, string> | undefined | null {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, expected] of pattern.entries()) {
    const actual = segments[index]!;
    if (!expected.startsWith(':')) {
      if (actual !== expected) return undefined;
      continue;
    }
    if (actual === '') return undefined;
    try {
      params[expected.slice(1)] = decodeURIComponent(actual);
    } catch {
      return null;
    }
  }
  return params;
}
