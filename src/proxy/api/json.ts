import type { ProxySpec, ToxicSpec } from '../model.js';
import type { Proxy } from '../proxy.js';

/** A toxic in Toxiproxy's JSON: the envelope, its attributes, and our `match` when set. */
export interface ToxicJson {
  name: string;
  type: string;
  stream: ToxicSpec['stream'];
  toxicity: number;
  attributes: ToxicSpec['attributes'];
  match?: ToxicSpec['match'];
  scope?: ToxicSpec['scope'];
}

/** A proxy in Toxiproxy's JSON `{name, listen, upstream, enabled, toxics}`, plus our `mode`. */
export interface ProxyJson extends ProxySpec {
  toxics: ToxicJson[];
}

export function toxicJson(toxic: ToxicSpec): ToxicJson {
  const { name, type, stream, toxicity, attributes, match, scope } = toxic;
  return {
    name,
    type,
    stream,
    toxicity,
    attributes,
    ...(match && { match }),
    ...(scope && { scope }),
  };
}

export function proxyJson(proxy: Proxy): ProxyJson {
  const { name, listen, upstream, enabled, mode } = proxy.spec;
  return { name, listen, upstream, enabled, mode, toxics: proxy.toxicList().map(toxicJson) };
}
