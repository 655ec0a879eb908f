import type { IncomingMessage } from 'node:http';
import { Listeners, parseRetryAfterS } from '../../common/index.js';
import {
  ORDER_PATH,
  REQUEST_ID_HEADER,
  type VenueOrder,
  type VenueRequest,
} from '../../evidence/model.js';
import type { Params } from './params.js';
import type { Reply } from './reply.js';

/** Told of one API request the venue answered. */
export type VenueRequestListener = (record: VenueRequest) => void;

/**
 * What the handler learns about a request that its reply does not show.
 * Made only when someone listens, so an unobserved request pays nothing.
 */
export interface RequestTrace {
  /** Arrival, on the venue's clock (Venue.now), ms since the epoch. */
  readonly at: number;
  /** The parsed parameters; undefined when they could not be parsed. Read with peek() only. */
  params: Params | undefined;
  /** A SIGNED route authenticated the request. */
  signed: boolean;
}

/** Subscribers to the venue's request records. */
export class RequestTap {
  readonly #listeners = new Listeners<VenueRequest>();

  /** @param onListenerError told of what a listener throws (which is then swallowed). */
  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  get listening(): boolean {
    return this.#listeners.any;
  }

  /** Adds a listener; returns the function that removes it (idempotent). */
  subscribe(listener: VenueRequestListener): () => void {
    return this.#listeners.subscribe(listener);
  }

  /** A trace for a request arriving now, or undefined when nobody would hear of it. */
  trace(now: () => number): RequestTrace | undefined {
    if (!this.#listeners.any) return undefined;
    return { at: now(), params: undefined, signed: false };
  }

  /** Records one answered request; admin requests are not API traffic and are skipped. */
  record(req: IncomingMessage, trace: RequestTrace, reply: Reply): void {
    const record = venueRequest(req, trace, reply);
    // An observer's bug must not break the answer it observes.
    if (record) this.#listeners.emit(record, this.onListenerError);
  }
}

/** The record of one answered API request; undefined for /__admin/. */
export function venueRequest(
  req: IncomingMessage,
  trace: RequestTrace,
  reply: Reply,
): VenueRequest | undefined {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart < 0 ? url : url.slice(0, queryStart);
  if (path.startsWith('/__admin/')) return undefined;
  const method = req.method ?? 'GET';
  const { params } = trace;
  return {
    at: trace.at,
    requestId: headerValue(req, REQUEST_ID_HEADER),
    apiKey: headerValue(req, 'x-mbx-apikey'),
    method,
    path,
    status: reply.status,
    code: reply.status >= 400 ? errorCode(reply.body) : null,
    retryAfterS: parseRetryAfterS(reply.headers?.['Retry-After']) ?? null,
    signed: trace.signed,
    symbol: params?.peek('symbol') ?? null,
    order: method === 'POST' && path === ORDER_PATH ? venueOrder(params, reply) : null,
  };
}

/**
 * The order as sent; its ids from the venue's answer when accepted (the
 * client order id the venue kept or assigned), else the id the client sent.
 * Fields absent from the request are null, or empty for the required ones.
 */
function venueOrder(params: Params | undefined, reply: Reply): VenueOrder {
  const sent = (name: string) => params?.peek(name) ?? null;
  // Only a placed order is answered 200, always with the ack fields.
  const placed =
    reply.status === 200 ? (reply.body as { orderId: number; clientOrderId: string }) : undefined;
  return {
    symbol: sent('symbol') ?? '',
    side: sent('side') ?? '',
    type: sent('type') ?? '',
    quantity: sent('quantity'),
    price: sent('price'),
    clientOrderId: placed ? placed.clientOrderId : sent('newClientOrderId'),
    orderId: placed ? placed.orderId : null,
  };
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function errorCode(body: unknown): number | null {
  const code = (body as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}
