import { sleep } from '../../common/index.js';
import { MAX_DELAY_MS, nonNegative, type ToxicDefinition } from './toxic.js';

interface ResetPeerAttributes {
  /** Reset this long after the first data, ms; 0 resets at once. */
  timeout: number;
}

/**
 * Toxiproxy's `reset_peer`: the first data to arrive is dropped and the
 * connection is closed with a TCP RST ("connection reset by peer") timeout ms
 * later. An idle connection lives on until it is used, as a pooled database
 * connection does when its server has gone. In http mode the client
 * connection is reset instead of answered.
 */
export const resetPeer: ToxicDefinition<ResetPeerAttributes> = {
  type: 'reset_peer',
  description: 'reset the connection (TCP RST) after timeout milliseconds',
  modes: ['tcp', 'http'],
  perChunk: true,
  defaults: { timeout: 0 },
  parse: (attributes) => ({ timeout: nonNegative(attributes, 'timeout', MAX_DELAY_MS) }),
  tcp: (attributes, link) => ({
    async onChunk() {
      await sleep(attributes.timeout, link.signal);
      if (!link.signal.aborted) link.reset();
    },
  }),
  http: (attributes) => ({ kind: 'reset', afterMs: attributes.timeout }),
};
