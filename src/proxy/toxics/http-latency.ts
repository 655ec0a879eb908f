import { refuseUnknown } from '../http/toxic-attributes.js';
import { delayMs } from './latency.js';
import { MAX_DELAY_MS, nonNegative, type ToxicDefinition } from './toxic.js';

interface HttpLatencyAttributes {
  /** Added delay per request, ms; default 0. */
  latency: number;
  /** Uniform random variation of the delay, ± ms; default 0. */
  jitter: number;
}

const KNOWN = ['latency', 'jitter'];

/**
 * Delays each matching request by latency ± jitter (never negative): on the
 * upstream stream before it is forwarded, on the downstream stream after the
 * upstream answered, so the upstream's clock sees the difference.
 */
export const httpLatency: ToxicDefinition<HttpLatencyAttributes> = {
  type: 'http_latency',
  description: 'delay each request (upstream) or response (downstream) by latency ± jitter ms',
  modes: ['http'],
  defaults: { latency: 0, jitter: 0 },
  parse: (attributes) => {
    refuseUnknown(attributes, KNOWN, 'http_latency');
    return {
      latency: nonNegative(attributes, 'latency', MAX_DELAY_MS),
      jitter: nonNegative(attributes, 'jitter', MAX_DELAY_MS),
    };
  },
  http: (attributes, random) => ({ kind: 'delay', ms: delayMs(attributes, random) }),
};
