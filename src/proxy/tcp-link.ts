import { connect, type Socket } from 'node:net';
import type { Stream } from './model.js';
import type { ActiveToxic, ProxyRuntime } from './runtime.js';
import type { TcpLinkControl, TcpStage } from './toxics/toxic.js';

/*
 * A tcp link joins one client socket to one upstream socket:
 *
 *   client ──▶ [pump "upstream":   toxic stage → toxic stage → …] ──▶ upstream
 *   client ◀── [pump "downstream": toxic stage → toxic stage → …] ◀── upstream
 *
 * Each pump reads its proxy's toxics for its stream; with none it writes
 * straight through. A toxic gets a stage on this link the first time the
 * pump sees it, after one draw against its toxicity (per connection, as in
 * Toxiproxy); removing the toxic aborts its stage.
 */

/** Pause reading from the sender while this much data waits inside the toxics. */
const MAX_QUEUED_BYTES = 1024 * 1024;

type EndReason = 'closed' | 'timeout' | 'reset' | 'refused';

export class TcpLink {
  private readonly upstream: Socket;
  private readonly pumps: Pump[];
  private ended = false;
  private connected = false;
  /** Resolves when both sockets are gone. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly runtime: ProxyRuntime,
    private readonly client: Socket,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    const { host, port } = runtime.upstream();
    client.setNoDelay(true);
    client.pause();
    // Half-open sockets: each direction carries its own FIN through its toxics (slow_close).
    this.upstream = connect({ host, port, noDelay: true, allowHalfOpen: true });
    this.pumps = [
      new Pump(this, 'upstream', client, this.upstream),
      new Pump(this, 'downstream', this.upstream, client),
    ];
    this.upstream.once('connect', () => {
      this.connected = true;
      runtime.stats.connections.accepted += 1;
      runtime.stats.connections.active += 1;
      this.refreshToxics();
      if (!this.ended) client.resume();
    });
    // Any failure to reach the upstream counts as refused: the client never got a link.
    this.upstream.on('error', () => this.end(this.connected ? 'closed' : 'refused'));
    client.on('error', () => this.end('closed'));
    // A socket is fully closed once both its directions are done; then the link is too.
    client.once('close', () => this.end('closed'));
    this.upstream.once('close', () => this.end('closed'));
  }

  /** One direction has passed its FIN on; the link ends when both have. */
  directionFinished(): void {
    if (this.pumps.every((pump) => pump.finished)) this.end('closed');
  }

  get proxy(): ProxyRuntime {
    return this.runtime;
  }

  /** Toxics were added or removed: stages start (timers too) without waiting for data. */
  refreshToxics(): void {
    if (this.ended) return;
    for (const pump of this.pumps) pump.refresh();
  }

  /** Closes both sides: gracefully, or with a TCP reset. */
  end(reason: EndReason): void {
    if (this.ended) return;
    this.ended = true;
    const { connections } = this.runtime.stats;
    if (reason === 'refused') connections.refused += 1;
    if (this.connected) connections.active -= 1;
    if (reason === 'reset') connections.reset += 1;
    if (reason === 'timeout') connections.timedOut += 1;
    for (const pump of this.pumps) pump.abort();
    for (const socket of [this.client, this.upstream]) {
      if (socket.destroyed) continue;
      if (reason === 'reset' || reason === 'refused') socket.resetAndDestroy();
      else socket.destroySoon();
    }
    let open = 2;
    const closed = () => {
      open -= 1;
      if (open === 0) this.resolveDone();
    };
    for (const socket of [this.client, this.upstream]) {
      if (socket.destroyed) closed();
      else socket.once('close', closed);
    }
  }
}

interface ChainEntry {
  toxic: ActiveToxic;
  stage: TcpStage | undefined;
  /** The previous chunk's turn through this stage; the next waits for it. */
  tail: Promise<void>;
  control: AbortController;
}

/** One direction of a link: reads from `from`, runs data through the toxics, writes to `to`. */
class Pump {
  private chain: ChainEntry[] = [];
  private builtFrom: readonly ActiveToxic[] = [];
  /** Stages met on this link, by toxic: decided once per connection (toxicity) and kept. */
  private readonly stages = new Map<ActiveToxic, ChainEntry>();
  private queuedBytes = 0;
  finished = false;
  /** The last chunk's passage through the whole chain; the end waits for it. */
  private lastDelivery: Promise<void> = Promise.resolve();

  constructor(
    private readonly link: TcpLink,
    private readonly stream: Stream,
    private readonly from: Socket,
    private readonly to: Socket,
  ) {
    from.on('data', (chunk: Buffer) => this.onData(chunk));
    from.once('end', () => void this.onEnd());
  }

  refresh(): void {
    const toxics = this.link.proxy.toxics(this.stream);
    if (toxics === this.builtFrom) return;
    this.builtFrom = toxics;
    const next: ChainEntry[] = [];
    for (const toxic of toxics) {
      const entry = this.stages.get(toxic) ?? this.meet(toxic);
      if (entry.stage) next.push(entry);
    }
    for (const [toxic, entry] of this.stages) {
      if (!toxics.includes(toxic)) {
        entry.control.abort();
        this.stages.delete(toxic);
      }
    }
    this.chain = next;
  }

  /** First sight of a toxic on this link: one draw against its toxicity. */
  private meet(toxic: ActiveToxic): ChainEntry {
    const control = new AbortController();
    const applies = Math.random() < toxic.toxicity;
    this.link.proxy.countToxic(toxic.name, applies);
    const entry: ChainEntry = { toxic, stage: undefined, tail: Promise.resolve(), control };
    if (applies && toxic.definition.tcp) {
      entry.stage = toxic.definition.tcp(toxic.attributes, this.controlFor(control.signal));
    }
    this.stages.set(toxic, entry);
    return entry;
  }

  private controlFor(signal: AbortSignal): TcpLinkControl {
    return {
      close: (reason) => this.link.end(reason === 'timeout' ? 'timeout' : 'closed'),
      reset: () => this.link.end('reset'),
      signal,
      random: Math.random,
    };
  }

  // The chain is current: the link refreshes it at connect and whenever the proxy's toxics change.
  private onData(chunk: Buffer): void {
    if (this.chain.length === 0 && this.queuedBytes === 0) {
      this.deliver(chunk);
      return;
    }
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > MAX_QUEUED_BYTES) this.from.pause();
    const arrivedAtMs = performance.now();
    this.lastDelivery = this.feed(0, chunk, arrivedAtMs).then(() => {
      this.queuedBytes -= chunk.length;
      if (this.queuedBytes <= MAX_QUEUED_BYTES && !this.to.destroyed) this.from.resume();
    });
  }

  /** Runs a piece through stage `index` and on; resolves when it and all it produced are passed on. */
  private feed(index: number, piece: Buffer, arrivedAtMs: number): Promise<void> {
    const entry = this.chain[index];
    if (!entry?.stage) {
      this.deliver(piece);
      return Promise.resolve();
    }
    const stage = entry.stage;
    const produced: Promise<void>[] = [];
    const turn = entry.tail.then(() =>
      stage.onChunk(piece, arrivedAtMs, (out) =>
        produced.push(this.feed(index + 1, out, arrivedAtMs)),
      ),
    );
    entry.tail = turn.catch(() => undefined);
    return turn
      .then(() => Promise.all(produced))
      .then(
        () => undefined,
        () => undefined,
      );
  }

  private deliver(piece: Buffer): void {
    if (this.to.destroyed || piece.length === 0) return;
    const { bytes } = this.link.proxy.stats;
    bytes[this.stream] += piece.length;
    if (!this.to.write(piece)) {
      this.from.pause();
      this.to.once('drain', () => this.from.resume());
    }
  }

  /** The sender closed its side: once the data before it has passed, pass the close on. */
  private async onEnd(): Promise<void> {
    await this.lastDelivery;
    for (const entry of this.chain) await entry.stage?.onEnd?.();
    if (!this.to.destroyed) this.to.end();
    this.finished = true;
    this.link.directionFinished();
  }

  abort(): void {
    for (const entry of this.stages.values()) entry.control.abort();
  }
}
