import { isJsonObject } from '../../common/index.js';
import { refuseUnknown } from '../http/toxic-attributes.js';
import { ToxicAttributeError, type ToxicDefinition } from './toxic.js';

interface HttpStatusAttributes {
  /** Status code answered instead of the upstream's, 100..599; default 503. */
  status: number;
  /** Response body, sent as is; default empty. */
  body: string;
  /** Extra response headers, e.g. `{"Retry-After": "1"}`; default none. */
  headers: Record<string, string>;
}

const KNOWN = ['status', 'body', 'headers'];
/** RFC 9110 token: what a header name may consist of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII, space, tab and obs-text; no CR, LF or NUL, which would split the response. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** The proxy frames the response itself; these would contradict it. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);
/** An injected body is for error payloads, not bulk data. */
const MAX_BODY_CHARS = 1024 * 1024;

/**
 * Answers the request with a fixed status instead of the upstream, which
 * never sees it, e.g. Binance's 429 with `Retry-After` and
 * `{"code":-1003,"msg":"Too many requests."}`, or a 503 from a failing
 * gateway. The same on either stream: the request is never forwarded.
 */
export const httpStatus: ToxicDefinition<HttpStatusAttributes> = {
  type: 'http_status',
  description: 'answer with a fixed status, headers and body instead of the upstream',
  modes: ['http'],
  defaults: { status: 503, body: '', headers: {} },
  parse: (attributes) => {
    refuseUnknown(attributes, KNOWN, 'http_status');
    return {
      status: parseStatus(attributes.status),
      body: parseBody(attributes.body),
      headers: parseHeaders(attributes.headers),
    };
  },
  http: (attributes) => ({
    kind: 'respond',
    status: attributes.status,
    headers: attributes.headers,
    body: attributes.body,
  }),
};

function parseStatus(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 100 || value > 599) {
    throw new ToxicAttributeError(
      `attribute status must be an integer from 100 to 599, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function parseBody(value: unknown): string {
  if (typeof value !== 'string') {
    throw new ToxicAttributeError(`attribute body must be a string, got ${JSON.stringify(value)}`);
  }
  if (value.length > MAX_BODY_CHARS) {
    throw new ToxicAttributeError(`attribute body must be at most ${MAX_BODY_CHARS} characters`);
  }
  return value;
}

function parseHeaders(value: unknown): Record<string, string> {
  if (!isJsonObject(value)) {
    throw new ToxicAttributeError(
      `attribute headers must be an object of strings, got ${JSON.stringify(value)}`,
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, field] of Object.entries(value)) {
    if (!TOKEN.test(name))
      throw new ToxicAttributeError(`header name ${JSON.stringify(name)} is not an HTTP token`);
    if (FRAMING.has(name.toLowerCase())) {
      throw new ToxicAttributeError(`header ${name} is set by the proxy and cannot be injected`);
    }
    if (typeof field !== 'string' || !FIELD_VALUE.test(field)) {
      throw new ToxicAttributeError(
        `header ${name} must be a string without CR, LF or control characters, got ${JSON.stringify(field)}`,
      );
    }
    headers[name] = field;
  }
  return headers;
}
