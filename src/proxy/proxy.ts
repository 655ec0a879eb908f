import { createServer, type Server, type Socket } from 'node:net';
import { closeServer, hostPort, isLoopbackAddress, listen } from '../common/index.js';
import { badInput, conflict, listenError, notFound } from './errors.js';
import { createHttpFrontend, type HttpFrontend } from './http-frontend.js';
import {
  emptyStats,
  type ProxySpec,
  type ProxyStats,
  type Stream,
  type ToxicSpec,
} from './model.js';
import { activateToxic, type ActiveToxic, type ProxyRuntime } from './runtime.js';
import { parseAddress } from './specs.js';
import { TcpLink } from './tcp-link.js';
import { WireTap, type WireListener } from './wire-tap.js';

/**
 * One proxy: a listener in front of one upstream, with its toxics and
 * counters. In tcp mode each connection becomes a TcpLink; in http mode the
 * http front end reads requests and applies toxics per request.
 */
export class Proxy implements ProxyRuntime {
  readonly stats: ProxyStats = emptyStats();
  private current: ProxySpec;
  private toxicSpecs: ToxicSpec[] = [];
  /** Installed toxics by name; an object lives until its toxic is updated or removed, so links keep their stages. */
  private readonly installed = new Map<string, ActiveToxic>();
  private active: Record<Stream, ActiveToxic[]> = { upstream: [], downstream: [] };
  private upstreamAddress: { host: string; port: number };
  private server: Server | undefined;
  private readonly links = new Set<TcpLink>();
  private readonly frontend: HttpFrontend | undefined;
  private readonly wire: WireTap;

  private constructor(
    spec: ProxySpec,
    private readonly allowRemote: boolean,
    readonly random: () => number,
    parentTap: WireTap | undefined,
  ) {
    this.current = { ...spec };
    this.upstreamAddress = parseAddress(spec.upstream, 'upstream');
    this.wire = new WireTap(parentTap);
    this.frontend =
      spec.mode === 'http' ? createHttpFrontend(this, { wire: this.wire }) : undefined;
  }

  /**
   * A proxy from a validated spec, listening when enabled. It listens on
   * loopback only unless allowRemote: anyone who reaches it reaches its upstream.
   * `wire` also receives its WireRequest records (its server's subscribers).
   */
  static async create(
    spec: ProxySpec,
    options: { allowRemote?: boolean; random?: () => number; wire?: WireTap } = {},
  ): Promise<Proxy> {
    const proxy = new Proxy(
      spec,
      options.allowRemote ?? false,
      options.random ?? Math.random,
      options.wire,
    );
    if (spec.enabled) await proxy.bind();
    return proxy;
  }

  /**
   * Calls listener with one WireRequest per request this proxy read, when
   * the request ends (http mode only: a tcp proxy sees bytes, not requests,
   * and never calls it). Synchronous, on the data path: keep it quick; what
   * it throws is ignored. Returns the unsubscribe function.
   */
  onWireRequest(listener: WireListener): () => void {
    return this.wire.subscribe(listener);
  }

  /** The spec, with `listen` showing the port actually bound. */
  get spec(): ProxySpec {
    return { ...this.current };
  }

  toxics(stream: Stream): readonly ActiveToxic[] {
    return this.active[stream];
  }

  upstream(): { host: string; port: number } {
    return this.upstreamAddress;
  }

  countToxic(name: string, applied: boolean): void {
    const counter = (this.stats.toxics[name] ??= { evaluated: 0, applied: 0 });
    counter.evaluated += 1;
    if (applied) counter.applied += 1;
  }

  toxicList(): ToxicSpec[] {
    return this.toxicSpecs.map((toxic) => ({ ...toxic }));
  }

  /** Applies changes; disabling closes the listener and resets every open connection. */
  async update(
    changes: Partial<Pick<ProxySpec, 'listen' | 'upstream' | 'enabled'>>,
  ): Promise<void> {
    const moved = changes.upstream !== undefined && changes.upstream !== this.current.upstream;
    if (moved) {
      this.upstreamAddress = parseAddress(changes.upstream!, 'upstream');
      this.current.upstream = changes.upstream!;
    }
    const rebind = changes.listen !== undefined && changes.listen !== this.current.listen;
    const enabled = changes.enabled ?? this.current.enabled;
    // As in Toxiproxy, a new listen address or upstream restarts the proxy: open links close.
    if (rebind || moved || !enabled) await this.unbind(enabled ? 'graceful' : 'reset');
    if (changes.listen !== undefined) this.current.listen = changes.listen;
    this.current.enabled = enabled;
    if (enabled && !this.server) await this.bind();
  }

  addToxic(toxic: ToxicSpec): void {
    if (this.installed.has(toxic.name)) {
      throw conflict(`toxic ${toxic.name} already exists on proxy ${this.current.name}`);
    }
    this.toxicSpecs.push(toxic);
    this.installed.set(toxic.name, activateToxic(toxic, this.random));
    this.rebuild();
  }

  /** Replaces one toxic: its stages restart on every link; the others are untouched. */
  updateToxic(name: string, toxic: ToxicSpec): void {
    const index = this.indexOf(name);
    this.toxicSpecs[index] = toxic;
    this.installed.delete(name);
    this.installed.set(toxic.name, activateToxic(toxic, this.random));
    this.rebuild();
  }

  removeToxic(name: string): void {
    this.toxicSpecs.splice(this.indexOf(name), 1);
    this.installed.delete(name);
    this.rebuild();
  }

  removeAllToxics(): void {
    this.toxicSpecs = [];
    this.installed.clear();
    this.rebuild();
  }

  async close(): Promise<void> {
    this.removeAllToxics();
    await this.unbind('graceful');
  }

  private indexOf(name: string): number {
    const index = this.toxicSpecs.findIndex((t) => t.name === name);
    if (index < 0) throw notFound(`toxic not found: ${name}`);
    return index;
  }

  /** New lists on every change, so links notice and rebuild their chains from the same toxic objects. */
  private rebuild(): void {
    const next: Record<Stream, ActiveToxic[]> = { upstream: [], downstream: [] };
    for (const spec of this.toxicSpecs) next[spec.stream].push(this.installed.get(spec.name)!);
    this.active = next;
    for (const link of this.links) link.refreshToxics();
    this.frontend?.toxicsChanged();
  }

  private async bind(): Promise<void> {
    const { host, port } = parseAddress(this.current.listen, 'listen');
    if (!this.allowRemote && !isLoopbackAddress(host)) {
      throw badInput(
        `proxy ${this.current.name}: listen ${this.current.listen} is not loopback; allow remote to do that`,
      );
    }
    const server = createServer(
      { noDelay: true, allowHalfOpen: this.current.mode === 'tcp' },
      (socket) => this.accept(socket),
    );
    const bound = await listen(server, host, port).catch((error: NodeJS.ErrnoException) => {
      throw listenError(error, this.current.listen, `proxy ${this.current.name}`);
    });
    this.current.listen = hostPort(host, bound);
    this.server = server;
  }

  private accept(socket: Socket): void {
    if (this.frontend) {
      this.frontend.handle(socket);
      return;
    }
    const link = new TcpLink(this, socket);
    this.links.add(link);
    void link.done.then(() => this.links.delete(link));
  }

  /** Stops listening and closes every connection: gracefully, or with TCP resets ("down"). */
  private async unbind(how: 'graceful' | 'reset'): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? closeServer(server) : undefined;
    const links = [...this.links];
    for (const link of links) link.end(how === 'reset' ? 'reset' : 'closed');
    await Promise.all([closed, this.frontend?.close(how), ...links.map((link) => link.done)]);
  }
}
