/**
 * The proxy's data model, in Toxiproxy's JSON shapes: a proxy is
 * `{name, listen, upstream, enabled}` (plus our `mode`), a toxic is an
 * envelope `{name, type, stream, toxicity}` around type-specific `attributes`
 * (plus our optional `match` for http mode).
 */

export type ProxyMode = 'tcp' | 'http';

/** Toxiproxy's streams: upstream is client → server, downstream is server → client. */
export type Stream = 'upstream' | 'downstream';

/** Request matcher for http-mode toxics; both fields optional, `path` a glob (`*`, `**`, `?`). */
export interface HttpMatch {
  method?: string;
  path?: string;
}

export interface ToxicSpec {
  name: string;
  type: string;
  stream: Stream;
  /** Probability 0..1 that the toxic applies: per connection in tcp mode, per request in http mode. */
  toxicity: number;
  /** Type-specific attributes, validated and with defaults filled in. */
  attributes: Record<string, number | string | boolean | Record<string, string>>;
  match?: HttpMatch;
  /**
   * Our extension, tcp mode: `chunk` draws the toxicity for every chunk of
   * its stream instead of once per connection, so "80 % of queries fail"
   * holds on a pool that keeps one connection open. Absent means Toxiproxy's
   * `connection`. In http mode every request draws anyway.
   */
  scope?: ToxicScope;
}

export type ToxicScope = 'connection' | 'chunk';

export interface ProxySpec {
  name: string;
  /** host:port to listen on; port 0 picks a free one, reported back once bound. */
  listen: string;
  /** host:port of the real dependency. */
  upstream: string;
  enabled: boolean;
  mode: ProxyMode;
}

/** Counters of one proxy. The chaos runner derives failure rates from them, so they are exact. */
export interface ProxyStats {
  connections: {
    /** Accepted and linked (or handled, in http mode). */
    accepted: number;
    /** Refused because the proxy was disabled, or because the upstream refused. */
    refused: number;
    /** Closed with a TCP reset by a toxic (reset_peer) or by the disabled proxy. */
    reset: number;
    /** Closed by a timeout toxic, or held by one when the link ended. */
    timedOut: number;
    active: number;
  };
  /**
   * http mode: requests. tcp mode: client chunks, each a request answered by
   * the server bytes that follow it (see TcpLink.asked), counted once settled.
   */
  requests: {
    /** http mode: requests read from clients; tcp mode: chunks answered or failed. */
    seen: number;
    /** Sent to the upstream. */
    forwarded: number;
    /** Answered to the client with the upstream's response. */
    answered: number;
    failed: {
      /** Upstream refused the connection, or the proxy was disabled. */
      refused: number;
      /** Client connection reset (reset_peer, http_drop_response). */
      reset: number;
      /** Held without answer (timeout, http_timeout), counted when the client gives up or the hold ends. */
      timedOut: number;
      /** Answered by http_status instead of the upstream. */
      injectedStatus: number;
      /** The upstream failed mid-request (reset, malformed response). */
      upstreamError: number;
    };
  };
  bytes: {
    /** Client → upstream. */
    upstream: number;
    /** Upstream → client. */
    downstream: number;
  };
  /** Per toxic name: how often it was evaluated and how often it applied. */
  toxics: Record<string, { evaluated: number; applied: number }>;
}

export function emptyStats(): ProxyStats {
  return {
    connections: { accepted: 0, refused: 0, reset: 0, timedOut: 0, active: 0 },
    requests: {
      seen: 0,
      forwarded: 0,
      answered: 0,
      failed: { refused: 0, reset: 0, timedOut: 0, injectedStatus: 0, upstreamError: 0 },
    },
    bytes: { upstream: 0, downstream: 0 },
    toxics: {},
  };
}
