import type { Socket } from 'node:net';
import type { ProxyStats } from '../model.js';

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

/**
 * Counts one request `seen` when created and exactly one end when settled,
 * whichever of the racing paths (toxic, upstream, client close) gets there
 * first: the chaos runner's failure rate is `failed / seen`, so a request
 * must never be counted twice or not at all. Settling aborts `signal`, which
 * stops the request's timers and tells slower paths to give up.
 */
export class RequestOutcome {
  readonly #controller = new AbortController();
  #end: RequestEnd | undefined;

  constructor(private readonly stats: ProxyStats) {
    stats.requests.seen += 1;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get end(): RequestEnd | undefined {
    return this.#end;
  }

  /** Records the end once; false (and nothing counted) when it had already ended. */
  settle(end: RequestEnd): boolean {
    if (this.#end !== undefined) return false;
    this.#end = end;
    const requests = this.stats.requests;
    if (end === 'answered') requests.answered += 1;
    else requests.failed[end] += 1;
    this.#controller.abort(SETTLED);
    return true;
  }
}

/** The end of a request still open when its connection closed. */
export function endForFate(fate: ConnectionFate | undefined): RequestEnd {
  if (fate === 'reset') return 'reset';
  if (fate === 'disabled') return 'refused';
  return 'timedOut';
}
