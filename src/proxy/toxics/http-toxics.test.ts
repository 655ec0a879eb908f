import { describe, expect, it } from 'vitest';
import { httpDropResponse } from './http-drop-response.js';
import { httpLatency } from './http-latency.js';
import { httpStatus } from './http-status.js';
import { httpTimeout } from './http-timeout.js';
import { toxicDefinition } from './registry.js';
import { ToxicAttributeError } from './toxic.js';

/** Parses attributes merged over the defaults, as the admin API does. */
function parse<A>(
  definition: { defaults: A; parse(a: Record<string, unknown>): A },
  given: object,
) {
  return definition.parse({ ...(definition.defaults as object), ...given });
}

describe('http toxics', () => {
  it('are registered for http mode only', () => {
    for (const type of ['http_status', 'http_latency', 'http_timeout', 'http_drop_response']) {
      expect(toxicDefinition(type)?.modes).toEqual(['http']);
    }
  });

  describe('http_status', () => {
    it('defaults to an empty 503', () => {
      expect(parse(httpStatus, {})).toEqual({ status: 503, body: '', headers: {} });
      expect(httpStatus.http!(parse(httpStatus, {}), Math.random)).toEqual({
        kind: 'respond',
        status: 503,
        headers: {},
        body: '',
      });
    });

    it('accepts a Binance 429 with Retry-After', () => {
      const attributes = {
        status: 429,
        headers: { 'Retry-After': '1' },
        body: '{"code":-1003,"msg":"Too many requests."}',
      };
      expect(parse(httpStatus, attributes)).toEqual(attributes);
    });

    it.each([
      [{ status: 99 }, /status must be an integer from 100 to 599/],
      [{ status: 600 }, /status/],
      [{ status: 429.5 }, /status/],
      [{ status: '429' }, /status/],
      [{ body: 5 }, /body must be a string/],
      [{ headers: [] }, /headers must be an object/],
      [{ headers: 'Retry-After: 1' }, /headers must be an object/],
      [{ headers: { 'Bad Name': 'x' } }, /not an HTTP token/],
      [{ headers: { 'X-A': 'a\r\nSet-Cookie: x' } }, /without CR, LF/],
      [{ headers: { 'X-A': 1 } }, /must be a string/],
      [{ headers: { 'Content-Length': '5' } }, /set by the proxy/],
      [{ code: 429 }, /unknown attribute code for http_status/],
    ])('refuses %j', (given, message) => {
      expect(() => parse(httpStatus, given)).toThrow(ToxicAttributeError);
      expect(() => parse(httpStatus, given)).toThrow(message);
    });
  });

  describe('http_latency', () => {
    it('defaults to no delay', () => {
      expect(parse(httpLatency, {})).toEqual({ latency: 0, jitter: 0 });
    });

    it('delays by latency ± jitter, never negative', () => {
      const attributes = parse(httpLatency, { latency: 100, jitter: 20 });
      expect(httpLatency.http!(attributes, () => 0)).toEqual({ kind: 'delay', ms: 80 });
      expect(httpLatency.http!(attributes, () => 0.5)).toEqual({ kind: 'delay', ms: 100 });
      expect(httpLatency.http!(attributes, () => 0.999)).toMatchObject({ kind: 'delay' });
      const wide = parse(httpLatency, { latency: 10, jitter: 50 });
      expect(httpLatency.http!(wide, () => 0)).toEqual({ kind: 'delay', ms: 0 });
    });

    it.each([
      [{ latency: -1 }, /latency must be a number/],
      [{ latency: '100' }, /latency/],
      [{ jitter: Number.NaN }, /jitter/],
      [{ latency: 1e12 }, /latency must be a number from 0 to 86400000/],
      [{ lateny: 100 }, /unknown attribute lateny for http_latency \(expected: latency, jitter\)/],
    ])('refuses %j', (given, message) => {
      expect(() => parse(httpLatency, given)).toThrow(message);
    });
  });

  describe('http_timeout', () => {
    it('defaults to holding until the client gives up', () => {
      const attributes = parse(httpTimeout, {});
      expect(attributes).toEqual({ timeout: 0 });
      expect(httpTimeout.http!(attributes, Math.random)).toEqual({ kind: 'hold', closeAfterMs: 0 });
      expect(httpTimeout.http!({ timeout: 250 }, Math.random)).toEqual({
        kind: 'hold',
        closeAfterMs: 250,
      });
    });

    it.each([
      [{ timeout: -5 }, /timeout must be a number/],
      [{ timeout: true }, /timeout/],
      [{ after: 5 }, /unknown attribute after/],
    ])('refuses %j', (given, message) => {
      expect(() => parse(httpTimeout, given)).toThrow(message);
    });
  });

  describe('http_drop_response', () => {
    it('takes no attributes', () => {
      expect(parse(httpDropResponse, {})).toEqual({});
      expect(httpDropResponse.http!({}, Math.random)).toEqual({ kind: 'drop_response' });
      expect(() => parse(httpDropResponse, { probability: 1 })).toThrow(
        /unknown attribute probability for http_drop_response \(expected: none\)/,
      );
    });
  });
});
