import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'undici';
import { abortedError, codeForStatus, NotifierError } from './errors.js';

/** What an HTTP notifier is built from. */
export interface JsonEndpoint {
  url: URL;
  headers?: Record<string, string>;
}

/** Longest Retry-After we parse, ms; the dispatcher caps it further. */
const MAX_PARSED_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
/** How much of an error body goes into the error message. */
const ERROR_BODY_CHARS = 200;

/**
 * Parses a webhook URL: http or https only. The message names the problem
 * but never echoes the URL, because webhook URLs carry their secret token.
 */
export function parseWebhookUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new NotifierError('INVALID_CONFIG', 'notifier url is not a valid absolute URL', {
      cause: error,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new NotifierError(
      'INVALID_CONFIG',
      `notifier url must be http or https, not ${parsed.protocol.slice(0, -1)}`,
    );
  }
  return parsed;
}

/**
 * POSTs JSON bodies to one endpoint over its own connection pool, so that
 * closing the notifier closes its sockets and nothing else's.
 */
export class JsonPoster {
  private readonly agent = new Agent();

  constructor(private readonly endpoint: JsonEndpoint) {}

  /** Resolves on 2xx; throws a classified NotifierError otherwise. */
  async post(body: unknown, signal: AbortSignal): Promise<void> {
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(this.endpoint.url, {
        method: 'POST',
        dispatcher: this.agent,
        signal,
        headers: {
          'user-agent': 'n1v1-chaos-watchdog',
          ...this.endpoint.headers,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw transportError(error, signal);
    }
    const { statusCode, headers } = response;
    const code = codeForStatus(statusCode);
    if (code === undefined) {
      // Drain so the socket goes back to the pool.
      await response.body.dump().catch(() => undefined);
      return;
    }
    const text = await response.body.text().catch(() => '');
    throw new NotifierError(
      code,
      `endpoint answered ${statusCode}: ${text.slice(0, ERROR_BODY_CHARS)}`,
      {
        status: statusCode,
        retryAfterMs: retryAfterMs(headers, text, Date.now()),
      },
    );
  }

  /** Drops every socket at once; in-flight posts fail as aborted. */
  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }
}

/** A request that got no answer: timed out, aborted by the caller, or a network failure. */
function transportError(error: unknown, signal: AbortSignal): NotifierError {
  if (signal.aborted) return abortedError(signal, error);
  const code = (error as { code?: unknown } | undefined)?.code;
  const detail = typeof code === 'string' ? code : error instanceof Error ? error.message : 'error';
  return new NotifierError('NETWORK', `endpoint unreachable (${detail})`, { cause: error });
}

/**
 * The wait the endpoint asked for, ms: the Retry-After header (seconds or an
 * HTTP date), else Discord's JSON `retry_after` (seconds).
 */
export function retryAfterMs(
  headers: IncomingHttpHeaders,
  body: string,
  nowMs: number,
): number | undefined {
  const header = headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && value.trim() !== '') {
    const seconds = Number(value);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - nowMs;
    if (Number.isFinite(ms)) return clampMs(ms);
  }
  try {
    const parsed = JSON.parse(body) as { retry_after?: unknown };
    if (typeof parsed.retry_after === 'number') return clampMs(parsed.retry_after * 1000);
  } catch {
    // Not JSON: no hint.
  }
  return undefined;
}

function clampMs(ms: number): number {
  return Math.min(MAX_PARSED_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}
