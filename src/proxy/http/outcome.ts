import type { Socket } from 'node:net';
import type { WireRequest } from '../../evidence/model.js';
import type { ProxyStats } from '../model.js';
import type { WireTap } from '../wire-tap.js';
import { retryAfterS, type HeaderBag } from './headers.js';

/** One shared abort reason: building a DOMException per request showed up in profiles. */
const SETTLED = new Error('request settled');

/** How one request ended; each maps to exactly one counter of ProxyStats.requests. */
export type RequestEnd =
  'answered' | 'refused' | 'reset' | 'timedOut' | 'injectedStatus' | 'upstreamError';

/**
 * Why a client connection closed, as far as the proxy knows. Requests still
 * open on it end accordingly: a toxic's reset (`reset`), the disabled proxy
 * (`refused`), anything else (client gave up, hold closed it, shutdown
 * deadline) `timedOut`, since the client waited without an answer.
 */
export type ConnectionFate = 'reset' | 'disabled' | 'timeout';

/** One client socket handed to the front end. */
export interface ClientConnection {
  readonly socket: Socket;
  /** Requests read on it that have not ended yet. */
  readonly open: Set<RequestOutcome>;
  /** Responses not yet finished: the connection is idle at 0. */
  pendingResponses: number;
  fate?: ConnectionFate;
  /** A toxic held a request on it: its end counts as a connection timeout. */
  held?: boolean;
  /** The toxic holding it; when that toxic goes, the connection is closed (see HttpFrontend.toxicsChanged). */
  heldBy?: string;
}

/** Where a proxy's request outcomes report: its counters and its record subscribers. */
export interface OutcomeSink {
  readonly stats: ProxyStats;
  /** The proxy's name, as records carry it. */
  readonly proxy: string;
  readonly wire: WireTap;
}

/**
 * Counts one request `seen` when created and exactly one end when settled,
 * whichever of the racing paths (toxic, upstream, client close) gets there
 * first: the chaos runner's failure rate is `failed / seen`, so a request
 * must never be counted twice or not at all. Settling aborts `signal`, which
 * stops the request's timers and tells slower paths to give up. The same
 * single settle emits the request's WireRequest, when anyone listens.
 */
export class RequestOutcome {
  readonly #controller = new AbortController();
  #end: RequestEnd | undefined;
  /** Arrival at the proxy, ms since the epoch. */
  readonly at = Date.now();
  /** Set once the request is on a connected upstream socket: from then on the upstream may execute it. */
  forwarded = false;

  /**
   * @param requestId the proxy's name for it, sent upstream in REQUEST_ID_HEADER.
   * @param path without the query.
   */
  constructor(
    private readonly sink: OutcomeSink,
    readonly requestId: string,
    readonly method: string,
    readonly path: string,
  ) {
    sink.stats.requests.seen += 1;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get end(): RequestEnd | undefined {
    return this.#end;
  }

  /**
   * Records the end once; false (and nothing counted) when it had already
   * ended. `status` and `headers` describe the answer the client received,
   * given only by the paths that deliver one (an upstream answer, an
   * injected status, the proxy's 502); every other end means no answer.
   */
  settle(end: RequestEnd, status: number | null = null, headers?: HeaderBag): boolean {
    if (this.#end !== undefined) return false;
    this.#end = end;
    const requests = this.sink.stats.requests;
    if (end === 'answered') requests.answered += 1;
    else requests.failed[end] += 1;
    this.#controller.abort(SETTLED);
    const { wire } = this.sink;
    if (wire.listening) wire.emit(this.#record(end, status, headers));
    return true;
  }

  #record(end: RequestEnd, status: number | null, headers: HeaderBag | undefined): WireRequest {
    return {
      requestId: this.requestId,
      proxy: this.sink.proxy,
      at: this.at,
      endedAt: Date.now(),
      method: this.method,
      path: this.path,
      end,
      forwarded: this.forwarded,
      status,
      retryAfterS: headers ? retryAfterS(headers) : null,
    };
  }
}

/** The end of a request still open when its connection closed. */
export function endForFate(fate: ConnectionFate | undefined): RequestEnd {
  if (fate === 'reset') return 'reset';
  if (fate === 'disabled') return 'refused';
  return 'timedOut';
}
