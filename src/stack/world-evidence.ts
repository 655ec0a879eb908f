import { EventEmitter, once } from 'node:events';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  JsonLinesWriter,
  ORDER_PATH,
  readJsonLines,
  type VenueRequest,
  type WireRequest,
} from '../evidence/index.js';
import type { Exchange } from '../exchange/index.js';
import type { ProxyServer } from '../proxy/index.js';

/** One order request as it ended on the wire, joined with what the venue made of it. */
export interface WireOrderOutcome {
  /** The venue accepted it and its answer reached the client. */
  accepted: boolean;
  /** Arrival at the proxy to the end of its answer, ms. */
  latencyMs: number;
  endedAt: number;
}

interface WorldEvidenceEvents {
  /** A signed request the venue authenticated and answered without error. */
  signedOk: [record: VenueRequest];
  /** An order request ended at the exchange proxy. */
  orderOutcome: [outcome: WireOrderOutcome];
}

/** Venue records awaiting their wire record, by request id; bounded: each request ends. */
const MAX_AWAITING = 100_000;
/**
 * An accepted order whose wire record never comes (the proxy ended the
 * request before the venue answered) is forgotten after this long, ms.
 */
const AWAITING_MS = 60_000;

/** The evidence up to one moment: every read of it sees the same records. */
export interface EvidenceSnapshot {
  /** The venue's records from `since` on, in the order the venue answered them. */
  venue(): AsyncGenerator<VenueRequest>;
  /** The wire's records of requests that arrived from `since` on, in the order they ended. */
  wire(): AsyncGenerator<WireRequest>;
}

/**
 * Records what the venue saw and what the wire did, as JSON lines under
 * `dir` (venue.jsonl, wire.jsonl), and tells live listeners the two things a
 * runner needs while a scenario runs: authenticated requests (readiness, a
 * sign of life) and order outcomes joined across the two (the phase counts
 * and recovery of a system that reports nothing itself). The judge reads the
 * files afterwards, streamed, so memory stays flat however long the run.
 */
export class WorldEvidence extends EventEmitter<WorldEvidenceEvents> {
  readonly venuePath: string;
  readonly wirePath: string;
  private readonly venueLog: JsonLinesWriter<VenueRequest>;
  private readonly wireLog: JsonLinesWriter<WireRequest>;
  /** Accepted order ids' venue status, by request id, until the wire says how the answer ended. */
  private readonly awaiting = new Map<string, { status: number; at: number }>();
  private readonly unsubscribe: Array<() => void>;
  private lastSignedOk: number | undefined;

  constructor(dir: string, exchange: Exchange, proxyServer: ProxyServer) {
    super();
    this.venuePath = join(dir, 'venue.jsonl');
    this.wirePath = join(dir, 'wire.jsonl');
    this.venueLog = new JsonLinesWriter(this.venuePath);
    this.wireLog = new JsonLinesWriter(this.wirePath);
    this.unsubscribe = [
      exchange.onRequest((record) => this.onVenue(record)),
      proxyServer.onWireRequest((record) => this.onWire(record)),
    ];
  }

  /** Accepted orders whose answer has not yet ended at the proxy: in flight only, never more than MAX_AWAITING. */
  get awaitingAnswers(): number {
    return this.awaiting.size;
  }

  /** When the venue last answered an authenticated request without error, ms since the epoch. */
  get lastSignedOkAt(): number | undefined {
    return this.lastSignedOk;
  }

  /**
   * Resolves with the time of an authenticated, successful request at or
   * after `since`: the latest already seen, else the next one to come (a
   * caller that wants the first after a moment asks at that moment).
   */
  async signedRequestSince(since: number, signal: AbortSignal): Promise<number> {
    if (this.lastSignedOk !== undefined && this.lastSignedOk >= since) return this.lastSignedOk;
    for (;;) {
      const [record] = (await once(this, 'signedOk', { signal })) as [VenueRequest];
      if (record.at >= since) return record.at;
    }
  }

  /**
   * The records so far (from `since` on, ms since the epoch), fixed at this
   * moment: a judge reads them as often as it needs while recording goes on,
   * never a half-written line, never a record the first read did not see.
   */
  async snapshot(since = 0): Promise<EvidenceSnapshot> {
    await this.flush();
    const [venueBytes, wireBytes] = await Promise.all([
      stat(this.venuePath).then((file) => file.size),
      stat(this.wirePath).then((file) => file.size),
    ]);
    const from = <T extends { at: number }>(path: string, bytes: number) =>
      async function* (): AsyncGenerator<T> {
        for await (const record of readJsonLines<T>(path, bytes)) {
          if (record.at >= since) yield record;
        }
      };
    return {
      venue: from<VenueRequest>(this.venuePath, venueBytes),
      wire: from<WireRequest>(this.wirePath, wireBytes),
    };
  }

  /** Stops recording and closes the files. */
  async close(): Promise<void> {
    for (const stop of this.unsubscribe) stop();
    await Promise.all([this.venueLog.close(), this.wireLog.close()]);
  }

  /** Waits until everything recorded so far is in the files. */
  private async flush(): Promise<void> {
    await Promise.all([this.venueLog.flush(), this.wireLog.flush()]);
  }

  private onVenue(record: VenueRequest): void {
    this.venueLog.append(record);
    // Only what came through the proxy counts as the system's: a bot that went round it met no fault.
    if (record.requestId === null) return;
    if (record.signed && record.status < 400) {
      this.lastSignedOk = record.at;
      this.emit('signedOk', record);
    }
    const accepted = record.order?.orderId !== null && record.order?.orderId !== undefined;
    if (!accepted) return;
    this.forgetOldAwaiting(record.at);
    if (this.awaiting.size < MAX_AWAITING) {
      this.awaiting.set(record.requestId, { status: record.status, at: record.at });
    }
  }

  /** Drops the oldest entries whose wire record never came (insertion order is age order). */
  private forgetOldAwaiting(now: number): void {
    for (const [requestId, { at }] of this.awaiting) {
      if (now - at < AWAITING_MS) return;
      this.awaiting.delete(requestId);
    }
  }

  private onWire(record: WireRequest): void {
    this.wireLog.append(record);
    const venueStatus = this.awaiting.get(record.requestId)?.status;
    this.awaiting.delete(record.requestId);
    if (record.method !== 'POST' || record.path !== ORDER_PATH) return;
    this.emit('orderOutcome', {
      accepted:
        venueStatus !== undefined && record.end === 'answered' && record.status === venueStatus,
      latencyMs: record.endedAt - record.at,
      endedAt: record.endedAt,
    });
  }
}
