import type { ProxySpec, ProxyStats, Stream } from './model.js';
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
  /** Counts one evaluation of a toxic and whether it applied. */
  countToxic(name: string, applied: boolean): void;
}
