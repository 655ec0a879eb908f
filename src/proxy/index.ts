export { createProxyServer, type ProxyServer, type ProxyServerOptions } from './server.js';
export { Proxy } from './proxy.js';
export {
  ProxyApiError,
  ProxyClient,
  type ProxyChanges,
  type ProxyClientOptions,
} from './client.js';
export type { ProxyInput, ToxicInput } from './collection.js';
export type { ProxyJson, ToxicJson } from './api/json.js';
export { parseProxySpec, parseToxicSpec } from './specs.js';
export { emptyStats } from './model.js';
export type {
  HttpMatch,
  ProxyMode,
  ProxySpec,
  ProxyStats,
  Stream,
  ToxicScope,
  ToxicSpec,
} from './model.js';
export { ProxyError } from './errors.js';
export { toxicTypes } from './toxics/registry.js';
export { toxicDefinition } from './toxics/registry.js';
