import { AsyncLocalStorage } from 'node:async_hooks';
import ccxt from 'ccxt';
import type { Exchange as CcxtExchange } from 'ccxt';
import { parseRetryAfterS } from '../../common/index.js';

/**
 * What ccxt knew about a failed request and does not put on its exceptions:
 * the HTTP status, the venue's error code and the Retry-After header.
 */
export interface VenueResponseInfo {
  httpStatus: number | undefined;
  venueCode: number | undefined;
  retryAfterMs: number | undefined;
  /** True when the caller's AbortSignal ended the request after it had started. */
  callerAborted?: boolean;
}

/** Where the response info is kept on an error object. */
export const RESPONSE_INFO = Symbol.for('n1v1.venueResponseInfo');

/** The response info instrument() attached to an error, if any. */
export function responseInfoOf(error: unknown): VenueResponseInfo | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as Record<symbol, VenueResponseInfo | undefined>)[RESPONSE_INFO];
}

/** Merges info into an error; fields already known are kept (the innermost hook saw them first). */
export function attachResponseInfo(error: unknown, info: Partial<VenueResponseInfo>): void {
  if (typeof error !== 'object' || error === null) return;
  const current = responseInfoOf(error) ?? {
    httpStatus: undefined,
    venueCode: undefined,
    retryAfterMs: undefined,
  };
  const merged: VenueResponseInfo = { ...current };
  for (const [key, value] of Object.entries(info) as Array<[keyof VenueResponseInfo, never]>) {
    if (merged[key] === undefined && value !== undefined) merged[key] = value;
  }
  Object.defineProperty(error, RESPONSE_INFO, { value: merged, configurable: true });
}

interface RequestContext {
  signal: AbortSignal | undefined;
  /** Told of every answer's headers, errors included. */
  onHeaders: ((headers: Array<[string, string]>) => void) | undefined;
}

const INSTRUMENTED = Symbol('n1v1.instrumented');

const requestContext = new AsyncLocalStorage<RequestContext>();

/** Runs fn with the caller's signal attached to every HTTP request ccxt makes inside it. */
export function withRequestSignal<T>(
  signal: AbortSignal | undefined,
  fn: () => Promise<T>,
  onHeaders?: (headers: Array<[string, string]>) => void,
): Promise<T> {
  return requestContext.run({ signal, onHeaders }, fn);
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: unknown, nowMs = Date.now()): number | undefined {
  const seconds = parseRetryAfterS(value, nowMs);
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

function venueCodeOf(parsed: unknown): number | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const code = Number((parsed as { code?: unknown }).code);
  return Number.isInteger(code) && code !== 0 ? code : undefined;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function headerValue(headers: unknown, name: string): unknown {
  if (typeof headers !== 'object' || headers === null) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(n: string): unknown }).get(name);
  }
  const wanted = name.toLowerCase();
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === wanted);
  return entry?.[1];
}

function headerEntries(headers: unknown): Array<[string, string]> {
  if (typeof headers !== 'object' || headers === null) return [];
  const entries = (headers as { entries?: () => Iterable<[string, string]> }).entries;
  if (typeof entries === 'function') return [...entries.call(headers)];
  return Object.entries(headers).map(([name, value]) => [name, String(value)]);
}

/** The ccxt internals hooked; all exist on every ccxt exchange class (base Exchange). */
interface Hookable {
  handleRestResponse(response: { status: number; headers: unknown }, ...rest: unknown[]): unknown;
  handleErrors(
    code: number,
    reason: string,
    url: string,
    method: string,
    headers: unknown,
    body: string,
    response: unknown,
    ...rest: unknown[]
  ): unknown;
  handleHttpStatusCode(
    code: number,
    reason: string,
    url: string,
    method: string,
    body: string,
  ): unknown;
  undiciRequest(url: string, params: { signal?: AbortSignal; method?: string }): Promise<unknown>;
}

/**
 * Hooks one ccxt exchange instance (any class) so that every exception it
 * throws for a request carries VenueResponseInfo, and connection-level
 * failures carry the Node/undici error as `cause`, which ccxt drops. The
 * hooks only observe and rethrow: ccxt's own classification is unchanged.
 */
export function instrument<T extends CcxtExchange>(exchange: T): T {
  const target = exchange as unknown as Hookable & { [INSTRUMENTED]?: true };
  if (target[INSTRUMENTED]) return exchange;
  target[INSTRUMENTED] = true;
  const original = {
    handleRestResponse: target.handleRestResponse.bind(exchange),
    handleErrors: target.handleErrors.bind(exchange),
    handleHttpStatusCode: target.handleHttpStatusCode.bind(exchange),
    undiciRequest: target.undiciRequest.bind(exchange),
  };
  target.handleRestResponse = (response, ...rest) => {
    requestContext.getStore()?.onHeaders?.(headerEntries(response.headers));
    const info = {
      httpStatus: response.status,
      retryAfterMs: parseRetryAfterMs(headerValue(response.headers, 'retry-after')),
    };
    return Promise.resolve(original.handleRestResponse(response, ...rest)).catch(
      (error: unknown) => {
        attachResponseInfo(error, info);
        throw error;
      },
    );
  };
  target.handleErrors = (code, reason, url, method, headers, body, response, ...rest) =>
    observe(
      () => original.handleErrors(code, reason, url, method, headers, body, response, ...rest),
      {
        httpStatus: code,
        venueCode: venueCodeOf(response ?? parseBody(body)),
      },
    );
  target.handleHttpStatusCode = (code, reason, url, method, body) =>
    observe(() => original.handleHttpStatusCode(code, reason, url, method, body), {
      httpStatus: code,
      venueCode: venueCodeOf(parseBody(body)),
    });
  target.undiciRequest = (url, params) =>
    sendWithCallerSignal(exchange, original.undiciRequest, url, params);
  return exchange;
}

function observe<R>(fn: () => R, info: Partial<VenueResponseInfo>): R {
  try {
    return fn();
  } catch (error) {
    attachResponseInfo(error, info);
    throw error;
  }
}

/**
 * Sends through ccxt's transport with the caller's signal joined to ccxt's
 * timeout signal, and turns a transport failure into the ccxt class ccxt
 * itself would have chosen, but with the original error as `cause`.
 */
async function sendWithCallerSignal(
  exchange: CcxtExchange,
  send: Hookable['undiciRequest'],
  url: string,
  params: { signal?: AbortSignal; method?: string },
): Promise<unknown> {
  const callerSignal = requestContext.getStore()?.signal;
  const timeoutSignal = params.signal;
  if (callerSignal && timeoutSignal) params.signal = AbortSignal.any([timeoutSignal, callerSignal]);
  try {
    return await send(url, params);
  } catch (cause) {
    if (cause instanceof ccxt.BaseError) throw cause;
    const where = `${exchange.id} ${params.method ?? ''} ${url}`;
    const timedOut = timeoutSignal?.aborted === true;
    const error = timedOut
      ? new ccxt.RequestTimeout(`${where} request timed out (${exchange.timeout} ms)`)
      : new ccxt.NetworkError(`${where} fetch failed: ${(cause as Error).message}`);
    (error as Error).cause = cause;
    if (callerSignal?.aborted && !timedOut) attachResponseInfo(error, { callerAborted: true });
    throw error;
  }
}
