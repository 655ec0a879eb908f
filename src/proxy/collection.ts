import { SeededRandom } from '../common/index.js';
import { badInput, conflict, notFound, ProxyError } from './errors.js';
import type { HttpMatch, ProxyMode, ProxySpec, Stream, ToxicSpec } from './model.js';
import { Proxy } from './proxy.js';
import { parseAddress, parseProxySpec, parseToxicSpec } from './specs.js';
import { toxicDefinition } from './toxics/registry.js';
import { WireTap } from './wire-tap.js';

/** A proxy as clients send it; parseProxySpec fills Toxiproxy's defaults. */
export interface ProxyInput {
  name: string;
  upstream: string;
  /** Default 127.0.0.1:0 (a free port, reported back in `listen`). */
  listen?: string;
  /** Default true. */
  enabled?: boolean;
  /** Default tcp. */
  mode?: ProxyMode;
  /** Installed with the proxy. Our extension: Toxiproxy ignores toxics here. */
  toxics?: ToxicInput[];
}

/** A toxic as clients send it; parseToxicSpec fills the defaults (stream downstream, toxicity 1, name `type_stream`). */
export interface ToxicInput {
  type: string;
  name?: string;
  stream?: Stream;
  toxicity?: number;
  attributes?: ToxicSpec['attributes'];
  match?: HttpMatch;
  /** tcp mode: draw the toxicity per chunk instead of per connection. */
  scope?: ToxicSpec['scope'];
}

/** One validated populate item; `toxics` undefined means "leave an unchanged proxy's toxics alone". */
export interface ProxyEntry {
  spec: ProxySpec;
  toxics: ToxicSpec[] | undefined;
}

/** What populate managed: Toxiproxy answers the proxies applied so far even when one fails. */
export interface PopulateResult {
  proxies: Proxy[];
  error?: unknown;
}

/** Validates one proxy with its optional toxics. */
export function parseProxyEntry(input: unknown): ProxyEntry {
  const spec = parseProxySpec(input);
  const toxics = parseToxicList((input as Record<string, unknown>).toxics);
  for (const toxic of toxics ?? []) assertFits(spec.mode, toxic, spec.name);
  return { spec, toxics };
}

/** Validates a whole populate request before anything changes, as Toxiproxy does. */
export function parsePopulate(input: unknown): ProxyEntry[] {
  if (!Array.isArray(input)) throw badInput('bad request body: expected a JSON array of proxies');
  const names = new Set<string>();
  return input.map((item: unknown, index) => {
    let entry: ProxyEntry;
    try {
      entry = parseProxyEntry(item);
    } catch (error) {
      if (error instanceof ProxyError) throw badInput(`${error.message} at proxy ${index + 1}`);
      throw error;
    }
    if (names.has(entry.spec.name)) {
      throw badInput(
        `duplicate proxy name ${JSON.stringify(entry.spec.name)} at proxy ${index + 1}`,
      );
    }
    names.add(entry.spec.name);
    return entry;
  });
}

function parseToxicList(input: unknown): ToxicSpec[] | undefined {
  if (input === undefined || input === null) return undefined;
  if (!Array.isArray(input)) throw badInput('toxics must be a JSON array');
  const toxics = input.map((item: unknown) => parseToxicSpec(item));
  const names = new Set(toxics.map((toxic) => toxic.name));
  if (names.size !== toxics.length) throw badInput('toxic names must be unique within a proxy');
  return toxics;
}

/** Adds a toxic after checking it works in the proxy's mode (http_status means nothing to a tcp proxy). */
export function installToxic(proxy: Proxy, toxic: ToxicSpec): void {
  assertFits(proxy.spec.mode, toxic, proxy.spec.name);
  proxy.addToxic(toxic);
}

function assertFits(mode: ProxyMode, toxic: ToxicSpec, proxy: string): void {
  const modes = toxicDefinition(toxic.type)?.modes ?? [];
  if (modes.includes(mode)) return;
  throw badInput(
    `toxic type ${toxic.type} works in ${modes.join('/')} mode, not on ${mode} proxy ${proxy}`,
  );
}

/**
 * The proxies of one server, by name. Changes run one at a time through a
 * queue: creating, rebinding and closing listeners are async, and two
 * overlapping requests must never both pass a "name is free" check or both
 * bind the same port.
 */
export class ProxyCollection {
  readonly #seeds: SeededRandom | undefined;

  /**
   * @param allowRemote let proxies listen on non-loopback addresses (default false).
   * @param seed makes every proxy's toxicity draws and jitter reproducible: each proxy
   *   draws from its own stream, forked in creation order. Default unseeded.
   */
  constructor(
    private readonly allowRemote = false,
    seed?: number,
  ) {
    this.#seeds = seed === undefined ? undefined : new SeededRandom(seed);
  }

  readonly #proxies = new Map<string, Proxy>();
  /** Hears every proxy's WireRequest records, proxies created later included. */
  readonly wire = new WireTap();
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** Live view, in creation order. */
  get proxies(): ReadonlyMap<string, Proxy> {
    return this.#proxies;
  }

  get(name: string): Proxy {
    const proxy = this.#proxies.get(name);
    if (!proxy) throw notFound('proxy not found');
    return proxy;
  }

  create(entry: ProxyEntry): Promise<Proxy> {
    return this.#exclusive(() => {
      if (this.#proxies.has(entry.spec.name)) throw conflict('proxy already exists');
      return this.#start(entry);
    });
  }

  delete(name: string): Promise<void> {
    return this.#exclusive(async () => {
      const proxy = this.get(name);
      this.#proxies.delete(name);
      await retire(proxy);
    });
  }

  /**
   * Runs a change to one proxy (an update, a toxic) in the queue, so none
   * lands on a proxy that a concurrent populate is replacing.
   */
  withProxy<T>(name: string, change: (proxy: Proxy) => T | Promise<T>): Promise<T> {
    return this.#exclusive(() => change(this.get(name)));
  }

  /**
   * Creates or replaces each proxy in order. A proxy whose upstream, mode and
   * listen address are unchanged is kept, with its open connections (as in
   * Toxiproxy); its `enabled` is applied, and its toxics replaced when the
   * entry lists toxics. Stops at the first failure.
   */
  populate(entries: readonly ProxyEntry[]): Promise<PopulateResult> {
    return this.#exclusive(async () => {
      const proxies: Proxy[] = [];
      try {
        for (const entry of entries) proxies.push(await this.#apply(entry));
      } catch (error) {
        return { proxies, error };
      }
      return { proxies };
    });
  }

  /** Toxiproxy's reset: every toxic removed first (the revert that matters), then every proxy enabled. */
  reset(): Promise<void> {
    return this.#exclusive(async () => {
      for (const proxy of this.#proxies.values()) proxy.removeAllToxics();
      let failure: unknown;
      for (const proxy of this.#proxies.values()) {
        if (proxy.spec.enabled) continue;
        await proxy.update({ enabled: true }).catch((error: unknown) => (failure ??= error));
      }
      if (failure !== undefined) throw failure;
    });
  }

  /** Removes every toxic, closes every proxy; later changes are refused. */
  close(): Promise<void> {
    return this.#exclusive(async () => {
      this.#closed = true;
      const proxies = [...this.#proxies.values()];
      this.#proxies.clear();
      await Promise.allSettled(proxies.map(retire));
    });
  }

  async #apply(entry: ProxyEntry): Promise<Proxy> {
    const existing = this.#proxies.get(entry.spec.name);
    if (existing && sameEndpoints(existing.spec, entry.spec)) {
      if (existing.spec.enabled !== entry.spec.enabled) {
        await existing.update({ enabled: entry.spec.enabled });
      }
      if (entry.toxics) {
        existing.removeAllToxics();
        for (const toxic of entry.toxics) installToxic(existing, toxic);
      }
      return existing;
    }
    if (existing) {
      // Closed first: the replacement may listen on the same port.
      this.#proxies.delete(entry.spec.name);
      await retire(existing);
    }
    return this.#start(entry);
  }

  async #start(entry: ProxyEntry): Promise<Proxy> {
    const stream = this.#seeds?.fork();
    const proxy = await Proxy.create(entry.spec, {
      allowRemote: this.allowRemote,
      random: stream ? () => stream.next() : Math.random,
      wire: this.wire,
    });
    try {
      for (const toxic of entry.toxics ?? []) installToxic(proxy, toxic);
    } catch (error) {
      await proxy.close();
      throw error;
    }
    this.#proxies.set(entry.spec.name, proxy);
    return proxy;
  }

  #exclusive<T>(task: () => T | Promise<T>): Promise<T> {
    const run = this.#tail.then(() => {
      if (this.#closed) throw new ProxyError('the proxy server is closed', 500);
      return task();
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

async function retire(proxy: Proxy): Promise<void> {
  proxy.removeAllToxics();
  await proxy.close();
}

/** Same upstream and mode, and the same listen address (a requested port 0 matches any port). */
function sameEndpoints(current: ProxySpec, wanted: ProxySpec): boolean {
  if (current.upstream !== wanted.upstream || current.mode !== wanted.mode) return false;
  const bound = parseAddress(current.listen, 'listen');
  const requested = parseAddress(wanted.listen, 'listen');
  return bound.host === requested.host && (requested.port === 0 || requested.port === bound.port);
}
