import { compileMatch } from './match.js';
import type { ProxySpec, ProxyStats, Stream, ToxicSpec } from './model.js';
import { ToxicityDraw } from './toxicity.js';
import { toxicDefinition } from './toxics/registry.js';
import type { ToxicDefinition } from './toxics/toxic.js';

/** A toxic as installed on a proxy: its envelope, its definition and its parsed attributes. */
export interface ActiveToxic {
  name: string;
  type: string;
  stream: Stream;
  toxicity: number;
  definition: ToxicDefinition<unknown>;
  attributes: unknown;
  match?: { method?: RegExp; path?: RegExp };
  /** tcp mode: drawn per connection (Toxiproxy's way) or per chunk of its stream. */
  scope: 'connection' | 'chunk';
  /** Whether it applies to the next request, connection or chunk: see ToxicityDraw. */
  draw(): boolean;
}

/**
 * What a connection handler (the tcp link or the http front end) sees of its
 * proxy. Toxics are read afresh for every chunk or request, so adding or
 * removing one takes effect on open connections too, as in Toxiproxy.
 */
export interface ProxyRuntime {
  readonly spec: Readonly<ProxySpec>;
  readonly stats: ProxyStats;
  /** Current toxics of one stream, in the order they were added. */
  toxics(stream: Stream): readonly ActiveToxic[];
  /** Where to connect: the upstream's host and port. */
  upstream(): { host: string; port: number };
  /** This proxy's randomness (seeded when the server was given a seed), for toxics that jitter. */
  readonly random: () => number;
  /** Counts one evaluation of a toxic and whether it applied. */
  countToxic(name: string, applied: boolean): void;
}

/** The runtime form of a toxic spec: its definition and compiled matcher. */
export function activateToxic(spec: ToxicSpec, random: () => number): ActiveToxic {
  const match = compileMatch(spec.match);
  const toxicity = new ToxicityDraw(spec.toxicity, random);
  return {
    name: spec.name,
    type: spec.type,
    stream: spec.stream,
    toxicity: spec.toxicity,
    definition: toxicDefinition(spec.type)!,
    attributes: spec.attributes,
    ...(match && { match }),
    scope: spec.scope ?? 'connection',
    draw: () => toxicity.next(),
  };
}
