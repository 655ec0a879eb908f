import { sleep } from '../../common/index.js';
import { MAX_DELAY_MS, nonNegative, type ToxicDefinition } from './toxic.js';

export interface LatencyAttributes {
  /** Added delay, ms. */
  latency: number;
  /** Uniform random variation of the delay, ± ms. */
  jitter: number;
}

/** A delay ± uniform jitter, never negative (shared with http_latency). */
export function delayMs(attributes: LatencyAttributes, random: () => number): number {
  return Math.max(0, attributes.latency + (random() * 2 - 1) * attributes.jitter);
}

/**
 * Toxiproxy's `latency`: every chunk is delayed by latency ± jitter, counted
 * from when it arrived, so back-to-back chunks are not delayed cumulatively.
 * In http mode, each request (upstream) or response (downstream) is delayed.
 */
export const latency: ToxicDefinition<LatencyAttributes> = {
  type: 'latency',
  description: 'delay data by latency ± jitter milliseconds',
  modes: ['tcp', 'http'],
  perChunk: true,
  defaults: { latency: 0, jitter: 0 },
  parse: (attributes) => ({
    latency: nonNegative(attributes, 'latency', MAX_DELAY_MS),
    jitter: nonNegative(attributes, 'jitter', MAX_DELAY_MS),
  }),
  tcp: (attributes, link) => ({
    async onChunk(chunk, arrivedAtMs, push) {
      const due = arrivedAtMs + delayMs(attributes, link.random);
      await sleep(due - performance.now(), link.signal);
      push(chunk);
    },
  }),
  http: (attributes, random) => ({ kind: 'delay', ms: delayMs(attributes, random) }),
};
