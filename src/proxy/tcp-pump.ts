import type { Socket } from 'node:net';
import type { Stream } from './model.js';
import type { ActiveToxic } from './runtime.js';
import type { TcpLink } from './tcp-link.js';
import type { TcpLinkControl, TcpStage } from './toxics/toxic.js';

/** Pause reading from the sender while this much data waits inside the toxics. */
const MAX_QUEUED_BYTES = 1024 * 1024;

/**
 * A toxic met on this link and its stage: drawn once when met (scope
 * connection: no stage unless it applies) or, with `perChunk`, drawn again
 * for every chunk that reaches it.
 */
interface StageEntry {
  stage: TcpStage | undefined;
  control: AbortController;
  perChunk: ActiveToxic | undefined;
}

/**
 * One node of a chain as built at one moment. Chunks pass one at a time, each
 * through the chain current when its turn comes; the pieces a stage produces
 * go on to that node's `next` in order. So a chain rebuilt mid-stream never
 * lets later data overtake data still inside a removed toxic.
 */
interface ChainNode {
  entry: StageEntry;
  next: ChainNode | undefined;
}

/**
 * One direction of a link: reads from `from`, runs data through the toxics
 * of its stream, writes to `to`. With no toxic it writes straight through.
 */
export class Pump {
  private head: ChainNode | undefined;
  private builtFrom: readonly ActiveToxic[] = [];
  /** Toxics met on this link, kept while the proxy keeps them (toxicity is drawn once). */
  private readonly met = new Map<ActiveToxic, StageEntry>();
  private queuedBytes = 0;
  private awaitingDrain = false;
  /** True while a chunk is inside the chain; a close asked for then waits until it has passed. */
  private passing = false;
  private closeAfterChunk: 'closed' | 'timeout' | undefined;
  finished = false;
  /** The last chunk's passage through the whole chain; the FIN waits for it. */
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

  /** Rebuilds the chain when the proxy's toxics for this stream changed. */
  refresh(): void {
    const toxics = this.link.proxy.toxics(this.stream);
    if (toxics === this.builtFrom) return;
    this.builtFrom = toxics;
    for (const [toxic, entry] of this.met) {
      if (toxics.includes(toxic)) continue;
      entry.control.abort();
      this.met.delete(toxic);
      // Toxiproxy's timeout closes the connection it was holding when it goes.
      if (entry.stage?.holdsConnection) this.link.end('timeout');
    }
    let head: ChainNode | undefined;
    for (let i = toxics.length - 1; i >= 0; i -= 1) {
      const toxic = toxics[i]!;
      const entry = this.met.get(toxic) ?? this.meet(toxic);
      if (entry.stage) head = { entry, next: head };
    }
    this.head = head;
  }

  /** True while a stage that holds the connection (timeout) applies here. */
  holding(): boolean {
    for (const entry of this.met.values()) if (entry.stage?.holdsConnection) return true;
    return false;
  }

  abort(): void {
    for (const entry of this.met.values()) entry.control.abort();
  }

  private meet(toxic: ActiveToxic): StageEntry {
    const control = new AbortController();
    const perChunk = toxic.scope === 'chunk' ? toxic : undefined;
    const applies = perChunk !== undefined || toxic.draw();
    if (!perChunk) this.link.proxy.countToxic(toxic.name, applies);
    const entry: StageEntry = { stage: undefined, control, perChunk };
    this.met.set(toxic, entry);
    if (applies && toxic.definition.tcp) {
      entry.stage = toxic.definition.tcp(toxic.attributes, this.controlFor(control.signal));
    }
    return entry;
  }

  private controlFor(signal: AbortSignal): TcpLinkControl {
    return {
      close: (reason) => {
        const how = reason === 'timeout' ? 'timeout' : 'closed';
        // limit_data closes right after pushing its last piece: let that piece reach the socket.
        if (this.passing) this.closeAfterChunk = how;
        else this.link.end(how);
      },
      reset: () => this.link.end('reset'),
      signal,
      random: this.link.proxy.random,
    };
  }

  // The chain is current: the link refreshes it at connect and whenever the proxy's toxics change.
  private onData(chunk: Buffer): void {
    if (this.stream === 'upstream') this.link.asked();
    if (this.head === undefined && this.queuedBytes === 0) {
      this.deliver(chunk);
      return;
    }
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > MAX_QUEUED_BYTES) this.from.pause();
    const arrivedAtMs = performance.now();
    this.lastDelivery = this.lastDelivery
      .then(() => {
        this.passing = true;
        return this.pass(this.head, chunk, arrivedAtMs);
      })
      .then(() => {
        this.passing = false;
        this.queuedBytes -= chunk.length;
        if (this.closeAfterChunk) this.link.end(this.closeAfterChunk);
        else this.maybeResume();
      });
  }

  /** Runs a piece through a node and the rest of its chain; resolves when all it produced has passed. */
  private async pass(
    node: ChainNode | undefined,
    piece: Buffer,
    arrivedAtMs: number,
  ): Promise<void> {
    const stage = node?.entry.stage;
    if (!node || !stage) {
      this.deliver(piece);
      return;
    }
    const next = node.next;
    const perChunk = node.entry.perChunk;
    if (perChunk) {
      const applies = perChunk.draw();
      this.link.proxy.countToxic(perChunk.name, applies);
      if (!applies) return this.pass(next, piece, arrivedAtMs);
    }
    let produced = Promise.resolve();
    try {
      await stage.onChunk(piece, arrivedAtMs, (out) => {
        produced = produced.then(() => this.pass(next, out, arrivedAtMs));
      });
    } catch {
      // A failing stage loses only the piece it held; the link carries on.
    }
    await produced;
  }

  private deliver(piece: Buffer): void {
    if (this.to.destroyed || piece.length === 0) return;
    this.link.proxy.stats.bytes[this.stream] += piece.length;
    if (this.stream === 'downstream') this.link.answered();
    if (this.to.write(piece) || this.awaitingDrain) return;
    this.awaitingDrain = true;
    this.from.pause();
    this.to.once('drain', () => {
      this.awaitingDrain = false;
      this.maybeResume();
    });
  }

  /** Reads again only when the receiver keeps up and the toxics are not full. */
  private maybeResume(): void {
    if (this.awaitingDrain || this.queuedBytes > MAX_QUEUED_BYTES || this.to.destroyed) return;
    this.from.resume();
  }

  /** The sender closed its side: once the data before it has passed, pass the close on. */
  private async onEnd(): Promise<void> {
    await this.lastDelivery;
    for (let node = this.head; node; node = node.next) await node.entry.stage?.onEnd?.();
    if (!this.to.destroyed) this.to.end();
    this.finished = true;
    this.link.directionFinished();
  }
}
