import type { ProxyCollection } from '../collection.js';
import type { ProxyMetrics } from './metrics.js';
import type { Reply } from './reply.js';

/** What every handler may use: the server's proxies, its metrics and its version. */
export interface ApiContext {
  collection: ProxyCollection;
  metrics: ProxyMetrics;
  version: string;
}

/** One request as a handler sees it: path parameters and a lazily read JSON body. */
export interface ApiRequest {
  method: string;
  params: Readonly<Record<string, string>>;
  /** Reads and parses the JSON body; 400 when empty or malformed, 413 when too large. */
  json(): Promise<unknown>;
}

export type Handler = (api: ApiContext, request: ApiRequest) => Reply | Promise<Reply>;

/** The path parameter the route pattern guarantees. */
export function param(request: ApiRequest, name: 'proxy' | 'toxic'): string {
  const value = request.params[name];
  if (value === undefined) throw new Error(`route has no :${name} parameter`);
  return value;
}
