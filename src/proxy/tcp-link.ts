import { connect, type Socket } from 'node:net';
import type { ProxyRuntime } from './runtime.js';
import { Pump } from './tcp-pump.js';

/*
 * A tcp link joins one client socket to one upstream socket:
 *
 *   client ──▶ [pump "upstream":   toxic stage → toxic stage → …] ──▶ upstream
 *   client ◀── [pump "downstream": toxic stage → toxic stage → …] ◀── upstream
 *
 * Sockets are half-open: each pump carries its sender's FIN on once the data
 * before it has passed its toxics, and the link ends when both have, or at
 * once on an error or a reset.
 */

type EndReason = 'closed' | 'timeout' | 'reset' | 'refused';

/** After a graceful end, sockets whose peer never reads are destroyed after this long. */
const CLOSE_DEADLINE_MS = 2_000;

export class TcpLink {
  private readonly upstream: Socket;
  private readonly pumps: readonly [Pump, Pump];
  private ended = false;
  private connected = false;
  /** Client chunks not yet followed by any server bytes: requests awaiting their answer. */
  private unanswered = 0;
  /** Resolves when both sockets are gone. */
  readonly done: Promise<void>;

  constructor(
    readonly proxy: ProxyRuntime,
    private readonly client: Socket,
  ) {
    const { host, port } = proxy.upstream();
    client.setNoDelay(true);
    client.pause();
    this.upstream = connect({ host, port, noDelay: true, allowHalfOpen: true });
    this.pumps = [
      new Pump(this, 'upstream', client, this.upstream),
      new Pump(this, 'downstream', this.upstream, client),
    ];
    this.done = Promise.all([closed(client), closed(this.upstream)]).then(() => undefined);
    this.upstream.once('connect', () => this.onConnect());
    // Any failure to reach the upstream counts as refused: the client never got a link.
    this.upstream.on('error', () => {
      if (this.connected) this.failUnanswered('upstreamError');
      this.end(this.connected ? 'closed' : 'refused');
    });
    client.on('error', () => this.end('closed'));
    // A client gone before the upstream answered never gets a link.
    client.once('close', () => !this.connected && this.end('closed'));
    // A close without error follows both FINs, which the pumps pass on themselves.
    for (const socket of [client, this.upstream]) {
      socket.once('close', (hadError: boolean) => hadError && this.end('closed'));
    }
  }

  private onConnect(): void {
    if (this.ended) return;
    this.connected = true;
    const { connections } = this.proxy.stats;
    connections.accepted += 1;
    connections.active += 1;
    this.refreshToxics();
    if (!this.ended) this.client.resume();
  }

  /** Toxics were added or removed: stages start (timers too) without waiting for data. */
  refreshToxics(): void {
    if (this.ended) return;
    for (const pump of this.pumps) pump.refresh();
  }

  /**
   * A request/response view of a tcp link, for failure rates: each client
   * chunk is a request, seen as it arrives; server bytes reaching the client
   * answer every one before them; a reset, timeout, refusal or upstream error
   * fails those still waiting. A graceful close ends them as answered (a
   * client saying goodbye expects no answer), so every request seen ends
   * exactly once.
   */
  asked(): void {
    this.proxy.stats.requests.seen += 1;
    this.unanswered += 1;
  }

  answered(): void {
    this.proxy.stats.requests.answered += this.unanswered;
    this.unanswered = 0;
  }

  /** One direction has passed its FIN on; the link ends when both have. */
  directionFinished(): void {
    if (this.pumps.every((pump) => pump.finished)) this.end('closed');
  }

  /** Closes both sides: gracefully, or with a TCP reset. */
  end(reason: EndReason): void {
    if (this.ended) return;
    this.ended = true;
    // A connection a timeout toxic was holding ends as timed out, however it ends.
    const held = this.pumps.some((pump) => pump.holding());
    const counted = reason === 'closed' && held ? 'timeout' : reason;
    const { connections } = this.proxy.stats;
    if (counted === 'refused') connections.refused += 1;
    if (counted === 'reset') connections.reset += 1;
    if (counted === 'timeout') connections.timedOut += 1;
    if (this.connected) connections.active -= 1;
    this.failUnanswered(counted);
    for (const pump of this.pumps) pump.abort();
    const graceful = counted !== 'reset' && counted !== 'refused';
    for (const socket of [this.client, this.upstream]) {
      if (socket.destroyed) continue;
      if (!graceful) {
        socket.resetAndDestroy();
        continue;
      }
      socket.destroySoon();
      setTimeout(() => socket.destroy(), CLOSE_DEADLINE_MS).unref();
    }
  }

  private failUnanswered(reason: EndReason | 'upstreamError'): void {
    if (reason === 'closed') {
      this.answered();
      return;
    }
    const { requests } = this.proxy.stats;
    // A refused client never got to send: its connection attempt was the request.
    if (reason === 'refused' && this.unanswered === 0) {
      requests.seen += 1;
      this.unanswered = 1;
    }
    requests.failed[reason === 'timeout' ? 'timedOut' : reason] += this.unanswered;
    this.unanswered = 0;
  }
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
}
